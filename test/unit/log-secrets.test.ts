import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../adapters/slack/logger.ts';
import { createLogger, scrubSecrets, serializeError } from '../../src/logger.ts';

/**
 * Issue 12 item 2: the bot token reached the log inside error objects (request config headers)
 * and Discord interaction tokens inside `err.url`. Errors now go through one serializer, and every
 * written line is scrubbed of known secret shapes.
 */

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const USER_TOKEN = 'xoxp-1111-2222-3333-abcdefabcdefabcdef';
const APP_TOKEN = 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef';
const DISCORD_BOT_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OkFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFla';
const SECRETS = [BOT_TOKEN, USER_TOKEN, APP_TOKEN, DISCORD_BOT_TOKEN, INTERACTION_TOKEN];

/** A Slack WebAPI request error as @slack/web-api builds it: the axios error, config and headers attached. */
function slackRequestError(): Error {
  const original = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
    code: 'ECONNREFUSED',
    config: { url: 'https://slack.com/api/files.getUploadURLExternal', headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'User-Agent': 'x' }, data: `token=${BOT_TOKEN}` },
    request: { _header: `POST /api/chat.postMessage HTTP/1.1\r\nAuthorization: Bearer ${BOT_TOKEN}\r\n` },
  });
  return Object.assign(new Error(`A request error occurred: ${original.message}`), { code: 'slack_webapi_request_error', original });
}

function slackPlatformError(): Error {
  return Object.assign(new Error('An API error occurred: ratelimited'), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error: 'ratelimited', response_metadata: { scopes: ['chat:write'], acceptedScopes: [] } },
    headers: { authorization: `Bearer ${USER_TOKEN}` },
  });
}

function discordInteractionError(): DiscordAPIError {
  return new DiscordAPIError(
    { code: 10062, message: 'Unknown interaction' },
    10062,
    404,
    'POST',
    `https://discord.com/api/v10/interactions/1234567890123456789/${INTERACTION_TOKEN}/callback`,
    { body: { type: 4, data: { content: 'hi' } }, files: undefined },
  );
}

function discordWebhookError(): DiscordAPIError {
  return new DiscordAPIError(
    { code: 50027, message: 'Invalid Webhook Token' },
    50027,
    401,
    'PATCH',
    `https://discord.com/api/v10/webhooks/1122334455667788990/${INTERACTION_TOKEN}/messages/@original`,
    { body: {}, files: undefined },
  );
}

function capture() {
  const lines: string[] = [];
  const log = createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { write: (line: string) => void lines.push(line) });
  return { log, lines };
}

function expectClean(lines: string[]) {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    JSON.parse(line);
    for (const secret of SECRETS) expect(line).not.toContain(secret);
    // No fragment long enough to be useful either.
    expect(line).not.toMatch(/xox[a-z]-\d|Bearer [^[]/);
  }
}

describe('errors in logs', () => {
  const errors = [slackRequestError(), slackPlatformError(), discordInteractionError(), discordWebhookError()];

  it('under err, error, as the first argument, nested as a cause, and as String(error): no secret is written', () => {
    const { log, lines } = capture();
    for (const error of errors) {
      log.warn({ err: error, method: 'files upload' }, 'could not send files to the DM');
      log.error({ error }, 'failed');
      log.error(error);
      log.error({ err: new Error('wrapped', { cause: error }) }, 'wrapped failure');
      log.warn({ reason: String(error), url: (error as { url?: string }).url }, `failed: ${String(error)}`);
      log.child({ component: 'x' }).debug({ err: error }, 'debug');
    }
    log.info({ headers: { Authorization: `Bot ${DISCORD_BOT_TOKEN}` }, text: `token ${DISCORD_BOT_TOKEN} and ${APP_TOKEN}` }, 'config dump');
    expectClean(lines);
  });

  it('keeps what an operator needs: name, message, code, the platform error name, the status and the route', () => {
    const { log, lines } = capture();
    for (const error of errors) log.error({ err: error }, 'failed');
    const logged = lines.map((l) => (JSON.parse(l) as { err: Record<string, unknown> }).err);
    expect(logged[0]).toMatchObject({ type: 'Error', code: 'slack_webapi_request_error', message: 'A request error occurred: connect ECONNREFUSED 127.0.0.1:9' });
    expect(logged[1]).toMatchObject({ code: 'slack_webapi_platform_error', platformError: 'ratelimited' });
    expect(logged[2]).toMatchObject({ type: 'DiscordAPIError[10062]', code: 10062, platformError: 10062, status: 404, message: 'Unknown interaction' });
    expect(logged[3]).toMatchObject({ code: 50027, status: 401 });
    for (const err of logged) {
      expect(Object.keys(err).sort()).toEqual(expect.arrayContaining(['message', 'type']));
      for (const key of Object.keys(err)) expect(['type', 'message', 'code', 'platformError', 'status', 'stack', 'cause']).toContain(key);
      expect(typeof err.stack).toBe('string');
    }
  });

  it('the Bolt logger adapter writes no secret from the objects Bolt hands it', () => {
    const { log, lines } = capture();
    const bolt = boltLogger(log);
    bolt.error('listener error', slackRequestError());
    bolt.warn({ headers: { Authorization: `Bearer ${BOT_TOKEN}` }, token: BOT_TOKEN });
    bolt.debug(`http request: POST https://slack.com/api/auth.test token=${BOT_TOKEN}`);
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    bolt.info('circular', circular);
    expectClean(lines);
  });

  it('scrubs each known shape and the configured secret values, and nothing ordinary', () => {
    expect(scrubSecrets(`a ${BOT_TOKEN} b`)).toBe('a xox-[redacted] b');
    expect(scrubSecrets(`https://discord.com/api/v10/webhooks/42/${INTERACTION_TOKEN}/messages/@original`)).toBe('https://discord.com/api/v10/webhooks/42/[redacted]/messages/@original');
    expect(scrubSecrets(`/interactions/42/${INTERACTION_TOKEN}/callback`)).toBe('/interactions/42/[redacted]/callback');
    expect(scrubSecrets(`Authorization: Bot ${DISCORD_BOT_TOKEN}`)).toBe('Authorization: Bot [redacted]');
    expect(scrubSecrets(`token ${DISCORD_BOT_TOKEN}`)).toBe('token [redacted]');
    expect(scrubSecrets('signing secret is 8f0e2b7c9d1a', ['8f0e2b7c9d1a'])).toBe('signing secret is [redacted]');
    const ordinary = 'Bot answered the Bearer of news; offer #12 for U0ALICE01 in C0LIBRARY1 at /api/chat.postMessage (xoxo, Ann)';
    expect(scrubSecrets(ordinary)).toBe(ordinary);
    const lines: string[] = [];
    const log = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', SLACK_SIGNING_SECRET: 'f1e2d3c4b5a6978800112233', SLACK_CLIENT_SECRET: 'c0ffee00c0ffee00c0ffee00' }, { write: (l: string) => void lines.push(l) });
    log.info({ dump: { signing: 'f1e2d3c4b5a6978800112233', client: 'c0ffee00c0ffee00c0ffee00' } }, 'oops');
    expect(lines.join('\n')).not.toMatch(/f1e2d3c4b5a6978800112233|c0ffee00c0ffee00c0ffee00/);
  });

  it('serializes any thrown value', () => {
    expect(serializeError('plain string with xoxb-1-2-3')).toEqual({ type: 'string', message: 'plain string with xox-[redacted]' });
    expect(serializeError(undefined)).toEqual({ type: 'undefined', message: 'undefined' });
    expect(serializeError({ name: 'Weird', message: 42 }).type).toBe('Weird');
  });
});
