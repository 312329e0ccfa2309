import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type SlackHandle } from '../../adapters/slack/index.ts';
import { createSlackPort } from '../../adapters/slack/port.ts';
import { createApp, type App } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import { message, p } from '../../src/messages/build.ts';
import { FAKE_SIGNING_SECRET, botSender, slashCommand, startFakeSlackApi, type FakeSlackApi } from '../fakes/slack/index.ts';

/**
 * Issue 12 item 2, end to end: the real Slack adapter (Bolt, its WebClient, the outbox's port) at
 * LOG_LEVEL=debug against the fake Slack, driven through failing uploads (HTTP 503, a refused
 * upload, a platform error), 429s, a timeout and a refused connection. Every line written is
 * captured and searched for the bot token, the signing secret and the client secret. The logger
 * is not told the secret values, so only the serializer and the shape scrub keep them out.
 */

const CLIENT_SECRET = 'c1i3n7s3cr37c1i3n7s3cr37c1i3n7aa';
const ALICE = { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Archivist', display_name: 'Alice' };
const BOB = { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Cataloger', display_name: 'Bob' };

describe('no secret in any log line while Slack fails', () => {
  const lines: string[] = [];
  let fake: FakeSlackApi;
  let app: App;
  let slack: SlackHandle;
  let blackHole: Server;
  let blackHoleUrl: string;
  let proxy: Server;
  /** Web API methods whose connections the proxy in front of the fake drops: a network error. */
  const dropping = new Set<string>();
  let send: ReturnType<typeof botSender>;
  let counter = 0;

  beforeAll(async () => {
    fake = await startFakeSlackApi({ rateLimits: false, users: [ALICE, BOB] });
    // Accepts connections and never answers: every call to it times out.
    blackHole = createServer(() => undefined);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}/api/`;
    // The adapter talks to the fake through a proxy that can drop a method's connections.
    const target = new URL(fake.url);
    proxy = createServer((req, res) => {
      if ([...dropping].some((m) => req.url?.includes(m))) {
        req.socket.destroy();
        return;
      }
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/`;
    const config = loadConfig({ LOG_LEVEL: 'debug', SLACK_CLIENT_SECRET: CLIENT_SECRET });
    const log = createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { write: (line: string) => void lines.push(line) });
    const port = createSlackPort({ log: log.child({ platform: 'slack' }), botToken: fake.token, apiUrl, timeoutMs: 1500 });
    app = await createApp({ config, clock: new ManualClock(new Date('2026-01-05T09:00:00Z')), log, ports: [port], database: openDatabase(':memory:') });
    slack = await startSlack({ app, config, log, slackPort: port, options: { botToken: fake.token, signingSecret: FAKE_SIGNING_SECRET, apiUrl, port: 0, host: '127.0.0.1' } });
    send = botSender(`http://127.0.0.1:${slack.port}/slack/events`);
  }, 30_000);

  afterAll(async () => {
    await slack?.stop();
    await app?.close();
    await app?.database.close();
    await fake?.close();
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    blackHole?.closeAllConnections();
    await new Promise<void>((resolve) => blackHole?.close(() => resolve()));
  });

  const slash = async (user: string, command: string, text: string) => {
    const id = `cmd-${++counter}`;
    await send(slashCommand({ command, text, user_id: user, channel_id: 'C0LIBRARY1', trigger_id: fake.issueTriggerId(user), response_url: fake.responseUrl(id) }));
    await fake.waitForResponsePost((post) => post.id === id, 10_000);
    await slack.idle();
    await app.core.flush();
  };

  it('through failing uploads, 429s, timeouts and refused connections', async () => {
    // Uploads: a network error (the WebClient's error carries its request config and Authorization header) ...
    dropping.add('files.getUploadURLExternal');
    await slash(ALICE.id, '/network', 'export-my-data');
    dropping.clear();
    // ... an HTTP 503 ...
    fake.failNext('files.getUploadURLExternal', { status: 503, count: 10 });
    await slash(ALICE.id, '/network', 'export-my-data');
    // ... a platform error ...
    fake.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    await slash(ALICE.id, '/network', 'export-my-data');
    // ... and an upload URL that refuses the connection.
    fake.override('files.getUploadURLExternal', () => ({ ok: true, upload_url: 'http://127.0.0.1:9/upload/v1/F1/x', file_id: 'F1' }));
    await slash(ALICE.id, '/network', 'export-my-data');
    fake.override('files.getUploadURLExternal', undefined);

    // 429s on the outbox's deliveries: an offer, then an ask that invites the helper.
    await slash(BOB.id, '/offer-help', 'cataloging: happy to walk new catalogers through RDA and MARC');
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1, count: 3 });
    fake.failNext('conversations.open', { status: 429, retryAfter: 1, count: 2 });
    await slash(ALICE.id, '/intro-request', 'cataloging: How did you learn RDA? What helped most? 20 min');
    await app.core.flush();

    // A timeout and a refused connection on the Web API itself.
    const hanging = createSlackPort({ log: createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { write: (l: string) => void lines.push(l) }), botToken: fake.token, apiUrl: blackHoleUrl, timeoutMs: 300 });
    await hanging.sendPrivate('T0FAKETEAM1', ALICE.id, message(p('hello'))).catch(() => undefined);
    const refused = createSlackPort({ log: createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { write: (l: string) => void lines.push(l) }), botToken: fake.token, apiUrl: 'http://127.0.0.1:9/api/', timeoutMs: 300 });
    await refused.sendPrivate('T0FAKETEAM1', ALICE.id, message(p('hello'))).catch(() => undefined);

    // No line carries a secret, in any form ...
    expect(lines.length).toBeGreaterThan(20);
    const all = lines.join('\n');
    for (const secret of [fake.token, FAKE_SIGNING_SECRET, CLIENT_SECRET]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/xoxb-[a-z0-9]/i);
    expect(all).not.toMatch(/Bearer (?!\[redacted\])/);
    // ... and the failures were logged, with what an operator needs (so this was not an empty search).
    const entries = lines.map((l) => JSON.parse(l) as { level?: number; msg: string; err?: { code?: string; status?: number; platformError?: string; message: string }; code?: string });
    const uploads = entries.filter((e) => e.msg === 'could not send files to the DM');
    expect(uploads).toHaveLength(4);
    expect(uploads[0]!.err).toMatchObject({ code: 'slack_webapi_request_error' });
    expect(uploads[1]!.err).toMatchObject({ status: 503 });
    expect(uploads[2]!.err).toMatchObject({ platformError: 'file_uploads_disabled' });
    expect(uploads[3]!.err!.message).toMatch(/upload of circulate-my-data.json failed/);
    expect(entries.some((e) => e.msg === 'Slack call failed; the outbox will retry')).toBe(true);
    expect(entries.some((e) => e.level === undefined)).toBe(false);
  }, 60_000);
});
