import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_SIGNING_SECRET, startFakeSlackApi, type FakeMessage, type FakeSlackApi } from '../fakes/slack/index.ts';
import { scratchDatabases } from '../support/databases.ts';
import { BotProcesses, killWhen, outboxCounts, queueRound, runUntil } from './bot-process.ts';

/**
 * Chaos: the real bot process (bin/circulate.ts under tsx, as `npm run dev` runs it)
 * delivers a 50-introduction pairing round to the fake Slack, which answers
 * chat.postMessage late, so posts have landed while the bot still waits. The
 * process is killed with SIGKILL mid-delivery and started again. Every
 * introduction must reach Slack exactly once: none lost, none posted twice.
 */

const MEMBERS = 100;
const userId = (i: number): string => `U${String(i).padStart(9, '0')}`;
const keyOf = (m: FakeMessage): string | undefined => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;

const backends = scratchDatabases('circulate-kill9');

describe.each(backends)('kill -9 during a 50-introduction round on $name', (backend) => {
  let fake: FakeSlackApi;
  let dbUrl: string;
  let drop: () => Promise<void>;
  let bots: BotProcesses;

  beforeEach(async () => {
    const users = Array.from({ length: MEMBERS }, (_, i) => ({ id: userId(i + 1), name: `member${i + 1}`, display_name: `Member ${i + 1}` }));
    fake = await startFakeSlackApi({ users, rateLimits: false });
    ({ url: dbUrl, drop } = await backend.create());
    bots = new BotProcesses();
  });

  afterEach(async () => {
    bots.killAll();
    await fake.close();
    await drop();
    bots.removeCwd();
  });

  const startBot = () => bots.start(dbUrl, { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: FAKE_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });


  it('restarting after SIGKILL loses nothing and posts nothing twice', { timeout: 120_000 }, async () => {
    const intros = await queueRound(dbUrl, MEMBERS, { platform: 'slack', communityPlatformId: () => fake.team.id }, userId);
    expect(intros).toBe(MEMBERS / 2);

    // Slack takes the post at once and answers 400 ms later: the window a kill -9 used to turn into duplicates.
    fake.setLatency('chat.postMessage', 400);
    await killWhen(
      startBot(),
      (onCall) =>
        fake.onCall((call) => {
          if (call.method === 'chat.postMessage') onCall();
        }),
      () => fake.messages.length >= 40,
    );
    const atKill = await outboxCounts(dbUrl);
    const postedAtKill = fake.messages.length;
    // The kill really landed mid-delivery: some rows were on Slack but never confirmed.
    expect(atKill.unconfirmed).toBeGreaterThan(0);
    expect(atKill.pending).toBeGreaterThan(0);

    fake.setLatency('chat.postMessage', 0);
    await runUntil(startBot(), async () => (await outboxCounts(dbUrl)).pending === 0);

    const after = await outboxCounts(dbUrl);
    expect(after.failed).toBe(0);
    const keyed = fake.messages.filter((m) => !m.ephemeralTo);
    const perKey = new Map<string, number>();
    for (const m of keyed) perKey.set(keyOf(m) ?? `unkeyed:${m.channel}:${m.text}`, (perKey.get(keyOf(m) ?? `unkeyed:${m.channel}:${m.text}`) ?? 0) + 1);
    const duplicated = [...perKey.values()].filter((n) => n > 1).length;
    // Also by what members see, independent of keys: the same text twice in one conversation.
    const perText = new Map<string, number>();
    for (const m of keyed) perText.set(`${m.channel}\n${m.text}`, (perText.get(`${m.channel}\n${m.text}`) ?? 0) + 1);
    const seenTwice = [...perText.values()].filter((n) => n > 1).length;
    const introductions = keyed.filter((m) => m.channel.startsWith('G'));
    const lost = intros - new Set(introductions.map((m) => m.channel)).size;
    process.stderr.write(
      `kill -9 on ${backend.name}: ${postedAtKill} posted before the kill, ${atKill.delivered} confirmed, ${atKill.unconfirmed} unconfirmed, ` +
        `${fake.callsTo('conversations.history').length} history lookups; lost ${lost}, duplicated ${duplicated}\n`,
    );
    expect({ lost, duplicated, seenTwice }).toEqual({ lost: 0, duplicated: 0, seenTwice: 0 });
    expect(introductions).toHaveLength(intros);
    expect(perKey.size).toBe(after.delivered);
  });
});
