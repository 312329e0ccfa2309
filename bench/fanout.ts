/**
 * `npm run bench:fanout`: one pairing round of 10,000 introductions delivered
 * through the fake Slack Web API with its per-method rate limits and 5% injected
 * 429 and 500 answers. Prints the total time against the floor the rate limits
 * set, and the lost and duplicated introductions; records the table in
 * bench/README.md (`--record`).
 *
 * Slack's real limits (users.info 100/min, conversations.open 50/min) would make
 * this a 3-hour run, so every rate is multiplied by SCALE (default 100) on both
 * sides: the fake enforces the scaled limits and the port paces to them. Bursts
 * keep Slack's sizes. The floor is computed from the same scaled numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createSlackPort } from '../adapters/slack/port.ts';
import { createApp } from '../src/app.ts';
import { ManualClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { ensureCommunity, updateCommunitySettings } from '../src/db/communities.ts';
import { openDatabase } from '../src/db/database.ts';
import { runRound } from '../src/flows/rounds.ts';
import { RateLimiter, type LaneRule } from '../src/outbox/rate-limiter.ts';
import { enqueue } from '../src/outbox/outbox.ts';
import { settingsFor } from '../src/settings.ts';
import { fork } from 'node:child_process';
import { DEFAULT_RATE_LIMITS, type RateLimitRule } from '../test/fakes/slack/rate-limit.ts';
import { FAKE_TEAM } from '../test/fakes/slack/defaults.ts';
import type { FanoutReport } from './lib/fanout-fake.ts';
import { recordSection } from './lib/record.ts';

const INTRODUCTIONS = Number(process.env.FANOUT_INTRODUCTIONS ?? 10_000);
const SCALE = Number(process.env.FANOUT_SCALE ?? 100);
const FAILURE_RATE = 0.05;
const CONCURRENCY = Number(process.env.FANOUT_CONCURRENCY ?? 96);
const METHODS = ['users.info', 'conversations.open', 'chat.postMessage'] as const;

/** Slack's limit for a method, with every rate multiplied by SCALE and bursts unchanged. */
function scaled(rule: RateLimitRule): RateLimitRule {
  return {
    ...(rule.perMinute ? { perMinute: rule.perMinute * SCALE, burst: rule.burst ?? rule.perMinute } : {}),
    ...(rule.perSecond ? { perSecond: rule.perSecond * SCALE } : {}),
    ...(rule.perChannelPerSecond ? { perChannelPerSecond: rule.perChannelPerSecond * SCALE, burst: rule.burst ?? 3 } : {}),
  };
}
const limits = Object.fromEntries(METHODS.map((m) => [m, scaled(DEFAULT_RATE_LIMITS[m]!)]));

/** The port paces each method (and chat.postMessage per channel) to the same limits the fake enforces. */
function laneRule(lane: string): LaneRule | null {
  const method = lane.split(':')[0]!;
  const rule = limits[method];
  if (!rule) return null;
  if (rule.perChannelPerSecond) return lane.includes(':') ? { perSecond: rule.perChannelPerSecond, burst: rule.burst ?? 3 } : null;
  const perSecond = (rule.perMinute ?? 0) / 60 + (rule.perSecond ?? 0);
  return { perSecond, burst: rule.burst ?? Math.max(1, perSecond) };
}

/** The least time the rate limits allow for this many calls of each method. */
function floorSeconds(calls: Record<string, number>): { seconds: number; method: string } {
  let best = { seconds: 0, method: '' };
  for (const [method, n] of Object.entries(calls)) {
    const rule = laneRule(method);
    if (!rule) continue;
    const seconds = Math.max(0, n - rule.burst) / rule.perSecond;
    if (seconds > best.seconds) best = { seconds, method };
  }
  return best;
}

/** Starts the fake Slack API in a child process and talks to it over IPC. */
async function startFake(setup: { users: number; limits: Record<string, RateLimitRule>; failureRate: number; methods: string[] }) {
  const child = fork(new URL('./lib/fanout-fake.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  const next = () => new Promise<unknown>((resolve) => child.once('message', resolve));
  const started = next();
  child.send(setup);
  const { ready } = (await started) as { ready: { apiUrl: string; token: string } };
  return {
    apiUrl: ready.apiUrl,
    token: ready.token,
    request(message: string): Promise<unknown> {
      const reply = next();
      child.send(message);
      return reply;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function main(): Promise<void> {
  const log = pino({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'circulate-fanout-'));
  const members = INTRODUCTIONS * 2;
  const users = Array.from({ length: members }, (_, i) => ({ id: `U${String(i).padStart(7, '0')}`, realName: `Member ${i}` }));
  const fake = await startFake({ users: members, limits, failureRate: FAILURE_RATE, methods: [...METHODS] });
  const config = loadConfig({ DATABASE_URL: join(dir, 'fanout.db'), LOG_LEVEL: 'silent', REMATCH_WINDOW_WEEKS: '0' });
  const clock = new ManualClock(null);
  const limiter = new RateLimiter(laneRule);
  const port = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl, limiter });
  const database = openDatabase(config.DATABASE_URL);
  const app = await createApp({
    config,
    clock,
    log,
    ports: [port],
    database,
    retryPolicy: { maxAttempts: 12, baseDelayMs: 250, maxDelayMs: 4_000, leaseMs: 60_000, concurrency: CONCURRENCY, batchSize: 2000 },
  });

  // A community of opted-in members, paired by the real round flow.
  const now = clock.now();
  const community = await ensureCommunity(database.db, 'slack', FAKE_TEAM.id, FAKE_TEAM.name, now);
  await updateCommunitySettings(database.db, community, { groupSize: 2 });
  const iso = now.toISOString();
  for (let i = 0; i < members; i += 500) {
    await database.db
      .insertInto('members')
      .values(
        users.slice(i, i + 500).map((u, j) => ({
          id: `m${i + j}`,
          community_id: community.id,
          platform_user_id: u.id,
          display_name: u.realName,
          time_zone: null,
          career_stage: ['student', 'early', 'mid', 'senior', 'returning'][(i + j) % 5]!,
          areas: JSON.stringify([['archives', 'cataloging', 'reference', 'youth services', 'data services'][(i + j) % 5]]),
          organisations: '[]',
          bio: '',
          availability: '[]',
          paused_until: null,
          removed_at: null,
          rounds_opt_in: 1,
          created_at: iso,
          updated_at: iso,
        })),
      )
      .execute();
  }
  const roundStart = performance.now();
  await database.db.transaction().execute(async (trx) => {
    const fresh = (await trx.selectFrom('communities').selectAll().where('id', '=', community.id).executeTakeFirstOrThrow());
    const outgoing = await runRound({ db: trx, config, settings: settingsFor(fresh, config), log }, fresh, new Date(now.getTime() + 1000));
    await enqueue(trx, community.id, outgoing, now);
  });
  const roundSeconds = (performance.now() - roundStart) / 1000;
  const queued = await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  console.log(`round: ${members} members paired into ${queued.n} introductions in ${roundSeconds.toFixed(1)} s (not timed below)`);

  // Delivery: the dispatcher runs as in production until nothing is pending.
  await fake.request('reset');
  const start = performance.now();
  const stop = app.core.dispatcher.runContinuously(250);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const pending = await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) break;
  }
  stop();
  const seconds = (performance.now() - start) / 1000;

  // Each introduction is a group DM between its two members: exactly one post each.
  const report = ((await fake.request('report')) as { report: FanoutReport }).report;
  const posts = Object.values(report.posts);
  const expected = INTRODUCTIONS;
  const delivered = posts.filter((n) => n >= 1).length;
  const duplicates = posts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const failed = await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow();
  const successful = report.successful;
  const floor = floorSeconds(successful);
  const injected = report.injected;
  const got429 = report.realRateLimited;
  const stats = report.stats;

  const rows = [
    ['introductions', String(expected)],
    ['delivered', String(delivered)],
    ['lost', String(expected - delivered)],
    ['duplicated', String(duplicates)],
    ['failed outbox rows', String(failed.n)],
    ['total time', `${seconds.toFixed(1)} s`],
    ['floor set by the rate limits', `${floor.seconds.toFixed(1)} s (${floor.method})`],
    ['time / floor', `${(seconds / floor.seconds).toFixed(3)}`],
    ['successful calls', METHODS.map((m) => `${m} ${successful[m]}`).join(', ')],
    ['injected failures (429 and 500)', String(injected)],
    ['real 429s from the limits', String(got429)],
  ];
  const table = ['| measure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  console.log(table);
  console.log(`calls by method: ${JSON.stringify(stats)}`);
  const target = seconds <= 1.2 * floor.seconds && expected === delivered && duplicates === 0;
  console.log(`targets (≤ 1.2 × floor, 0 lost, 0 duplicated): ${target ? 'met' : 'NOT met'}`);

  if (process.argv.includes('--record')) {
    const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average at start ${loadavg()[0]!.toFixed(2)}`;
    recordSection(
      'fanout',
      [
        '## Fan-out (`npm run bench:fanout`)',
        '',
        `One pairing round of ${expected.toLocaleString('en')} introductions (${members.toLocaleString('en')} opted-in members paired by the real round flow),`,
        'delivered by the outbox dispatcher through the Slack port to the fake Slack Web API, with 5% of users.info,',
        'conversations.open and chat.postMessage calls answered 429 (Retry-After 1 s) or 500 at random (seeded).',
        `Slack's per-method limits are multiplied by ${SCALE} on both sides (the fake enforces them, the port paces to them;`,
        'bursts keep Slack\'s sizes), so the run takes minutes instead of hours. The floor is the least time those limits',
        `allow for the calls that succeeded. Dispatcher concurrency ${CONCURRENCY}; SQLite file database.`,
        '',
        `Machine: ${machine}.`,
        '',
        table,
        '',
        `Targets: at most 1.2 × the floor, 0 lost, 0 duplicated — **${target ? 'met' : 'not met'}**.`,
      ].join('\n'),
    );
  }
  await app.close();
  await database.close();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
}

await main();
