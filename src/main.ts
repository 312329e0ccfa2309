import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { ConsolePort, ConsoleSession, runConsole } from '../adapters/console/index.ts';
import { createApp } from './app.ts';
import { ManualClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { useSeededIds } from './ids.ts';
import { createLogger } from './logger.ts';
import { MigrationError } from './db/migrate.ts';

/**
 * Entry point. Reads `.env` when present, validates the configuration, migrates
 * the database and starts the adapters that are configured: with no platform
 * tokens, the console on the embedded SQLite database, so anyone can try it.
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

  const start = args.start ? new Date(args.start) : null;
  if (start && Number.isNaN(start.getTime())) throw new ConfigError(`--start: expected an ISO date such as 2026-01-05T09:00:00Z, got ${args.start}`);
  if (args.seed !== undefined) {
    const seed = Number(args.seed);
    if (!Number.isInteger(seed)) throw new ConfigError(`--seed: expected a whole number, got ${args.seed}`);
    useSeededIds(seed);
  }

  const slack = Boolean(config.SLACK_BOT_TOKEN || config.SLACK_APP_TOKEN);
  const discord = Boolean(config.DISCORD_TOKEN);
  if (slack || discord) {
    throw new ConfigError(
      'Slack and Discord adapters are not part of this build yet; unset SLACK_* and DISCORD_* to use the console adapter.',
    );
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
  const session = new ConsoleSession(app.core, port, clock, write, {
    communityName: config.CONSOLE_COMMUNITY_NAME,
    moderators: args.moderator ?? [],
  });
  names.of = (id) => session.nameOf(id);
  await runConsole({ app, port, session, clock, input: process.stdin, output: process.stdout, log });
  await app.close();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Circulate failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
