import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { ConsolePort, ConsoleSession, runConsole } from '../adapters/console/index.ts';
import { ConfigError, createApp, createLogger, loadConfig, ManualClock, MigrationError, systemClock, useSeededIds, type Config, type Logger, type PlatformPort } from '../src/index.ts';

/**
 * Entry point. Reads `.env` when present, validates the configuration, migrates
 * the database and starts the adapters that are configured: Slack and/or Discord
 * when their tokens are set, otherwise the console on the embedded SQLite
 * database, so anyone can try it. Adapters are imported only when used, so a
 * Slack-only process never loads discord.js.
 */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const { values: args } = parseArgs({
    options: {
      seed: { type: 'string' },
      start: { type: 'string' },
      database: { type: 'string' },
      moderator: { type: 'string', multiple: true },
    },
    allowPositionals: false,
  });
  const config = loadConfig();
  const log = createLogger(config);

  // Slack over HTTP needs the signing secret; Socket Mode the app token; either needs a bot token or OAuth.
  const slack = Boolean((config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN) && (config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID));
  const discord = Boolean(config.DISCORD_TOKEN);
  if (slack || discord) return runPlatforms(config, log, { slack, discord, databaseUrl: args.database });

  const start = args.start ? new Date(args.start) : null;
  if (start && Number.isNaN(start.getTime())) throw new ConfigError(`--start: expected an ISO date such as 2026-01-05T09:00:00Z, got ${args.start}`);
  if (args.seed !== undefined) {
    const seed = Number(args.seed);
    if (!Number.isInteger(seed)) throw new ConfigError(`--seed: expected a whole number, got ${args.seed}`);
    useSeededIds(seed);
  }
  log.info('no platform tokens configured; starting the console adapter');
  const clock = new ManualClock(start);
  const write = (text: string): void => void process.stdout.write(`${text}\n`);
  // The port needs display names the session learns, and the session needs the port.
  const names = { of: (id: string): string => id };
  const port = new ConsolePort(write, (id) => names.of(id));
  // On the console, prompts and digests go to a #general channel unless configured otherwise.
  const consoleConfig = Object.freeze({ ...config, DEFAULT_PROMPT_CHANNEL: config.DEFAULT_PROMPT_CHANNEL ?? 'general' });
  const app = await createApp({ config: consoleConfig, clock, log, ports: [port], ...(args.database ? { databaseUrl: args.database } : {}) });
  const moderators = [...(args.moderator ?? []), ...(config.CONSOLE_MODERATORS ?? '').split(',').map((m) => m.trim()).filter(Boolean)];
  const session = new ConsoleSession(app.core, port, clock, write, { communityName: config.CONSOLE_COMMUNITY_NAME, moderators });
  names.of = (id) => session.nameOf(id);
  await runConsole({ app, port, session, clock, input: process.stdin, output: process.stdout, log });
  await app.close();
}

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Runs Slack and/or Discord in this process, sharing one database, core,
 * outbox and HTTP server (Slack's routes, /healthz, /readyz). SIGTERM or SIGINT
 * stops it like a service: no new connections, requests in flight answered and
 * their work finished, background jobs stopped, this instance's outbox claims
 * released, the database closed; exit 0, or 1 if that takes over 10 s.
 */
async function runPlatforms(config: Config, log: Logger, which: { slack: boolean; discord: boolean; databaseUrl: string | undefined }): Promise<void> {
  const configEnv = config as unknown as Record<string, string | undefined>;
  const clock = systemClock;
  const ports: PlatformPort[] = [];
  const { createHttpServer, httpOptionsFromConfig } = await import('../adapters/http/server.ts');
  const http = createHttpServer({ log, ...httpOptionsFromConfig(config) });
  const starters: ((app: Awaited<ReturnType<typeof createApp>>) => Promise<{ stop(): Promise<void> }>)[] = [];

  if (which.slack) {
    const slackAdapter = await import('../adapters/slack/index.ts');
    const options = slackAdapter.slackOptionsFromEnv(config, configEnv);
    const slackPort = slackAdapter.createSlackPort({ log: log.child({ platform: 'slack' }), botToken: options.botToken, apiUrl: options.apiUrl });
    ports.push(slackPort);
    starters.push(async (app) => {
      const handle = await slackAdapter.startSlack({ app, config, log, options, slackPort, http });
      log.info({ socketMode: Boolean(options.appToken) }, 'Slack adapter started');
      return handle;
    });
  }
  if (which.discord) {
    const discordAdapter = await import('../adapters/discord/index.ts');
    const options = discordAdapter.discordOptionsFromEnv(configEnv);
    const port = discordAdapter.createDiscordPort({ options, log });
    ports.push(port);
    starters.push(async (app) => {
      const handle = await discordAdapter.startDiscord({ app, log, options, port, http });
      log.info('Discord adapter started');
      return handle;
    });
  }

  const app = await createApp({ config, clock, log, ports, ...(which.databaseUrl ? { databaseUrl: which.databaseUrl } : {}) });
  http.addReadinessCheck('database', async () => (await app.health()).database);
  const handles: { stop(): Promise<void> }[] = [];
  let stopping = false;
  let stopBackground: () => void = () => undefined;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      log.warn({ signal }, 'second signal while shutting down; exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: refusing new connections, finishing work in flight');
    const force = setTimeout(() => {
      log.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    const steps: [string, () => Promise<unknown>][] = [
      ['http', () => http.close()],
      ['background', async () => stopBackground()],
      ['adapters', () => Promise.all(handles.map((h) => h.stop()))],
      // This instance claims nothing more and gives back the rows it has not started sending,
      // so the next start (or another instance) sends them at once; the sends under way finish.
      ['outbox claims', async () => log.info({ released: await app.core.dispatcher.releaseClaims() }, 'outbox claims released')],
      ['outbox sends in flight', () => app.core.dispatcher.idle()],
      ['database', () => app.close()],
    ];
    let failed = false;
    for (const [step, run] of steps) {
      try {
        await run();
      } catch (error) {
        failed = true;
        log.error({ err: error, step }, 'shutdown step failed');
      }
    }
    clearTimeout(force);
    log.info({ failed }, 'stopped');
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  for (const start of starters) handles.push(await start(app));
  await http.listen();
  if (stopping) return;
  stopBackground = app.startBackground();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Circulate failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
