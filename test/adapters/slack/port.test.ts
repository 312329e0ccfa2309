import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classifySlackError, createSlackPort, type SlackPort } from '../../../adapters/slack/port.ts';
import { message, p } from '../../../src/messages/build.ts';
import type { DeliveryReceipt } from '../../../src/messages/model.ts';
import { DeliveryError } from '../../../src/platform.ts';
import { platformPortContract } from '../../contract/platform-port.contract.ts';
import { startFakeSlackApi, type FakeMessage, type FakeSlackApi, type RecordedCall } from '../../fakes/slack/index.ts';
import { blockKitText, silentLogger } from './harness.ts';

/**
 * The Slack port against the fake Web API: the shared platform-port contract,
 * then how Slack failures are classified for the outbox.
 */

const USERS = [
  { id: 'U0ANN0001', name: 'ann' },
  { id: 'U0BEN0001', name: 'ben' },
  { id: 'U0GONE001', name: 'gone', deleted: true },
];

/** Who a Slack message notifies: `<@U…>` users, and `<!channel>`-style specials. */
function slackPings(msg: FakeMessage): string[] {
  const text = [msg.text, JSON.stringify(msg.blocks ?? [])].join('\n');
  const found = new Set<string>();
  for (const [, kind, id] of text.matchAll(/<([@!])([^>|]+)(?:\|[^>]*)?>/g)) {
    if (kind === '@') found.add(id!);
    else if (id === 'channel' || id === 'everyone') found.add('everyone');
    else if (id === 'here') found.add('here');
    else if (id!.startsWith('subteam^')) found.add(`role:${id!.slice(8)}`);
  }
  return [...found];
}

/** The chat.postMessage that created this message, or the chat.update that last changed it. */
function lastCallFor(fake: FakeSlackApi, r: DeliveryReceipt): RecordedCall {
  const calls = fake.calls.filter(
    (c) =>
      c.response.ok === true &&
      ((c.method === 'chat.postMessage' && c.response.channel === r.channelId && c.response.ts === r.messageId) ||
        (c.method === 'chat.update' && c.args.channel === r.channelId && c.args.ts === r.messageId)),
  );
  if (!calls.length) throw new Error(`no call posted ${r.channelId}/${r.messageId}`);
  return calls.at(-1)!;
}

platformPortContract('slack', async () => {
  const fake = await startFakeSlackApi({ users: USERS, rateLimits: false });
  const port = createSlackPort({ log: silentLogger(), botToken: fake.token, apiUrl: fake.apiUrl });
  return {
    port,
    communityPlatformId: fake.team.id,
    users: ['U0ANN0001', 'U0BEN0001'],
    channelId: 'C0GENERAL1',
    // What Slack shows: the Block Kit of the last call that posted or edited this message,
    // as the fake Slack received it (the `text` fallback only when there are no blocks).
    textOf: async (r) => blockKitText(lastCallFor(fake, r).args),
    pingsOf: async (r) => slackPings(lastCallFor(fake, r).args as unknown as FakeMessage),
    close: () => fake.close(),
  };
});

describe('Slack port failures', () => {
  let fake: FakeSlackApi;
  let port: SlackPort;
  const team = 'T0FAKETEAM1';
  const hello = message(p('hello'));

  beforeAll(async () => {
    fake = await startFakeSlackApi({ users: USERS, rateLimits: false, unknownChannels: 'reject' });
    port = createSlackPort({ log: silentLogger(), botToken: fake.token, apiUrl: fake.apiUrl, timeoutMs: 500 });
  });
  afterAll(async () => fake?.close());

  const failure = async (run: () => Promise<unknown>): Promise<DeliveryError> => {
    try {
      await run();
    } catch (error) {
      expect(error).toBeInstanceOf(DeliveryError);
      return error as DeliveryError;
    }
    throw new Error('expected a DeliveryError');
  };

  test('a 429 is retryable after Retry-After', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const e = await failure(() => port.postToChannel(team, 'C0UNKNOWN1', hello));
    expect(e.options).toMatchObject({ retryable: true, code: 'ratelimited', retryAfterMs: 7000 });
  });

  test('5xx answers are retryable', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    const e = await failure(() => port.sendPrivate(team, 'U0ANN0001', hello));
    expect(e.options.retryable).toBe(true);
    expect(e.options.code).toBe('http_503');
  });

  test('a timeout is retryable', async () => {
    // A Web API that accepts the connection and never answers.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const slow = createSlackPort({
        log: silentLogger(),
        botToken: fake.token,
        apiUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/api/`,
        timeoutMs: 200,
      });
      const e = await failure(() => slow.postToChannel(team, 'C0GENERAL1', hello));
      expect(e.options).toMatchObject({ retryable: true, code: 'request_error' });
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  test.each(['not_in_channel', 'channel_not_found', 'account_inactive', 'invalid_auth', 'token_revoked'])('%s is permanent', async (code) => {
    fake.failNext('chat.postMessage', { error: code });
    const e = await failure(() => port.postToChannel(team, 'C0GENERAL1', hello));
    expect(e.options).toMatchObject({ retryable: false, code });
  });

  test('a missing channel is permanent, as Slack reports it', async () => {
    const e = await failure(() => port.postToChannel(team, 'C0UNKNOWN1', hello));
    expect(e.options).toMatchObject({ retryable: false, code: 'channel_not_found' });
  });

  test('a revoked token is permanent', async () => {
    fake.revokeToken(fake.token);
    try {
      const e = await failure(() => port.postToChannel(team, 'C0GENERAL1', hello));
      expect(e.options).toMatchObject({ retryable: false, code: 'token_revoked' });
    } finally {
      fake.addToken(fake.token);
    }
  });

  test('deactivated users are never messaged, and their DM failure names them', async () => {
    const e = await failure(() => port.sendPrivate(team, 'U0GONE001', hello));
    expect(e.options).toMatchObject({ retryable: false, code: 'account_inactive' });
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0GONE001')).toHaveLength(0);
    const dm = classifySlackError({ code: 'slack_webapi_platform_error', data: { error: 'user_not_found' } }, 'chat.postMessage', 'U0X');
    expect(dm.options.unreachableUserId).toBe('U0X');
  });

  test('lookupUser reads users.info once and hides deactivated users', async () => {
    const before = fake.callsTo('users.info').length;
    expect(await port.lookupUser(team, 'U0BEN0001')).toMatchObject({ platformUserId: 'U0BEN0001', displayName: 'ben', timeZone: 'UTC' });
    expect(await port.lookupUser(team, 'U0BEN0001')).not.toBeNull();
    expect(fake.callsTo('users.info').length - before).toBe(1);
    expect(await port.lookupUser(team, 'U0GONE001')).toBeNull();
  });
});
