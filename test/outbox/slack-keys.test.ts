import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPort, OUTBOX_EVENT_TYPE, type SlackPort } from '../../adapters/slack/port.ts';
import { message, p } from '../../src/messages/build.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack/index.ts';

/**
 * Slack's half of "exactly once in practice": every message carries its outbox
 * key in metadata, and a retry of an unconfirmed delivery finds the message in
 * conversations.history instead of posting it again.
 */

const log = pino({ level: 'silent' });
const USERS = [
  { id: 'U0ANN0001', name: 'ann' },
  { id: 'U0BEN0001', name: 'ben' },
];
const KEY = '0b7c6a3e-5f1d-4c2b-9a8e-2d4f6b8a0c1e';
const intro = message(p('Ann, meet Ben.'));

describe('Slack deliveries keyed by the outbox row', () => {
  let fake: FakeSlackApi;
  let port: SlackPort;
  beforeEach(async () => {
    fake = await startFakeSlackApi({ users: USERS, rateLimits: false });
    port = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
  });
  afterEach(() => fake.close());

  const keyed = (channel: string) =>
    fake.messages.filter((m) => m.channel === channel && (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key === KEY);

  it('posts with metadata carrying the key; history shows it only with include_all_metadata', async () => {
    const receipt = await port.openConversation(fake.team.id, ['U0ANN0001', 'U0BEN0001'], 'Intro', intro, { key: KEY });
    expect(fake.lastCall('chat.postMessage')!.args.metadata).toEqual({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key: KEY } });
    expect(keyed(receipt.channelId)).toHaveLength(1);
    const call = async (args: Record<string, string>) => {
      const res = await fetch(`${fake.apiUrl}conversations.history`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${fake.token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel: receipt.channelId, ...args }),
      });
      return (await res.json()) as { ok: boolean; messages: { ts: string; metadata?: unknown }[] };
    };
    const plain = await call({});
    expect(plain.messages.map((m) => m.ts)).toEqual([receipt.messageId]);
    expect(plain.messages[0]!.metadata).toBeUndefined();
    const withMeta = await call({ include_all_metadata: 'true' });
    expect(withMeta.messages[0]!.metadata).toEqual({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key: KEY } });
    expect((await call({ oldest: receipt.messageId })).messages).toHaveLength(0);
    expect((await call({ oldest: receipt.messageId, inclusive: 'true' })).messages).toHaveLength(1);
  });

  it('an unconfirmed introduction already in the group DM is not posted again; the receipt names it', async () => {
    const startedAt = new Date();
    const first = await port.openConversation(fake.team.id, ['U0ANN0001', 'U0BEN0001'], 'Intro', intro, { key: KEY });
    // A restart: a fresh port (no memory) retries the row whose delivery was never confirmed.
    const restarted = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
    const again = await restarted.openConversation(fake.team.id, ['U0ANN0001', 'U0BEN0001'], 'Intro', intro, { key: KEY, unconfirmedSince: startedAt });
    expect(again).toEqual(first);
    expect(keyed(first.channelId)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.lastCall('conversations.history')!.args).toMatchObject({ channel: first.channelId, include_all_metadata: 'true' });
  });

  it('an unconfirmed DM already there is found through the DM channel', async () => {
    const startedAt = new Date();
    const first = await port.sendPrivate(fake.team.id, 'U0ANN0001', intro, { key: KEY });
    const again = await port.sendPrivate(fake.team.id, 'U0ANN0001', intro, { key: KEY, unconfirmedSince: startedAt });
    expect(again).toEqual(first);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('an unconfirmed delivery that never reached Slack is posted, once', async () => {
    await port.openConversation(fake.team.id, ['U0ANN0001', 'U0BEN0001'], 'Other', message(p('another intro')), { key: 'another-key' });
    const receipt = await port.openConversation(fake.team.id, ['U0ANN0001', 'U0BEN0001'], 'Intro', intro, {
      key: KEY,
      unconfirmedSince: new Date(Date.now() - 5_000),
    });
    expect(keyed(receipt.channelId)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('a failed history lookup fails the attempt (the outbox retries) rather than risk a duplicate', async () => {
    const startedAt = new Date();
    await port.sendPrivate(fake.team.id, 'U0ANN0001', intro, { key: KEY });
    fake.failNext('conversations.history', { status: 503 });
    await expect(port.sendPrivate(fake.team.id, 'U0ANN0001', intro, { key: KEY, unconfirmedSince: startedAt })).rejects.toMatchObject({
      options: { retryable: true },
    });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
