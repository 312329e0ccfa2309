import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordPort, nonceFor, type DiscordPort } from '../../adapters/discord/port.ts';
import { message, p } from '../../src/messages/build.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.ts';

/**
 * Discord's half of "exactly once in practice": every message carries an
 * enforced nonce derived from its outbox key, so Discord returns the message
 * it already has; an introduction retried after a restart reuses the thread
 * its earlier attempt opened (saved as the row's checkpoint) instead of
 * opening a second one.
 */

const log = pino({ level: 'silent' });
const KEY = '0b7c6a3e-5f1d-4c2b-9a8e-2d4f6b8a0c1e';
const intro = message(p('Alice, meet Bob.'));

describe('Discord deliveries keyed by the outbox row', () => {
  let fake: FakeDiscord;
  let guildId: string;
  let users: string[];
  const newPort = (): DiscordPort =>
    createDiscordPort({
      log,
      options: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase, introChannelId: fake.channel('introductions').id as string },
    });
  const messageCalls = () => fake.calls.filter((c) => c.method === 'POST' && /\/channels\/\d+\/messages$/.test(c.path));
  const threadsMade = () => fake.calls.filter((c) => c.method === 'POST' && /\/channels\/\d+\/threads$/.test(c.path) && c.status < 300);

  beforeEach(async () => {
    fake = await startFakeDiscord();
    guildId = fake.guild().id;
    users = [fake.user('alice').id, fake.user('bob').id];
  });
  afterEach(() => fake.close());

  it('nonces are short enough for Discord, stable per key and part, different across keys', () => {
    expect(nonceFor(KEY, 0).length).toBeLessThanOrEqual(25);
    expect(nonceFor('some-other-longer-key-that-is-not-a-uuid-at-all', 11).length).toBeLessThanOrEqual(25);
    expect(nonceFor(KEY, 0)).toBe(nonceFor(KEY, 0));
    expect(nonceFor(KEY, 0)).not.toBe(nonceFor(KEY, 1));
    expect(nonceFor(KEY, 0)).not.toBe(nonceFor('1b7c6a3e-5f1d-4c2b-9a8e-2d4f6b8a0c1e', 0));
  });

  it('a DM sent twice with the same key is one message: Discord returns the first', async () => {
    const port = newPort();
    const first = await port.sendPrivate(guildId, users[0]!, intro, { key: KEY });
    const again = await newPort().sendPrivate(guildId, users[0]!, intro, { key: KEY, unconfirmedSince: new Date() });
    expect(again).toEqual(first);
    expect(messageCalls().map((c) => [(c.body as { nonce?: string }).nonce, (c.body as { enforce_nonce?: boolean }).enforce_nonce])).toEqual([
      [nonceFor(KEY, 0), true],
      [nonceFor(KEY, 0), true],
    ]);
    expect(fake.dmsTo('alice')).toHaveLength(1);
  });

  it('the fake forgets a nonce after its window, as Discord does after a few minutes', async () => {
    const port = newPort();
    await port.postToChannel(guildId, fake.channel('general').id as string, intro, { key: KEY });
    fake.nonceWindowMs = -1; // Every nonce is already older than the window.
    await port.postToChannel(guildId, fake.channel('general').id as string, intro, { key: KEY });
    expect(fake.messagesIn('general')).toHaveLength(2);
  });

  /** What the outbox does with a port's checkpoint: keeps the latest state for the row's next attempt. */
  const outboxRow = () => {
    const row: { progress?: string } = {};
    return { row, checkpoint: async (state: string) => void (row.progress = state) };
  };

  it('an introduction retried after a restart reuses its thread and its message', async () => {
    const { row, checkpoint } = outboxRow();
    const startedAt = new Date();
    const first = await newPort().openConversation!(guildId, users, 'Alice and Bob', intro, { key: KEY, checkpoint });
    expect(row.progress).toBe(`thread:${first.channelId}`);
    const again = await newPort().openConversation!(guildId, users, 'Alice and Bob', intro, { key: KEY, unconfirmedSince: startedAt, resume: row.progress, checkpoint });
    expect(again).toEqual(first);
    expect(threadsMade()).toHaveLength(1);
    expect(fake.messagesIn(first.channelId)).toHaveLength(1);
  });

  it('a thread opened by an attempt that died before posting is reused, and the introduction posted there once', async () => {
    const { row, checkpoint } = outboxRow();
    const startedAt = new Date();
    fake.injectError({ route: /\/channels\/\d+\/messages$/, method: 'POST', times: 1, status: 403, body: { code: 50013, message: 'Missing Permissions' } });
    await expect(newPort().openConversation!(guildId, users, 'Alice and Bob', intro, { key: KEY, checkpoint })).rejects.toThrow();
    const receipt = await newPort().openConversation!(guildId, users, 'Alice and Bob', intro, { key: KEY, unconfirmedSince: startedAt, resume: row.progress, checkpoint });
    expect(threadsMade()).toHaveLength(1);
    expect(fake.messagesIn(receipt.channelId)).toHaveLength(1);
    expect(fake.threadMembersOf(receipt.channelId).sort()).toEqual([...users, fake.botUser.id].sort());
  });

  it('two introductions with the same title never share a thread', async () => {
    const a = outboxRow();
    const b = outboxRow();
    const carol = fake.user('carol').id;
    await newPort().openConversation!(guildId, users, 'Your pairing', intro, { key: KEY, checkpoint: a.checkpoint });
    // Another pair's row, retried after a restart, with the same title: it must open its own thread.
    const other = await newPort().openConversation!(guildId, [users[0]!, carol], 'Your pairing', intro, {
      key: 'another-row',
      unconfirmedSince: new Date(),
      checkpoint: b.checkpoint,
    });
    expect(threadsMade()).toHaveLength(2);
    expect(fake.threadMembersOf(other.channelId).sort()).toEqual([users[0]!, carol, fake.botUser.id].sort());
  });

  it('a first attempt opens a new thread: the same pair can be introduced twice on purpose', async () => {
    await newPort().openConversation!(guildId, users, 'Alice and Bob', intro, { key: KEY });
    await newPort().openConversation!(guildId, users, 'Alice and Bob', intro, { key: 'another-row' });
    expect(threadsMade()).toHaveLength(2);
  });
});
