import cron from 'node-cron';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';
import { routes } from './routes.ts';
import { RecurringJobRunner } from './scheduler/recurring-jobs.ts';
import type { Config } from './config.ts';
import { Core } from './core.ts';
import { openDatabase, type Db } from './db/database.ts';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './db/faults.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Logger } from './logger.ts';
import { matchingThread } from './matching/index.ts';
import { Dispatcher, DEFAULT_RETRY_POLICY, type RetryPolicy } from './outbox/dispatcher.ts';
import type { PlatformPort } from './platform.ts';

/** How often the platforms are asked whether remembered moderators still are ones (demoted ones stop getting reports). */
export const MODERATOR_RECHECK_MS = 5 * 60_000;

/** The composition root: one database, one core, the platform ports, and the background loop. */
export interface App {
  core: Core;
  database: Db;
  /** Starts polling durable timers and the outbox; returns a stop function. */
  startBackground(): () => void;
  /**
   * With MATCHING_WARM_UP, starts the matching thread and its warm-up when a round or a
   * meetup start is due within MATCHING_PREWARM_MS, so that round meets an optimised
   * engine; the thread closes again when idle. True when the thread runs after the call.
   * The background tick calls it every minute.
   */
  prewarmMatching(): Promise<boolean>;
  /**
   * Readiness of the core: `database` is 'ok' when a write transaction just
   * succeeded (and, for SQLite, the file on disk is still the one opened), else a
   * short reason without secrets. Never throws; an outage is logged once.
   */
  health(): Promise<AppHealth>;
  close(): Promise<void>;
}

/** What {@link App.health} reports; /readyz is ready when every field is 'ok'. */
export interface AppHealth {
  database: 'ok' | string;
}

/** How long before a round or meetup start the matching thread is started and warmed up (~1 s of work). */
export const MATCHING_PREWARM_MS = 5 * 60_000;

export interface AppOptions {
  config: Config;
  clock: Clock;
  log: Logger;
  ports: PlatformPort[];
  /** Overrides config.DATABASE_URL (tests, `--database`). */
  databaseUrl?: string;
  /** An already-open database (tests share one across restarts). */
  database?: Db;
  retryPolicy?: RetryPolicy;
}

/** Opens the database, runs migrations (a failure stops start-up), and wires the core. */
export async function createApp(options: AppOptions): Promise<App> {
  const database = options.database ?? openDatabase(options.databaseUrl ?? options.config.DATABASE_URL, { log: options.log });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) options.log.info({ applied }, 'database migrated');
  } catch (error) {
    await database.close();
    throw error;
  }
  const ports = new Map(options.ports.map((p) => [p.platform, p]));
  const dispatcher = new Dispatcher(database.db, ports, options.clock, options.log, options.retryPolicy ?? { ...DEFAULT_RETRY_POLICY, leaseMs: options.config.OUTBOX_LEASE_SECONDS * 1000 });
  const instanceId = newId();
  const recurringJobs = new RecurringJobRunner(database.db, options.config, options.log, instanceId);
  const core = new Core(database.db, options.config, options.clock, options.log, dispatcher, recurringJobs, routes);

  let closed = false;
  let startedMatchingThread = false;
  const prewarmMatching = async (): Promise<boolean> => {
    if (!options.config.MATCHING_WARM_UP || closed) return false;
    if (matchingThread.running) return true;
    const now = options.clock.now();
    const next = await core.nextMatchingWorkAfter(now);
    if (next === null || next.getTime() - now.getTime() > MATCHING_PREWARM_MS) return false;
    startedMatchingThread = true;
    matchingThread.start().then(
      (warmUp) => options.log.info({ warmUpRounds: warmUp.rounds, warmUpMs: Math.round(warmUp.ms), dueAt: next.toISOString() }, 'matching thread ready'),
      (err: unknown) => {
        // Closing during the warm-up stops the thread on purpose; anything else is worth a line.
        if (!closed) options.log.error({ err }, 'matching thread failed to start; the round will start it again');
      },
    );
    return true;
  };
  const health = async (): Promise<AppHealth> => {
    const now = options.clock.now();
    const status = await database.health(now);
    if (status === 'ok') core.databaseOutage.recovered(now);
    else core.databaseOutage.failed(new DatabaseUnavailableError(status), now, { probe: 'health' });
    return { database: status };
  };
  return {
    core,
    database,
    prewarmMatching,
    health,
    startBackground() {
      let busy = false;
      let moderatorsCheckedAt = -Infinity;
      const tick = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          await prewarmMatching();
          await core.tick();
          const now = options.clock.now().getTime();
          if (now - moderatorsCheckedAt >= MODERATOR_RECHECK_MS) {
            moderatorsCheckedAt = now;
            await core.recheckModerators(ports);
          }
        } catch (error) {
          if (isDatabaseUnavailable(error)) core.databaseOutage.failed(error, options.clock.now(), { task: 'background tick' });
          else options.log.error({ err: error }, 'background tick failed');
        } finally {
          busy = false;
        }
      };
      // Every minute node-cron checks each community's schedule; slots are claimed in the
      // database, so it does not matter which instance's tick gets there first.
      const cronTask = cron.schedule('* * * * *', () => void tick(), { name: 'circulate-recurring-jobs' });
      // Durable timers are polled more often so response windows close on time;
      // the outbox delivers continuously, waking for each retry when it is due.
      const poll = setInterval(
        () =>
          void core.runDue().catch((err: unknown) => {
            // An outage is logged once, not at every poll.
            if (isDatabaseUnavailable(err)) core.databaseOutage.failed(err, options.clock.now(), { task: 'timer poll' });
            else options.log.error({ err }, 'timer poll failed');
          }),
        options.config.TIMER_POLL_SECONDS * 1000,
      );
      poll.unref();
      const stopDelivery = dispatcher.runContinuously();
      void tick();
      return () => {
        void cronTask.stop();
        clearInterval(poll);
        stopDelivery();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (startedMatchingThread) await matchingThread.close();
      if (!options.database) await database.close();
    },
  };
}
