import { Writable } from 'node:stream';
import pino from 'pino';
import { startDiscord, type DiscordAdapter } from '../../../adapters/discord/index.ts';
import type { HttpServer } from '../../../adapters/http/server.ts';
import type { DiscordOptions } from '../../../adapters/discord/options.ts';
import { createDiscordPort, type DiscordPort } from '../../../adapters/discord/port.ts';
import { registerCommands } from '../../../adapters/discord/register.ts';
import { createApp, type App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/clock.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeInteraction, type Obj, type RecordedCall } from '../../fakes/discord/server.ts';
import { START, testConfig } from '../../support/harness.ts';

/** Everything one end-to-end test needs: the fake Discord, the app, and the real discord.js client on top. */
export interface World {
  fake: FakeDiscord;
  app: App;
  adapter: DiscordAdapter;
  port: DiscordPort;
  options: DiscordOptions;
  clock: ManualClock;
  /** Log lines the app wrote (JSON objects). */
  logs: Record<string, unknown>[];
  /** Dispatches an interaction, waits for its callback and for the outbox to drain. */
  run(interaction: FakeInteraction): Promise<RecordedCall>;
  /** Runs a slash command as a user, returning the callback. */
  command(
    user: string,
    name: string,
    subcommand: string | undefined,
    options?: Record<string, string | number | boolean | { user: string }> | Obj[],
    subcommandGroup?: string,
  ): Promise<RecordedCall>;
  /** The user id of a fake user by username. */
  id(username: string): string;
  close(): Promise<void>;
}

/** Starts the fake, registers commands in its guild, builds the app on an in-memory database, and starts the adapter. */
export async function startWorld(
  opts: { introChannel?: boolean; moderatorRoleId?: string; fake?: FakeDiscordOptions; deferAfterMs?: number; http?: Pick<HttpServer, 'addReadinessCheck'> } = {},
): Promise<World> {
  const fake = await startFakeDiscord({ heartbeatInterval: 5000, ...opts.fake });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const options: DiscordOptions = {
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.restBase,
    guildId: fake.guild().id,
    ...(opts.introChannel ? { introChannelId: fake.channel('introductions').id as string } : {}),
    ...(opts.moderatorRoleId ? { moderatorRoleId: opts.moderatorRoleId } : {}),
  };
  await registerCommands(options);
  const clock = new ManualClock(START);
  const database = openDatabase(':memory:');
  const port = createDiscordPort({ options, log });
  const app = await createApp({ config: testConfig(), clock, log, ports: [port], database });
  const adapter = await startDiscord({ app, log, options, port, ...(opts.deferAfterMs !== undefined ? { deferAfterMs: opts.deferAfterMs } : {}), ...(opts.http ? { http: opts.http } : {}) });

  const run = async (interaction: FakeInteraction): Promise<RecordedCall> => {
    fake.sendInteraction(interaction);
    const callback = await fake.waitForCallback(interaction.id);
    await app.core.flush();
    return callback;
  };
  return {
    fake,
    app,
    adapter,
    port,
    options,
    clock,
    logs,
    run,
    command: (user, name, subcommand, options2 = {}, subcommandGroup) =>
      run(fake.chatInputInteraction({ user, name, ...(subcommand ? { subcommand } : {}), ...(subcommandGroup ? { subcommandGroup } : {}), options: options2 })),
    id: (username) => fake.user(username).id,
    async close() {
      await adapter.stop();
      await app.close();
      await database.close();
      await fake.close();
    },
  };
}

/** The content and components of an interaction callback (type 4/7) or message call. */
export function dataOf(call: RecordedCall): { content: string; components: { components: { custom_id: string; label: string }[] }[]; flags?: number } {
  const body = call.body as { data?: unknown };
  return (body.data ?? body) as ReturnType<typeof dataOf>;
}

/** Waits until `cond` holds (polling), for effects that happen after a callback. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
