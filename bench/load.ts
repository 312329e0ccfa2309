import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signedHeaders, slashCommand } from '../test/fakes/slack/signing.ts';
import { createPostgresDatabase } from '../test/support/databases.ts';
import { BOT_V8_FLAGS, machine, percentile, spawnChild, startFakeSlack, type Child } from './lib/children.ts';
import { recordRun } from './lib/readme-section.ts';
import { BENCH_USERS, benchUserId, type Answer, type Memory } from './lib/slack-shared.ts';

/**
 * `npm run bench:load`: a steady stream of signed slash commands (2,000 over 20 s,
 * one every 10 ms, as members would send them, not a burst) against the bot on a
 * SQLite file and on PostgreSQL, next to a bare Bolt app that only acknowledges, in
 * one run; then the same again while 200 slow clients hold connections open
 * (headers sent, body dribbled a byte a second), the way a scanner or a bad proxy
 * would. Every app runs in its own child process (bench/lib/slack-child.ts), the
 * fake Web API in another, the load in this one.
 *
 * Per app and phase: failures (no 200 ack, or a command whose private answer never
 * arrived or said something went wrong / temporarily unavailable: target 0), ack
 * p50/p99 (target p99 ≤ 50 ms on a quiet machine), answer p99 (command sent → its
 * answer at the fake's response_url), RSS before and after.
 *
 * Flags: `--record` writes the run into bench/README.md; `--quick` sends 400
 * commands over 4 s per phase (a smoke run). PostgreSQL is used when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL names a server (a scratch database
 * `circulate_bench` is created there and dropped after); otherwise its rows are skipped.
 */

const QUICK = process.argv.includes('--quick');
const COMMANDS = QUICK ? 400 : 2000;
const SPREAD_MS = QUICK ? 4000 : 20_000;
const SLOW_CONNECTIONS = 200;
const ANSWER_WAIT_MS = 30_000;
const FAILED_ANSWER = /something went wrong|temporarily unavailable/i;

const TOPICS = ['cataloging', 'archives', 'grant writing', 'instruction', 'metadata', 'storytime', 'systems', 'management'];

/** The command mix: mostly writes (offers), some reads (lists, profile, matches). */
function commandFor(n: number): { command: string; text: string } {
  switch (n % 5) {
    case 0:
      return { command: '/offer-help', text: 'list' };
    case 1:
      return { command: '/network', text: 'profile' };
    case 2:
      return { command: '/network', text: 'matches' };
    default:
      return { command: '/offer-help', text: `${TOPICS[n % TOPICS.length]} ${n}: happy to walk newer colleagues through it, ${1 + (n % 3)}/month` };
  }
}

interface PhaseResult {
  acks: number[];
  answers: number[];
  ackFailures: number;
  answerFailures: number;
  missing: number;
  before: Memory;
  after: Memory;
}

/**
 * Holds `count` connections open on `port` with a POST whose body arrives a byte a
 * second: what one slow or hostile client at a time, times 200, looks like.
 */
function holdSlowConnections(port: number, count: number): () => void {
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(`POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n`);
      const timer = setInterval(() => socket.writable && socket.write('a'), 1000);
      timers.push(timer);
    });
    sockets.push(socket);
  }
  return () => {
    timers.forEach(clearInterval);
    sockets.forEach((s) => s.destroy());
  };
}

/** Sends COMMANDS signed commands, one every SPREAD_MS / COMMANDS ms, and waits for the bot's answers. */
async function phase(app: Child, fake: Child, fakeUrl: string, label: string, slow: boolean, answersExpected: boolean): Promise<PhaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 });
  const releaseSlow = slow ? holdSlowConnections(app.port, SLOW_CONNECTIONS) : () => undefined;
  if (slow) await new Promise((r) => setTimeout(r, 500));
  const before = await app.memory();
  const url = `http://127.0.0.1:${app.port}/slack/events`;
  const sentAt = new Map<string, number>();
  const acks: number[] = [];
  let ackFailures = 0;
  const gap = SPREAD_MS / COMMANDS;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let n = 0; n < COMMANDS; n++) {
    const due = started + n * gap;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `${label}-${n}`;
    const req = slashCommand({
      ...commandFor(n),
      user_id: benchUserId(n % BENCH_USERS),
      channel_id: 'C0BENCH001',
      response_url: `${fakeUrl}/response/${id}`,
    });
    const headers = { ...signedHeaders(req), 'Content-Length': String(Buffer.byteLength(req.body)) };
    inFlight.push(
      new Promise<void>((resolve) => {
        const t0 = performance.now();
        sentAt.set(id, Date.now());
        const out = request(url, { method: 'POST', agent, headers }, (res) => {
          res.resume();
          res.once('end', () => {
            acks.push(performance.now() - t0);
            if (res.statusCode !== 200) ackFailures++;
            resolve();
          });
        });
        out.once('error', () => {
          ackFailures++;
          resolve();
        });
        out.end(req.body);
      }),
    );
  }
  await Promise.all(inFlight);
  let mine: Answer[] = [];
  const deadline = Date.now() + ANSWER_WAIT_MS;
  while (answersExpected && Date.now() < deadline) {
    mine = (await fake.answers()).filter((a) => sentAt.has(a.id));
    if (new Set(mine.map((a) => a.id)).size >= COMMANDS - ackFailures) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const after = await app.memory();
  releaseSlow();
  agent.destroy();
  const firstAnswer = new Map<string, Answer>();
  for (const a of mine) if (!firstAnswer.has(a.id)) firstAnswer.set(a.id, a);
  const answers = [...firstAnswer.values()].map((a) => a.at - sentAt.get(a.id)!);
  const answerFailures = [...firstAnswer.values()].filter((a) => a.status !== 200 || FAILED_ANSWER.test(a.text)).length;
  const missing = answersExpected ? COMMANDS - firstAnswer.size : 0;
  return { acks: acks.sort((a, b) => a - b), answers: answers.sort((a, b) => a - b), ackFailures, answerFailures, missing, before, after };
}

/** A scratch PostgreSQL database for the bot, or null when no server is configured. */
async function scratchPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  return base ? createPostgresDatabase(base, 'circulate_bench') : null;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machineLine = machine();
  const { fake, fakeUrl, apiUrl } = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'circulate-load-'));
  const postgres = await scratchPostgres();

  const apps: { name: string; child: Child; bot: boolean }[] = [
    { name: 'bare Bolt (ack only)', child: await spawnChild('bare', 'compiled', apiUrl), bot: false },
    {
      name: 'Circulate bot, SQLite file',
      child: await spawnChild('bot', 'compiled', apiUrl, BOT_V8_FLAGS, { BENCH_DATABASE_URL: join(dir, 'load.db') }),
      bot: true,
    },
  ];
  if (postgres) {
    apps.push({ name: 'Circulate bot, PostgreSQL', child: await spawnChild('bot', 'compiled', apiUrl, BOT_V8_FLAGS, { BENCH_DATABASE_URL: postgres.url }), bot: true });
  }

  const rows: string[] = [];
  let failuresTotal = 0;
  let worstBotP99 = 0;
  const ms = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  for (const slow of [false, true]) {
    for (const app of apps) {
      const label = `${app.bot ? 'bot' : 'bare'}${apps.indexOf(app)}${slow ? 's' : 'n'}`;
      const r = await phase(app.child, fake, fakeUrl, label, slow, app.bot);
      const failures = r.ackFailures + r.answerFailures + r.missing;
      if (app.bot) {
        failuresTotal += failures;
        worstBotP99 = Math.max(worstBotP99, percentile(r.acks, 99));
      }
      rows.push(
        `| ${app.name} | ${slow ? `with ${SLOW_CONNECTIONS} slow connections` : 'steady'} | ${failures} (${r.ackFailures} ack, ${r.answerFailures} answer, ${r.missing} missing) | ` +
          `${ms(percentile(r.acks, 50))} | ${ms(percentile(r.acks, 99))} | ${app.bot ? ms(percentile(r.answers, 50)) : '–'} | ${app.bot ? ms(percentile(r.answers, 99)) : '–'} | ${mb(r.before.rss)} | ${mb(r.after.rss)} |`,
      );
      console.log(rows.at(-1));
    }
  }
  for (const a of [...apps.map((x) => x.child), fake]) a.stop();
  await new Promise((r) => setTimeout(r, 500));
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });

  const report = [
    `### Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (--quick)' : ''}`,
    '',
    `Machine: ${machineLine}.`,
    `Load per app and phase: ${COMMANDS} signed commands over ${SPREAD_MS / 1000} s (one every ${(SPREAD_MS / COMMANDS).toFixed(0)} ms; 3 in 5 add an offer, the rest list offers, show the profile or matches), ${BENCH_USERS} members.${postgres ? '' : ' No PostgreSQL server configured: its rows are missing.'}`,
    '',
    '| app | phase | failures | ack p50 (ms) | ack p99 (ms) | answer p50 (ms) | answer p99 (ms) | RSS before (MB) | RSS after (MB) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `- bot failures in all phases: ${failuresTotal} (target 0) **${failuresTotal === 0 ? 'PASS' : 'FAIL'}**; worst bot ack p99 ${ms(worstBotP99)} ms (target ≤ 50 on a quiet machine) **${worstBotP99 <= 50 ? 'PASS' : 'FAIL'}**`,
  ].join('\n');
  console.log(`\n${report}`);
  if (process.argv.includes('--record')) {
    recordRun(fileURLToPath(new URL('./README.md', import.meta.url)), 'load:runs', report);
    console.log('\nrecorded in bench/README.md');
  }
  process.exit(0);
}

await main();
