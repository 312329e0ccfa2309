import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FAKE_SIGNING_SECRET, FAKE_TEAM, slashCommand } from '../fakes/slack/index.ts';
import { startHttpBot, type HttpBot } from '../adapters/http/bot.ts';

/**
 * Fuzzes the signed HTTP front door of a running bot (the one HTTP server with
 * the Slack adapter, the core and an in-memory database behind it): arbitrary
 * methods, paths, headers and bodies, signed or not, and correctly signed slash
 * commands of arbitrary text. Never a crash, never an unhandled rejection,
 * every answer a 2xx or 4xx, every reply to a command private.
 *
 * FUZZ_RUNS sets the number of arbitrary requests (default 300 in `npm test`;
 * `npm run fuzz` uses 100,000, about 3 minutes). Commands go through the whole
 * core (~30 ms each), so they take FUZZ_CORE_RUNS, by default a fifth of that
 * (at least 100), as the command-parser fuzzer does.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const COMMAND_RUNS = Number(process.env.FUZZ_CORE_RUNS ?? Math.max(100, Math.round(RUNS / 5)));
// Long runs need more than vitest's default; scale with the number of runs.
const TIMEOUT = Math.max(60_000, RUNS * 100);
const COMMAND_TIMEOUT = Math.max(60_000, COMMAND_RUNS * 200);

let bot: HttpBot;
let port: number;
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => void crashes.push(error);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  bot = await startHttpBot();
  port = Number(new URL(bot.base).port);
});

afterAll(async () => {
  await bot?.close();
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

interface Sent {
  status: number;
  body: string;
}

/** One request with node:http (any method token, any header), no keep-alive. */
function send(method: string, path: string, headers: Record<string, string>, body: Uint8Array): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'Content-Length': String(body.length), Connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/).filter((n) => !['content-length', 'transfer-encoding', 'connection', 'host', 'expect', 'upgrade'].includes(n.toLowerCase()));
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((v) => v.trim());
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded; charset=utf-8',
  '',
);
const body = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc.string({ maxLength: 2000 }).map((s) => new TextEncoder().encode(s)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => new TextEncoder().encode(JSON.stringify(v) ?? 'null')),
  fc.jsonValue({ maxDepth: 4 }).map((v) => new TextEncoder().encode(`payload=${encodeURIComponent(JSON.stringify(v) ?? '')}`)),
  fc
    .record({ type: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'event_callback', 'shortcut', 'message_action', 'url_verification', 'block_suggestion'), extra: fc.object({ maxDepth: 2 }) })
    .map((v) => new TextEncoder().encode(`payload=${encodeURIComponent(JSON.stringify({ ...v.extra, type: v.type, team: { id: FAKE_TEAM.id } }))}`)),
);

test(
  'arbitrary requests, signed or not: never a crash, every answer 2xx or 4xx',
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND'),
          path: fc.oneof(
            fc.constantFrom('/slack/events', '/slack/events', '/slack/events/', '/slack/events?x=1', '/', '/healthz', '/readyz', '/slack/install', '/slack/oauth_redirect', '/slack/%2e%2e/healthz'),
            fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
          ),
          headers: fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
          contentType,
          body,
          signed: fc.boolean(),
          skewSeconds: fc.oneof(fc.constant(0), fc.integer({ min: -1000, max: 1000 })),
        }),
        async (r) => {
          const headers: Record<string, string> = { ...r.headers };
          if (r.contentType) headers['Content-Type'] = r.contentType;
          if (r.signed) {
            const ts = Math.floor(Date.now() / 1000) + r.skewSeconds;
            headers['X-Slack-Request-Timestamp'] = String(ts);
            // Over the bytes as sent, as Slack signs them.
            headers['X-Slack-Signature'] = `v0=${createHmac('sha256', FAKE_SIGNING_SECRET).update(`v0:${ts}:`).update(r.body).digest('hex')}`;
          }
          const res = await send(r.method, r.path, headers, r.body);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
    await bot.slack.idle();
    expect(crashes).toEqual([]);
    expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
  },
  TIMEOUT,
);

let commandCount = 0;

test(
  'signed slash commands of arbitrary text: acknowledged with an empty 200, every reply private',
  async () => {
    const logsBefore = bot.logs.length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/offer-help', '/intro-request', '/interview-practice', '/network', '/network-admin', '/unknown-command'),
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', 'help', 'list', 'profile', 'pause 2w', '<!channel> hi', '@everyone: x')),
        fc.constantFrom('U0ALICE01', 'U0BOB0001', 'U0CAROL01'),
        async (command, text, user) => {
          const id = `fuzz-${++commandCount}`;
          const res = await bot.send(slashCommand({ command, text, user_id: user, channel_id: 'C0LIBRARY1', response_url: bot.fake.responseUrl(id) }));
          expect([res.status, res.body]).toEqual([200, '']);
          await bot.slack.idle();
          for (const post of bot.fake.responsePostsTo(id)) expect(post.body.response_type).not.toBe('in_channel');
        },
      ),
      { numRuns: COMMAND_RUNS },
    );
    // The commands were answered (the property above looked at real replies).
    expect(bot.fake.responsePosts.length).toBeGreaterThan(COMMAND_RUNS / 2);
    // Nothing a command said went to the channel it was typed in.
    expect(bot.fake.messagesIn('C0LIBRARY1')).toEqual([]);
    expect(crashes).toEqual([]);
    expect(bot.logs.slice(logsBefore).filter((l) => l.level >= 50)).toEqual([]);
  },
  COMMAND_TIMEOUT,
);
