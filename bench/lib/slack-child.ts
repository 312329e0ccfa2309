import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BENCH_USERS, benchUserId, type ChildMessage } from './slack-shared.ts';

/**
 * Entry point of the Slack bench's child processes (`node slack-child.js <role>`).
 * Each role imports only what it needs, when it starts, so the bot's resident
 * memory is the bot's: no fake Web API, no load generator, no bare Bolt app in
 * its process. The parent (bench/slack.ts) talks to children over IPC.
 */

const send = (m: ChildMessage): void => void process.send!(m);

async function fake(): Promise<void> {
  const { startFakeSlackApi } = await import('../../test/fakes/slack/index.ts');
  const users = Array.from({ length: BENCH_USERS }, (_, i) => ({ id: benchUserId(i), name: `member${i}`, display_name: `Member ${i}` }));
  const api = await startFakeSlackApi({ users, rateLimits: false });
  send({ ready: Number(new URL(api.url).port) });
  process.on('message', (m: string) => {
    if (m === 'answered') send({ answered: api.responsePosts.filter((p) => p.status === 200).length });
    else if (m === 'answers') send({ answers: api.responsePosts.map((p) => ({ id: p.id, at: p.at, status: p.status, text: String(p.body.text ?? '') })) });
    else if (m === 'stop') void api.close().then(() => process.exit(0));
  });
}

/** A Bolt app that acknowledges every command and does nothing else: the baseline. */
async function bare(apiUrl: string): Promise<() => Promise<void>> {
  const { App, HTTPReceiver } = await import('@slack/bolt');
  const { FAKE_BOT_TOKEN, FAKE_SIGNING_SECRET } = await import('../../test/fakes/slack/defaults.ts');
  const receiver = new HTTPReceiver({ signingSecret: FAKE_SIGNING_SECRET, endpoints: '/slack/events' });
  const app = new App({ receiver, token: FAKE_BOT_TOKEN, clientOptions: { slackApiUrl: apiUrl } });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  send({ ready: (server.address() as AddressInfo).port });
  return () => app.stop() as Promise<void>;
}

/**
 * Circulate on Slack as a deployment would start it, on an in-memory SQLite database
 * unless BENCH_DATABASE_URL names a SQLite file or a PostgreSQL database.
 */
async function bot(apiUrl: string): Promise<() => Promise<void>> {
  const { createSlackPort, startSlack } = await import('../../adapters/slack/index.ts');
  const { createApp } = await import('../../src/app.ts');
  const { systemClock } = await import('../../src/clock.ts');
  const { loadConfig } = await import('../../src/config.ts');
  const { openDatabase } = await import('../../src/db/database.ts');
  const { createLogger } = await import('../../src/logger.ts');
  const { FAKE_BOT_TOKEN, FAKE_SIGNING_SECRET } = await import('../../test/fakes/slack/defaults.ts');
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const log = createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });
  const port = createSlackPort({ log, botToken: FAKE_BOT_TOKEN, apiUrl });
  const app = await createApp({ config, clock: systemClock, log, ports: [port], database: openDatabase(process.env.BENCH_DATABASE_URL ?? ':memory:') });
  const slack = await startSlack({
    app,
    config,
    log,
    slackPort: port,
    options: { botToken: FAKE_BOT_TOKEN, signingSecret: FAKE_SIGNING_SECRET, apiUrl, port: 0, host: '127.0.0.1' },
  });
  send({ ready: slack.port });
  return async () => {
    await slack.stop();
    await app.close();
    await app.database.close();
  };
}

async function run(role: string | undefined): Promise<void> {
  const apiUrl = process.env.SLACK_API_URL ?? '';
  if (role === 'fake') return fake();
  if (role !== 'bot' && role !== 'bare') throw new Error(`unknown role ${role}`);
  const stop = role === 'bot' ? await bot(apiUrl) : await bare(apiUrl);
  process.on('message', (m: string) => {
    if (m === 'memory') {
      const rss = process.memoryUsage.rss();
      (globalThis as { gc?: () => void }).gc?.();
      const after = process.memoryUsage();
      send({ memory: { rss, rssAfterGc: after.rss, heapUsed: after.heapUsed } });
    } else if (m === 'stop') void stop().then(() => process.exit(0));
  });
}

await run(process.argv[2]);
