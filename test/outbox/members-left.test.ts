import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordPort } from '../../adapters/discord/port.ts';
import { createSlackPort } from '../../adapters/slack/port.ts';
import { createApp, type App } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { findCommunity } from '../../src/db/communities.ts';
import { message, p } from '../../src/messages/build.ts';
import { enqueue } from '../../src/outbox/outbox.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack/index.ts';
import { testConfig } from '../support/harness.ts';

/**
 * Issue 12 item 10: one member who has left the Discord server (or the Slack
 * workspace) must not sink their group's introduction. The others are
 * introduced without them and told why; a group left with one person gets a
 * private note instead of a conversation.
 */

const log = pino({ level: 'silent' });

describe('an introduction whose member has left the Discord server', () => {
  let fake: FakeDiscord;
  let app: App;
  let guildId: string;
  let clock: ManualClock;
  const id = (name: string): string => fake.user(name).id;
  const threads = () => fake.calls.filter((c) => c.method === 'POST' && /\/threads$/.test(c.path) && c.status < 300);

  beforeEach(async () => {
    fake = await startFakeDiscord();
    guildId = fake.guild().id;
    const port = createDiscordPort({
      log,
      options: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase, introChannelId: fake.channel('introductions').id as string },
    });
    clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
    app = await createApp({ config: testConfig(), clock, log, ports: [port], databaseUrl: ':memory:' });
    // Each member has used the bot once, so the community knows their names.
    for (const [name, displayName] of [
      ['alice', 'Alice Archivist'],
      ['bob', 'Bob Bibliographer'],
      ['owner', 'Olive Owner'],
    ] as const) {
      await app.core.command({ platform: 'discord', communityPlatformId: guildId, communityName: 'Guild', user: { platformUserId: id(name), displayName } }, 'network', 'help');
    }
    await app.core.flush();
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  const introduce = async (names: string[]): Promise<void> => {
    const community = (await findCommunity(app.core.db, 'discord', guildId))!;
    const to = { kind: 'conversation' as const, platformUserIds: names.map(id), memberIds: names.map(() => ''), title: 'Introduction' };
    await enqueue(app.core.db, community.id, [{ to, message: message(p('Meet each other: a short introduction.')) }], clock.now());
    await app.core.flush();
    await app.core.flush();
  };

  const statuses = async () => (await app.core.db.selectFrom('outbox').select('status').execute()).map((r) => r.status);

  it('the others are introduced in their thread and told who could not be added', async () => {
    fake.memberLeave(guildId, 'owner');
    await introduce(['alice', 'bob', 'owner']);
    const made = threads();
    expect(made).toHaveLength(1);
    const threadId = (made[0]!.response as { id: string }).id;
    expect(fake.threadMembersOf(threadId).sort()).toEqual([id('alice'), id('bob'), fake.botUser.id].sort());
    const texts = fake.messagesIn(threadId).map((m) => String(m.content));
    expect(texts[0]).toContain('Meet each other');
    expect(texts[1]).toContain('Olive Owner could not be added to this conversation: they have left the community.');
    expect(texts).toHaveLength(2);
    expect(await statuses()).not.toContain('failed');
    expect(await statuses()).not.toContain('pending');
  });

  it('with one person left there is no thread: they get a short private note instead', async () => {
    fake.memberLeave(guildId, 'bob');
    await introduce(['alice', 'bob']);
    expect(fake.guild().threadIds.map((t) => fake.channel(t))).toEqual([]);
    const dms = fake.dmsTo('alice').map((m) => String(m.content));
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain('We were about to introduce you to Bob Bibliographer, but they have left the community');
    expect(fake.dmsTo('bob')).toHaveLength(0);
    expect(await statuses()).not.toContain('failed');
    expect(await statuses()).not.toContain('pending');
  });
});

describe('an introduction whose member has left the Slack workspace', () => {
  let fake: FakeSlackApi;
  let app: App;
  let clock: ManualClock;
  const USERS = [
    { id: 'U0ANN0001', name: 'ann', display_name: 'Ann Archivist' },
    { id: 'U0BEN0001', name: 'ben', display_name: 'Ben Bibliographer' },
    { id: 'U0GONE001', name: 'gone', display_name: 'Gil Gone', deleted: true },
  ];

  beforeEach(async () => {
    fake = await startFakeSlackApi({ users: USERS, rateLimits: false, unknownUsers: 'reject' });
    const port = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
    clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
    app = await createApp({ config: testConfig(), clock, log, ports: [port], databaseUrl: ':memory:' });
    for (const u of USERS) {
      await app.core.command({ platform: 'slack', communityPlatformId: fake.team.id, communityName: 'Team', user: { platformUserId: u.id, displayName: u.display_name } }, 'network', 'help');
    }
    await app.core.flush();
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  const introduce = async (ids: string[]): Promise<void> => {
    const community = (await findCommunity(app.core.db, 'slack', fake.team.id))!;
    const to = { kind: 'conversation' as const, platformUserIds: ids, memberIds: ids.map(() => ''), title: 'Introduction' };
    await enqueue(app.core.db, community.id, [{ to, message: message(p('Meet each other: a short introduction.')) }], clock.now());
    await app.core.flush();
    await app.core.flush();
  };
  const statuses = async () => (await app.core.db.selectFrom('outbox').select('status').execute()).map((r) => r.status);

  it('the others get their group DM and are told who could not be added', async () => {
    await introduce(['U0ANN0001', 'U0BEN0001', 'U0GONE001']);
    const open = fake.callsTo('conversations.open').filter((c) => String(c.args.users).includes(','));
    expect(open.map((c) => c.args.users)).toEqual(['U0ANN0001,U0BEN0001']);
    const channel = (open[0]!.response.channel as { id: string }).id;
    const texts = fake.messagesIn(channel).map((m) => m.text);
    expect(texts[0]).toContain('Meet each other');
    expect(texts[1]).toContain('Gil Gone could not be added to this conversation: they have left the community.');
    expect(await statuses()).not.toContain('failed');
    expect(await statuses()).not.toContain('pending');
  });

  it('with one person left there is no group DM: they get a short private note', async () => {
    await introduce(['U0ANN0001', 'U0GONE001']);
    expect(fake.callsTo('conversations.open').filter((c) => String(c.args.users).includes(','))).toHaveLength(0);
    const dms = fake.messagesIn('U0ANN0001').map((m) => m.text);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain('We were about to introduce you to Gil Gone, but they have left the community');
    expect(await statuses()).not.toContain('failed');
  });
});
