import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.ts';
import { scratchDatabases } from '../support/databases.ts';
import { BotProcesses, killWhen, outboxCounts, queueRound, runUntil } from './bot-process.ts';

/**
 * Chaos on Discord: the real bot process (bin/circulate.ts under tsx) delivers a
 * 50-introduction pairing round as private threads in the intros channel of
 * the fake Discord, which answers message creation late. The process is
 * killed with SIGKILL mid-delivery and started again. Each pair must end up
 * with exactly one thread holding exactly one introduction.
 */

const MEMBERS = 100;
const username = (i: number): string => `member${i}`;

const backends = scratchDatabases('circulate-kill9d');

describe.each(backends)('kill -9 during a 50-introduction round on Discord ($name)', (backend) => {
  let fake: FakeDiscord;
  let dbUrl: string;
  let drop: () => Promise<void>;
  let bots: BotProcesses;

  beforeEach(async () => {
    const users = Array.from({ length: MEMBERS }, (_, i) => ({ username: username(i + 1), global_name: `Member ${i + 1}` }));
    fake = await startFakeDiscord({ users, guilds: [{ name: 'Kill nine', channels: [{ name: 'general' }, { name: 'introductions' }] }] });
    ({ url: dbUrl, drop } = await backend.create());
    bots = new BotProcesses();
  });

  afterEach(async () => {
    bots.killAll();
    await fake.close();
    await drop();
    bots.removeCwd();
  });

  const startBot = () =>
    bots.start(dbUrl, {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.restBase,
      DISCORD_INTRO_CHANNEL_ID: fake.channel('introductions').id as string,
    });

  const threadIds = (): string[] => fake.guild().threadIds;
  const introMessages = () => {
    const threads = new Set(threadIds());
    return [...fake.messages.values()].filter((m) => threads.has(m.channel_id as string));
  };

  it('restarting after SIGKILL gives every pair exactly one thread with one introduction', { timeout: 120_000 }, async () => {
    const intros = await queueRound(dbUrl, MEMBERS, { platform: 'discord', communityPlatformId: () => fake.guild().id }, (i) => fake.user(username(i)).id);
    expect(intros).toBe(MEMBERS / 2);

    fake.setLatency({ route: /^\/channels\/\d+\/messages$/, method: 'POST', ms: 400 });
    await killWhen(
      startBot(),
      (onCall) => {
        fake.on('call', onCall);
        return () => fake.off('call', onCall);
      },
      () => introMessages().length >= 30,
    );
    const atKill = await outboxCounts(dbUrl);
    const threadsAtKill = threadIds().length;
    expect(atKill.unconfirmed).toBeGreaterThan(0);

    fake.setLatency({ route: /^\/channels\/\d+\/messages$/, method: 'POST', ms: 0 });
    await runUntil(startBot(), async () => (await outboxCounts(dbUrl)).pending === 0);
    expect((await outboxCounts(dbUrl)).failed).toBe(0);

    // Per pair (the members of a thread other than the bot): how many threads, and how many messages in each.
    const byPair = new Map<string, { threads: number; messages: number[] }>();
    for (const id of threadIds()) {
      const pair = fake.threadMembersOf(id).filter((u) => u !== fake.botUser.id).sort().join(',');
      const entry = byPair.get(pair) ?? { threads: 0, messages: [] };
      entry.threads++;
      entry.messages.push(fake.messagesIn(id).length);
      byPair.set(pair, entry);
    }
    const emptyOrphans = byPair.get('')?.threads ?? 0;
    byPair.delete('');
    const pairs = [...byPair.values()];
    const lost = intros - pairs.filter((e) => e.messages.some((n) => n > 0)).length;
    const duplicated = pairs.filter((e) => e.threads > 1 || e.messages.some((n) => n > 1)).length;
    process.stderr.write(
      `kill -9 on Discord/${backend.name}: ${threadsAtKill} threads before the kill, ${atKill.unconfirmed} unconfirmed rows; ` +
        `lost ${lost}, duplicated ${duplicated}, empty orphan threads ${emptyOrphans}\n`,
    );
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(pairs).toHaveLength(intros);
  });
});
