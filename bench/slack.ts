import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { signedHeaders, slashCommand } from '../test/fakes/slack/signing.ts';
import { BOT_V8_FLAGS, machine, percentile, spawnChild, startFakeSlack } from './lib/children.ts';
import { recordRun } from './lib/readme-section.ts';
import { BENCH_USERS, benchUserId } from './lib/slack-shared.ts';

/**
 * `npm run bench:slack`: how fast the Slack adapter acknowledges slash commands
 * under a burst, next to a bare Bolt app that only acknowledges, in one run.
 * Each app runs in its own child process, so the resident memory reported is
 * the bot's alone; the fake Web API runs in another and the load generator in
 * this one.
 *
 * The bot runs twice, side by side: compiled to JavaScript by `tsc` and run on
 * plain `node` with {@link BOT_V8_FLAGS} (bench/lib/slack-build.ts: same
 * source, one .js per .ts), and from source under tsx's loader without flags,
 * as `npm run dev` runs it. The bare app and the fake run compiled.
 * Targets (issue 4), judged on the compiled bot: p99 ack ≤ 50 ms; throughput
 * ≥ 70% of the bare app's; RSS after the run ≤ 150 MB.
 *
 * `--record` also writes this run into the slack section of bench/README.md.
 */

const CONCURRENCY = 100;
const ROUNDS = 5;
const WARMUP = CONCURRENCY;

interface Result {
  p50: number;
  p99: number;
  max: number;
  rps: number;
  non200: number;
}

/** Latencies and wall time of bursts sent to one app, accumulated over rounds. */
class Tally {
  readonly latencies: number[] = [];
  wallMs = 0;
  non200 = 0;
  /** Requests that had to open a new connection (keep-alive had none idle). */
  newConnections = 0;

  result(): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1)!,
      rps: sorted.length / (this.wallMs / 1000),
      non200: this.non200,
    };
  }
}

/**
 * Sends the requests at once over `agent` and records how long each ack took.
 * `node:http` rather than `fetch`: against a server that does nothing, 100
 * concurrent `fetch` calls measured a p99 of 220–420 ms on this machine and
 * `http.request` 60–100 ms, so with `fetch` the load generator, not the app,
 * set the latency. Every app gets the same client.
 */
async function burst(url: string, agent: Agent, bodies: ReturnType<typeof slashCommand>[], tally: Tally): Promise<void> {
  const requests = bodies.map((req) => ({ req, headers: { ...signedHeaders(req), 'Content-Length': String(Buffer.byteLength(req.body)) } }));
  const started = performance.now();
  await Promise.all(
    requests.map(
      ({ req, headers }) =>
        new Promise<void>((resolve) => {
          const t0 = performance.now();
          const done = (status: number) => {
            tally.latencies.push(performance.now() - t0);
            if (status !== 200) tally.non200++;
            resolve();
          };
          const out = request(url, { method: 'POST', agent, headers }, (res) => {
            res.resume();
            res.once('end', () => done(res.statusCode ?? 0));
          });
          out.once('socket', () => {
            if (!out.reusedSocket) tally.newConnections++;
          });
          out.once('error', () => done(0));
          out.end(req.body);
        }),
    ),
  );
  tally.wallMs += performance.now() - started;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machineLine = machine();
  const { fake, fakeUrl, apiUrl } = await startFakeSlack();
  let responseId = 0;
  const topics = ['cataloging', 'archives', 'grant writing', 'instruction', 'metadata', 'storytime', 'systems', 'management'];
  const body = (n: number) =>
    slashCommand({
      command: '/offer-help',
      text: `${topics[n % topics.length]}: happy to walk newer colleagues through it, ${1 + (n % 3)}/month`,
      user_id: benchUserId(n % BENCH_USERS),
      channel_id: 'C0BENCH001',
      response_url: `${fakeUrl}/response/bench-${++responseId}`,
    });

  const apps = [
    { name: 'bare Bolt (ack only), compiled', child: await spawnChild('bare', 'compiled', apiUrl), bot: false },
    { name: `Circulate bot, compiled JS on node ${BOT_V8_FLAGS.join(' ')}`, child: await spawnChild('bot', 'compiled', apiUrl, BOT_V8_FLAGS), bot: true },
    { name: 'Circulate bot, source under tsx, no flags (`npm run dev`)', child: await spawnChild('bot', 'tsx', apiUrl), bot: true },
  ].map((a) => ({
    ...a,
    url: `http://127.0.0.1:${a.child.port}/slack/events`,
    // Keep-alive like a real sender; idle sockets are dropped after 4 s, before the server's 5 s, so none is reused as it closes.
    agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY, timeout: 4000 }),
    tally: new Tally(),
  }));

  let n = 0;
  const bodies = (count: number) => Array.from({ length: count }, () => body(n++));
  // The bots answer every command on its response_url: a bot's burst is done when all answers arrived.
  let sentToBots = 0;
  const botsSettled = async () => {
    const deadline = Date.now() + 30_000;
    while ((await fake.answered()) < sentToBots && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

  for (const app of apps) {
    await burst(app.url, app.agent, bodies(WARMUP), new Tally());
    if (app.bot) sentToBots += WARMUP;
    await botsSettled();
  }
  const atRest = await Promise.all(apps.map((a) => a.child.memory()));

  // Rounds go through the apps in turn, so load from elsewhere on the machine hits all alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const app of apps) {
      const before = app.tally.latencies.length;
      await burst(app.url, app.agent, bodies(CONCURRENCY), app.tally);
      if (process.env.BENCH_DEBUG) {
        const round = app.tally.latencies.slice(before).sort((a, b) => a - b);
        console.log(`round ${r} ${app.name}: p50 ${percentile(round, 50).toFixed(0)} ms, max ${round.at(-1)!.toFixed(0)} ms, new connections so far ${app.tally.newConnections}`);
      }
      if (app.bot) sentToBots += CONCURRENCY;
      await botsSettled();
      await pause();
    }
  }
  const after = await Promise.all(apps.map((a) => a.child.memory()));
  const answered = await fake.answered();
  for (const app of apps) app.agent.destroy();
  for (const p of [...apps.map((a) => a.child), fake]) p.stop();

  const results = apps.map((a) => a.tally.result());
  const [bare, bot, botTsx] = [results[0]!, results[1]!, results[2]!];
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  const ms = (v: number) => v.toFixed(1);
  const pct = (r: Result) => `${((r.rps / bare.rps) * 100).toFixed(0)}%`;
  const ratio = bot.rps / bare.rps;
  const rssAfter = Math.max(after[1]!.rss, after[1]!.rssAfterGc);
  const lines = [
    `### Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machineLine}.`,
    `Load: ${ROUNDS} rounds × ${CONCURRENCY} concurrent signed /offer-help requests per app, the apps in turn each round, after a ${WARMUP}-request warm-up each.`,
    '',
    '| app | ack p50 (ms) | ack p99 (ms) | max (ms) | requests/s | vs bare | non-200 | RSS at rest (MB) | RSS after run (MB) | after run, forced GC (MB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...apps.map((a, i) => {
      const r = results[i]!;
      return `| ${a.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.rps.toFixed(0)} | ${pct(r)} | ${r.non200} | ${mb(atRest[i]!.rss)} | ${mb(after[i]!.rss)} | ${mb(after[i]!.rssAfterGc)} |`;
    }),
    '',
    `- compiled bot: ack p99 ${ms(bot.p99)} ms (target ≤ 50) **${bot.p99 <= 50 ? 'PASS' : 'FAIL'}**; ` +
      `throughput ${(ratio * 100).toFixed(0)}% of bare (target ≥ 70%) **${ratio >= 0.7 ? 'PASS' : 'FAIL'}**; ` +
      `RSS after the run ${mb(rssAfter)} MB without forcing GC (target ≤ 150) **${rssAfter <= 150 * 1024 * 1024 ? 'PASS' : 'FAIL'}**`,
    `- bot under tsx as \`npm run dev\` runs it: ack p99 ${ms(botTsx.p99)} ms, ${pct(botTsx)} of bare, RSS after the run ${mb(after[2]!.rss)} MB`,
    `- ephemeral answers posted to response_url by the two bots: ${answered} of ${sentToBots}; ` +
      `connections opened during the rounds (keep-alive misses): ${apps.map((a) => a.tally.newConnections).join(' / ')}`,
  ];
  const report = lines.join('\n');
  console.log(report);
  if (process.argv.includes('--record')) {
    recordRun(fileURLToPath(new URL('./README.md', import.meta.url)), 'slack:runs', report);
    console.log('\nrecorded in bench/README.md');
  }
}

await main();
