import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHttpServer, httpOptionsFromConfig, parseTrustProxy } from '../../../adapters/http/server.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { FAKE_SIGNING_SECRET, signature, slashCommand } from '../../fakes/slack/index.ts';
import { startHttpBot, type HttpBot } from './bot.ts';

/**
 * The one HTTP server with the Slack adapter on it, as a deployment runs it:
 * whatever a client sends, the process stays up and keeps answering signed
 * commands; limits are enforced before bodies are read; /healthz and /readyz
 * say what orchestrators need to know.
 */

let bot: HttpBot | undefined;
const sockets: Socket[] = [];
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => void crashes.push(error);

beforeEach(() => {
  crashes.length = 0;
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});

afterEach(async () => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  sockets.splice(0).forEach((s) => s.destroy());
  await bot?.close();
  bot = undefined;
});

/** Writes raw bytes on a fresh connection; resolves with the status code answered (0 if the server closed without one). */
function raw(port: number, chunks: string[], opts: { endAfterWrite?: boolean; destroyAfterWrite?: boolean } = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let data = '';
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      data += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      if (opts.destroyAfterWrite) socket.destroy();
      else if (opts.endAfterWrite) socket.end();
    });
  });
}

function signedHeaderLines(body: string, contentType: string): string {
  const ts = Math.floor(Date.now() / 1000);
  return `Content-Type: ${contentType}\r\nX-Slack-Request-Timestamp: ${ts}\r\nX-Slack-Signature: ${signature(FAKE_SIGNING_SECRET, ts, body)}\r\n`;
}

async function fetchStatus(url: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return res.status;
}

describe('one HTTP server', () => {
  test('nothing a client sends takes the process down; a signed command is still answered afterwards', async () => {
    bot = await startHttpBot();
    const b = bot;
    const port = Number(new URL(b.base).port);
    const events = `${b.base}/slack/events`;
    const form = 'application/x-www-form-urlencoded';
    const statuses: Record<string, number> = {
      'GET /slack/events': await fetchStatus(events),
      'GET /': await fetchStatus(`${b.base}/`),
      'HEAD /healthz': await fetchStatus(`${b.base}/healthz`, { method: 'HEAD' }),
      'OPTIONS /slack/events': await fetchStatus(events, { method: 'OPTIONS' }),
      'POST /other': await fetchStatus(`${b.base}/other`, { method: 'POST', body: 'x' }),
      'POST /slack/events/': await fetchStatus(`${events}/`, { method: 'POST', body: 'x' }),
      'DELETE /healthz': await fetchStatus(`${b.base}/healthz`, { method: 'DELETE' }),
      'garbage, unsigned': await fetchStatus(events, { method: 'POST', headers: { 'Content-Type': form }, body: '\u0000\u00ff%%%' }),
      'wrong content type': await fetchStatus(events, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' }),
      'no content type': await fetchStatus(events, { method: 'POST', body: new Uint8Array([1, 2, 3]) }),
      'multipart': await fetchStatus(events, { method: 'POST', body: new FormData() }),
      'signed malformed JSON': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('{"type":', 'application/json')}Content-Length: 8\r\n\r\n{"type":`]),
      'signed JSON array': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('[1,2]', 'application/json')}Content-Length: 5\r\n\r\n[1,2]`]),
      'signed malformed payload=': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('payload=%7B%22ty', form)}Content-Length: 16\r\n\r\npayload=%7B%22ty`]),
      'signed payload of another shape': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('payload=%7B%7D', form)}Content-Length: 14\r\n\r\npayload=%7B%7D`]),
      'signed empty form': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('', form)}Content-Length: 0\r\n\r\n`]),
      'stale signature': await fetchStatus(events, { method: 'POST', headers: { 'Content-Type': form, 'X-Slack-Request-Timestamp': '1', 'X-Slack-Signature': 'v0=1' }, body: 'a=b' }),
      'huge Content-Length, no body sent': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('', form)}Content-Length: 50000000\r\n\r\n`]),
      'chunked body over the limit': await raw(port, [
        `POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('', form)}Transfer-Encoding: chunked\r\n\r\n`,
        ...Array.from({ length: 20 }, () => `10000\r\n${'a'.repeat(0x10000)}\r\n`),
      ]),
      'truncated body, connection closed': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('abc', form)}Content-Length: 100\r\n\r\nabc`], { destroyAfterWrite: true }),
      'truncated body, half-closed': await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('abc', form)}Content-Length: 100\r\n\r\nabc`], { endAfterWrite: true }),
      'not HTTP at all': await raw(port, ['\u0016\u0003\u0001 hello there\r\n\r\n']),
      'bad header': await raw(port, ['POST /slack/events HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n']),
      'header flood': await raw(port, [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`]),
      'absolute URL': await raw(port, ['GET http://evil.example/slack/events HTTP/1.1\r\nHost: evil.example\r\n\r\n']),
      'path traversal': await fetchStatus(`${b.base}/slack/../../etc/passwd`),
    };
    expect(statuses).toEqual({
      'GET /slack/events': 405,
      'GET /': 404,
      'HEAD /healthz': 200,
      'OPTIONS /slack/events': 405,
      'POST /other': 404,
      'POST /slack/events/': 404,
      'DELETE /healthz': 405,
      'garbage, unsigned': 401,
      'wrong content type': 401,
      'no content type': 401,
      'multipart': 401,
      'signed malformed JSON': 400,
      'signed JSON array': 400,
      'signed malformed payload=': 400,
      'signed payload of another shape': 200,
      'signed empty form': 200,
      'stale signature': 401,
      'huge Content-Length, no body sent': 413,
      'chunked body over the limit': 413,
      'truncated body, connection closed': 0,
      'truncated body, half-closed': 400,
      'not HTTP at all': 400,
      'bad header': 400,
      'header flood': 431,
      'absolute URL': 404,
      'path traversal': 404,
    });
    // Still serving: a signed command is acknowledged and answered privately.
    const id = 'after-the-storm';
    const res = await b.send(
      slashCommand({ command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1', response_url: b.fake.responseUrl(id) }),
    );
    expect(res.status).toBe(200);
    const answer = await b.fake.waitForResponsePost((p) => p.id === id);
    expect(answer.body.response_type).toBe('ephemeral');
    await b.slack.idle();
    expect(crashes).toEqual([]);
    expect(b.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  test('a body over 1 MiB is refused with 413 from its Content-Length, before it is sent', async () => {
    bot = await startHttpBot();
    const port = Number(new URL(bot.base).port);
    // Only the headers go out; the answer comes without waiting for the 2 MiB.
    const status = await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('', 'application/json')}Content-Length: ${2 * 1024 * 1024}\r\n\r\n`]);
    expect(status).toBe(413);
  });

  test('a request whose body never finishes gets 408 after the request timeout', async () => {
    bot = await startHttpBot({ http: { requestTimeoutMs: 300, headersTimeoutMs: 300 } });
    const port = Number(new URL(bot.base).port);
    const status = await raw(port, [`POST /slack/events HTTP/1.1\r\nHost: x\r\n${signedHeaderLines('abc', 'application/json')}Content-Length: 100\r\n\r\nabc`]);
    expect(status).toBe(408);
  });

  test('/healthz says alive; /readyz is 200 only when every check passes, else 503 naming the failing one', async () => {
    let databaseOk = true;
    bot = await startHttpBot({ http: { checks: { database: async () => (databaseOk ? true : Promise.reject(new Error('SQLITE_READONLY'))) } } });
    const health = await fetch(`${bot.base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);
    const ready = await fetch(`${bot.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok', slack: 'ok' } });
    databaseOk = false;
    const notReady = await fetch(`${bot.base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, checks: { database: 'SQLITE_READONLY', slack: 'ok' } });
  });

  test('the database check the composition uses fails when the database is gone', async () => {
    bot = await startHttpBot();
    expect((await bot.http.readiness()).ready).toBe(true);
    await bot.app.database.close();
    const result = await bot.http.readiness();
    expect(result.ready).toBe(false);
    expect(result.checks.database).not.toBe('ok');
  });

  test('a known path with the wrong method is 405 with Allow', async () => {
    bot = await startHttpBot();
    const res = await fetch(`${bot.base}/slack/events`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const health = await fetch(`${bot.base}/healthz`, { method: 'POST' });
    expect([health.status, health.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  test('connections over the cap are dropped, with one warning per interval', async () => {
    bot = await startHttpBot({ http: { maxConnections: 3 } });
    const port = Number(new URL(bot.base).port);
    const open = async (): Promise<Socket> => {
      const s = connect(port, '127.0.0.1');
      sockets.push(s);
      s.on('error', () => undefined);
      await new Promise((resolve) => s.once('connect', resolve));
      return s;
    };
    for (let i = 0; i < 3; i++) await open();
    const extra = await Promise.all([open(), open(), open()]);
    await Promise.all(extra.map((s) => (s.destroyed ? undefined : new Promise((resolve) => s.once('close', resolve)))));
    expect(bot.http.dropped).toBe(3);
    expect(bot.logs.filter((l) => l.msg.startsWith('HTTP connection limit reached'))).toHaveLength(1);
  });
});

describe('configuration', () => {
  test('TRUST_PROXY: empty or false trusts nobody; true or addresses otherwise; a hop count is refused', () => {
    expect([undefined, '', 'false', 'true', '10.0.0.0/8, 127.0.0.1'].map(parseTrustProxy)).toEqual([false, false, false, true, '10.0.0.0/8, 127.0.0.1']);
    const config = loadConfig({ PORT: '8080', HTTP_MAX_CONNECTIONS: '50', HTTP_REQUEST_TIMEOUT_MS: '5000', TRUST_PROXY: '127.0.0.1' });
    expect(httpOptionsFromConfig(config)).toEqual({ port: 8080, maxConnections: 50, requestTimeoutMs: 5000, trustProxy: '127.0.0.1' });
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY: a hop count is not supported/);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });

  test('behind a trusted proxy the client address comes from X-Forwarded-For, otherwise not', async () => {
    const ips: string[] = [];
    for (const trustProxy of [false, '127.0.0.1'] as const) {
      const http = createHttpServer({ log: createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' }), port: 0, host: '127.0.0.1', trustProxy });
      http.fastify.get('/ip', (request) => request.ip);
      const port = await http.listen();
      ips.push(await (await fetch(`http://127.0.0.1:${port}/ip`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).text());
      await http.close();
    }
    expect(ips).toEqual(['127.0.0.1', '203.0.113.7']);
  });
});
