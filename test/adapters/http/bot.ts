import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../../adapters/http/server.ts';
import { createSlackPort, startSlack, type SlackHandle } from '../../../adapters/slack/index.ts';
import { createApp, type App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { createLogger } from '../../../src/logger.ts';
import { FAKE_SIGNING_SECRET, botSender, startFakeSlackApi, type FakeSlackApi, type FakeSlackApiOptions } from '../../fakes/slack/index.ts';

/**
 * A Circulate process on Slack for the HTTP tests, composed as bin/circulate.ts
 * does: one HTTP server, the Slack adapter's routes registered on it, the
 * database as a readiness check. Every log line is kept in `logs`.
 */
export interface HttpBot {
  fake: FakeSlackApi;
  app: App;
  slack: SlackHandle;
  http: HttpServer;
  base: string;
  send: ReturnType<typeof botSender>;
  logs: { level: number; msg: string; [key: string]: unknown }[];
  close(): Promise<void>;
}

export async function startHttpBot(
  opts: {
    fake?: FakeSlackApiOptions;
    /** Runs before the adapter starts (e.g. to make auth.test fail). */
    beforeStart?: (fake: FakeSlackApi) => void;
    http?: Partial<HttpServerOptions>;
    backoff?: { firstMs: number; maxMs: number };
  } = {},
): Promise<HttpBot> {
  const fake = await startFakeSlackApi({ rateLimits: false, ...opts.fake });
  opts.beforeStart?.(fake);
  const logs: HttpBot['logs'] = [];
  const log = createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
  const port = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
  const app = await createApp({ config, clock, log, ports: [port], database: openDatabase(':memory:') });
  const http = createHttpServer({
    log,
    port: 0,
    host: '127.0.0.1',
    ...opts.http,
    checks: { database: () => app.database.db.selectFrom('communities').select('id').limit(1).execute(), ...opts.http?.checks },
  });
  const slack = await startSlack({
    app,
    config,
    log,
    slackPort: port,
    http,
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    options: { botToken: fake.token, signingSecret: FAKE_SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 },
  });
  const listening = await http.listen();
  const base = `http://127.0.0.1:${listening}`;
  return {
    fake,
    app,
    slack,
    http,
    base,
    logs,
    send: botSender(`${base}/slack/events`),
    async close() {
      await http.close();
      await slack.stop();
      await app.close();
      await app.database.close();
      await fake.close();
    },
  };
}
