import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type DiscordAdapter } from '../../adapters/discord/index.ts';
import type { DiscordOptions } from '../../adapters/discord/options.ts';
import { createDiscordPort } from '../../adapters/discord/port.ts';
import { registerCommands } from '../../adapters/discord/register.ts';
import { createApp, type App } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.ts';
import { START, testConfig } from '../support/harness.ts';

/**
 * Issue 12 item 2 on Discord, with the real discord.js client against the fake Discord: an
 * interaction callback fails, and the DiscordAPIError that is logged carries the interaction token
 * in `err.url` (/interactions/<id>/<token>/callback). At LOG_LEVEL=debug, no line may hold that
 * token or the bot token.
 */
describe('a failing Discord interaction logs no token', () => {
  const lines: string[] = [];
  let fake: FakeDiscord;
  let app: App;
  let adapter: DiscordAdapter;

  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatInterval: 5000 });
    const log = createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { write: (line: string) => void lines.push(line) });
    const options: DiscordOptions = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase, guildId: fake.guild().id };
    await registerCommands(options);
    const port = createDiscordPort({ options, log });
    app = await createApp({ config: testConfig(), clock: new ManualClock(START), log, ports: [port], database: openDatabase(':memory:') });
    adapter = await startDiscord({ app, log, options, port });
  }, 30_000);

  afterAll(async () => {
    await adapter?.stop();
    await app?.close();
    await app?.database.close();
    await fake?.close();
  });

  it('when the interaction callback is refused', async () => {
    fake.injectError({ route: /\/interactions\//, status: 400, times: 5, body: { code: 50035, message: 'Invalid Form Body' } });
    fake.injectError({ route: /\/webhooks\//, status: 401, times: 5, body: { code: 50027, message: 'Invalid Webhook Token' } });
    const interaction = fake.chatInputInteraction({ user: 'alice', name: 'network', subcommand: 'help' });
    fake.sendInteraction(interaction);
    await fake.waitForCallback(interaction.id).catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (!lines.some((l) => l.includes('discord interaction failed')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const all = lines.join('\n');
    expect(interaction.token.length).toBeGreaterThan(10);
    expect(all).not.toContain(interaction.token);
    expect(all).not.toContain(fake.token);
    const failure = lines.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown>; route?: string }).find((e) => e.msg === 'discord interaction failed');
    expect(failure).toBeDefined();
    expect(failure!.err).toMatchObject({ type: 'DiscordAPIError[50035]', code: 50035, status: 400 });
    expect(failure!.route).toBe('POST /interactions/:id/:token/callback');
  }, 30_000);
});
