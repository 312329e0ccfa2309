import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { WebClient, ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_APP,
  FAKE_SIGNING_SECRET,
  appHomeOpened,
  blockActions,
  eventCallback,
  sendToBot,
  signature,
  slashCommand,
  startFakeSlackApi,
  urlVerification,
  viewSubmission,
  type FakeSlackApi,
} from './index.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function modal(title: string, extra: Record<string, unknown> = {}) {
  return { type: 'modal' as const, title: { type: 'plain_text' as const, text: title }, blocks: [section('hi')], ...extra };
}

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await p;
  } catch (e) {
    return e as WebAPIPlatformError;
  }
  throw new Error('expected the call to fail');
}

describe('fake Slack Web API with the real WebClient', () => {
  let fake: FakeSlackApi;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlackApi({
      users: [
        { id: 'U0ALICE', name: 'alice', real_name: 'Alice Archivist', display_name: 'alice', tz: 'Europe/London', email: 'a@example.org' },
        { id: 'U0BOB', name: 'bob', is_admin: true },
      ],
      channels: [{ id: 'C0GENERAL', name: 'general', members: ['U0ALICE', FAKE_APP.botUserId] }],
    });
    client = new WebClient(fake.token, { ...fake.clientOptions, retryConfig: { retries: 0 }, logger: silent });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setRateLimiting(false);
  });

  it('posts a message and records the call with token and decoded args', async () => {
    const blocks = [section('*hello*')];
    const res = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'hello', blocks });
    expect(res.ok).toBe(true);
    expect(res.channel).toBe('C0GENERAL');
    expect(res.ts).toMatch(/^\d+\.\d{6}$/);
    const call = fake.lastCall('chat.postMessage')!;
    expect(call.token).toBe(fake.token);
    expect(call.contentType).toContain('application/x-www-form-urlencoded');
    expect(call.args.blocks).toMatchObject(blocks);
    expect(call.missingTextFallback).toBe(false);
    expect(fake.messagesIn('C0GENERAL').map((m) => m.text)).toEqual(['hello']);
  });

  it('flags blocks without a text fallback but still accepts them', async () => {
    const res = await client.chat.postMessage({ channel: 'C0GENERAL', blocks: [section('only blocks')] });
    expect(res.ok).toBe(true);
    const call = fake.lastCall('chat.postMessage')!;
    expect(call.missingTextFallback).toBe(true);
    expect(call.warnings).toContain('missing_text_fallback');
  });

  it('answers invalid_blocks for 51 blocks, with a json-pointer explanation', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`b${i}`));
    const err = await platformError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks }));
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data.error).toBe('invalid_blocks');
    expect(err.data.response_metadata?.messages?.[0]).toMatch(/no more than 50 items allowed \[json-pointer:\/blocks\]/);
    expect(fake.messagesIn('C0GENERAL')).toHaveLength(0);
  });

  it('rejects over-long text, missing content and unknown channels like Slack', async () => {
    expect((await platformError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x'.repeat(40_001) }))).data.error).toBe(
      'msg_too_long',
    );
    expect((await platformError(client.chat.postMessage({ channel: 'C0GENERAL', text: '' }))).data.error).toBe('no_text');
    expect((await platformError(client.chat.postMessage({ channel: '#nope', text: 'x' }))).data.error).toBe('channel_not_found');
  });

  it('accepts JSON bodies with a Bearer token, and ignores a token inside JSON as Slack does', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as Record<string, unknown>,
      }));
    const ok = await post(
      { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${fake.token}` },
      { channel: 'C0GENERAL', text: 'json' },
    );
    expect(ok).toMatchObject({ status: 200, json: { ok: true, channel: 'C0GENERAL' } });
    const noAuth = await post({ 'Content-Type': 'application/json' }, { token: fake.token, channel: 'C0GENERAL', text: 'json' });
    expect(noAuth).toEqual({ status: 200, json: { ok: false, error: 'not_authed' } });
  });

  it('answers not_authed, invalid_auth and token_revoked', async () => {
    const anonymous = new WebClient(undefined, { ...fake.clientOptions, retryConfig: { retries: 0 }, logger: silent });
    expect((await platformError(anonymous.auth.test())).data.error).toBe('not_authed');
    const wrong = new WebClient('xoxb-wrong', { ...fake.clientOptions, retryConfig: { retries: 0 }, logger: silent });
    expect((await platformError(wrong.auth.test())).data.error).toBe('invalid_auth');
    fake.addToken('xoxb-second');
    fake.revokeToken('xoxb-second');
    const revoked = new WebClient('xoxb-second', { ...fake.clientOptions, retryConfig: { retries: 0 }, logger: silent });
    expect((await platformError(revoked.auth.test())).data.error).toBe('token_revoked');
    const me = await client.auth.test();
    expect(me).toMatchObject({ ok: true, user_id: FAKE_APP.botUserId, bot_id: FAKE_APP.botId });
  });

  it('opens modals with a fresh trigger and rejects a 25-character title', async () => {
    const tooLong = await platformError(client.views.open({ trigger_id: fake.issueTriggerId(), view: modal('x'.repeat(25)) }));
    expect(tooLong.data.error).toBe('invalid_arguments');
    expect(tooLong.data.response_metadata?.messages).toContain('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]');

    const trigger = fake.issueTriggerId('U0ALICE');
    const opened = await client.views.open({ trigger_id: trigger, view: modal('x'.repeat(24), { callback_id: 'ask' }) });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.views.get(opened.view!.id!)).toMatchObject({ type: 'modal', userId: 'U0ALICE' });
    expect((await platformError(client.views.open({ trigger_id: trigger, view: modal('again') }))).data.error).toBe(
      'exchanged_trigger_id',
    );
    expect((await platformError(client.views.open({ trigger_id: 'nonsense', view: modal('t') }))).data.error).toBe(
      'invalid_trigger_id',
    );

    const updated = await client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: modal('Updated') });
    expect(updated.view?.hash).not.toBe(opened.view!.hash);
    expect((await platformError(client.views.update({ view_id: opened.view!.id!, hash: 'stale', view: modal('t') }))).data.error).toBe(
      'hash_conflict',
    );
  });

  it('publishes App Home views per user', async () => {
    const res = await client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [section('home')] } });
    expect(res.ok).toBe(true);
    expect(fake.homeView('U0ALICE')?.view.blocks).toHaveLength(1);
    const err = await platformError(client.views.publish({ user_id: 'U0ALICE', view: modal('not home') as never }));
    expect(err.data.error).toBe('invalid_arguments');
  });

  it('opens stable DM and group DM channels and reads users from the directory', async () => {
    const a = await client.conversations.open({ users: 'U0ALICE' });
    const again = await client.conversations.open({ users: 'U0ALICE' });
    expect(a.channel?.id).toBe(fake.dmChannelFor('U0ALICE'));
    expect(again.channel?.id).toBe(a.channel?.id);
    expect(again).toMatchObject({ no_op: true, already_open: true });
    const group = await client.conversations.open({ users: 'U0BOB,U0ALICE' });
    const group2 = await client.conversations.open({ users: 'U0ALICE, U0BOB' });
    expect(group.channel?.id).toMatch(/^G/);
    expect(group2.channel?.id).toBe(group.channel?.id);
    const members = await client.conversations.members({ channel: group.channel!.id! });
    expect(members.members).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB', FAKE_APP.botUserId]));

    const info = await client.users.info({ user: 'U0ALICE' });
    expect(info.user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice Archivist',
      tz: 'Europe/London',
      is_bot: false,
      deleted: false,
      profile: { display_name: 'alice', email: 'a@example.org' },
    });
    expect((await client.users.info({ user: 'U0BOB' })).user?.is_admin).toBe(true);
    expect((await platformError(client.users.info({ user: 'not-a-user' }))).data.error).toBe('user_not_found');
    expect((await client.team.info()).team?.id).toBe(fake.team.id);
  });

  it('updates and deletes only messages that exist', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0ALICE', text: 'v1' });
    expect(posted.channel).toBe(fake.dmChannelFor('U0ALICE'));
    await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'v2' });
    expect(fake.messagesIn('U0ALICE')[0]).toMatchObject({ text: 'v2', edits: 1 });
    await client.chat.delete({ channel: posted.channel!, ts: posted.ts! });
    expect(fake.messagesIn('U0ALICE')).toHaveLength(0);
    expect((await platformError(client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'v3' }))).data.error).toBe(
      'message_not_found',
    );
    const eph = await client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'psst' });
    expect(eph.message_ts).toBeDefined();
    expect((await platformError(client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0BOB', text: 'psst' }))).data.error).toBe(
      'user_not_in_channel',
    );
  });

  it('answers 429 with Retry-After, and WebClient waits and retries', async () => {
    fake.setRateLimiting(true);
    fake.configureRateLimits({ 'chat.postMessage': { perChannelPerSecond: 1, burst: 1 } });
    const retrying = new WebClient(fake.token, {
      ...fake.clientOptions,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
      logger: silent,
    });
    const started = Date.now();
    await retrying.chat.postMessage({ channel: 'C0GENERAL', text: 'one' });
    await retrying.chat.postMessage({ channel: 'C0GENERAL', text: 'two' });
    const elapsed = Date.now() - started;
    const statuses = fake.callsTo('chat.postMessage').map((c) => c.status);
    expect(statuses).toEqual([200, 429, 200]);
    expect(fake.callsTo('chat.postMessage')[1]).toMatchObject({ retryAfter: 1, response: { ok: false, error: 'ratelimited' } });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(fake.stats()['chat.postMessage']).toEqual({ total: 3, ok: 2, errors: 0, rateLimited: 1, serverErrors: 0 });
    // Other channels have their own allowance.
    await retrying.chat.postMessage({ channel: 'C0OTHER', text: 'elsewhere' });
    expect(fake.lastCall()?.status).toBe(200);
  });

  it('surfaces 429 to callers that reject rate-limited calls', async () => {
    fake.failNext('conversations.open', { status: 429, retryAfter: 7 });
    const rejecting = new WebClient(fake.token, { ...fake.clientOptions, rejectRateLimitedCalls: true, logger: silent });
    const err = (await platformError(rejecting.conversations.open({ users: 'U0ALICE' }))) as unknown as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
  });

  it('injects failures on demand and at a seeded random rate', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect((await platformError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).data.error).toBe('channel_not_found');
    fake.failNext('*', { status: 503 });
    const http = await platformError(client.auth.test());
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect((await client.auth.test()).ok).toBe(true);

    const pattern = async () => {
      fake.reset();
      fake.setRandomFailures({ rate: 0.3, statuses: [429, 500], seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST', headers: { Authorization: `Bearer ${fake.token}` } });
        out.push(r.status);
        if (r.status === 429) expect(r.headers.get('retry-after')).toBe('1');
      }
      fake.setRandomFailures(undefined);
      return out;
    };
    const first = await pattern();
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(await pattern()).toEqual(first);
  });
});

describe('real Bolt App against the fake', () => {
  const secret = FAKE_SIGNING_SECRET;
  let fake: FakeSlackApi;
  let app: App;
  let botUrl: string;

  beforeAll(async () => {
    fake = await startFakeSlackApi({ rateLimits: false });
    app = new App({
      signingSecret: secret,
      token: fake.token,
      clientOptions: { ...fake.clientOptions, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });
    app.command('/circulate', async ({ command, ack, client, respond }) => {
      await ack();
      await client.chat.postMessage({ channel: command.channel_id, text: `asked: ${command.text}` });
      await respond({ response_type: 'ephemeral', text: 'Posted your ask.' });
    });
    app.command('/circulate-modal', async ({ command, ack, client }) => {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: modal('Ask', { callback_id: 'ask' }) });
    });
    app.action('offer_help', async ({ ack, body, client }) => {
      await ack();
      const user = body.user.id;
      await client.chat.postMessage({ channel: user, text: 'Thanks for offering!' });
    });
    app.view('ask', async ({ ack, view }) => {
      const topic = view.state.values.topic_block?.topic?.value ?? '';
      if (topic.length < 3) await ack({ response_action: 'errors', errors: { topic_block: 'Too short' } });
      else await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section('Welcome')] } });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('receives a signed slash command, acks, posts via the fake and responds via response_url', async () => {
    const responseUrl = fake.responseUrl();
    const req = slashCommand({ command: '/circulate', text: 'cataloguing', user_id: 'U0ALICE', channel_id: 'C0LIB', response_url: responseUrl });
    const res = await sendToBot(botUrl, req, { signingSecret: secret });
    expect(res.status).toBe(200);
    const call = await fake.waitFor('chat.postMessage');
    expect(call.args).toMatchObject({ channel: 'C0LIB', text: 'asked: cataloguing' });
    expect(call.token).toBe(fake.token);
    const post = await fake.waitForResponsePost();
    expect(post).toMatchObject({ url: responseUrl, body: { text: 'Posted your ask.', response_type: 'ephemeral' } });
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const req = slashCommand({ command: '/circulate', user_id: 'U0ALICE', channel_id: 'C0LIB' });
    expect((await sendToBot(botUrl, req, { signingSecret: secret, badSignature: true })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await sendToBot(botUrl, req, { signingSecret: secret, timestampOverride: sixMinutesAgo })).status).toBe(401);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('opens a modal from the trigger and validates its submission', async () => {
    const trigger = fake.issueTriggerId('U0ALICE');
    await sendToBot(botUrl, slashCommand({ command: '/circulate-modal', user_id: 'U0ALICE', channel_id: 'C0LIB', trigger_id: trigger }), {
      signingSecret: secret,
    });
    const open = await fake.waitFor('views.open');
    expect(open.response.ok).toBe(true);
    const view = fake.views.get((open.response.view as { id: string }).id)!.view;

    const bad = await sendToBot(botUrl, viewSubmission({ user: { id: 'U0ALICE' }, view, values: { topic_block: { topic: 'x' } } }), {
      signingSecret: secret,
    });
    expect(bad.json).toEqual({ response_action: 'errors', errors: { topic_block: 'Too short' } });
    const good = await sendToBot(botUrl, viewSubmission({ user: { id: 'U0ALICE' }, view, values: { topic_block: { topic: 'metadata' } } }), {
      signingSecret: secret,
    });
    expect(good.status).toBe(200);
    expect(good.body).toBe('');
  });

  it('handles a block action and an app_home_opened event (including a retry delivery)', async () => {
    const action = blockActions({
      user: { id: 'U0BOB' },
      channel: { id: 'C0LIB' },
      message: { ts: '1700000000.000100', text: 'ask' },
      actions: [{ action_id: 'offer_help', value: 'ask-1' }],
      response_url: fake.responseUrl(),
    });
    expect((await sendToBot(botUrl, action, { signingSecret: secret })).status).toBe(200);
    const dm = await fake.waitFor('chat.postMessage');
    expect(dm.response.channel).toBe(fake.dmChannelFor('U0BOB'));

    const evt = eventCallback(appHomeOpened({ user: 'U0BOB' }), { event_id: 'Ev0HOME1' });
    expect((await sendToBot(botUrl, evt, { signingSecret: secret })).status).toBe(200);
    await fake.waitFor('views.publish');
    expect(fake.homeView('U0BOB')).toBeDefined();
    const retry = await sendToBot(botUrl, evt, { signingSecret: secret, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
  });

  it('answers url_verification with the challenge', async () => {
    const res = await sendToBot(botUrl, urlVerification('chal-123'), { signingSecret: secret });
    expect(res.status).toBe(200);
    expect(res.body).toContain('chal-123');
  });
});

describe('signature helper', () => {
  it('matches the HMAC-SHA256 recipe Slack documents', () => {
    // Worked example from Slack's "Verifying requests from Slack" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});
