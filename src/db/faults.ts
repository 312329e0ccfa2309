import type { Logger } from '../logger.ts';

/**
 * Telling "the database cannot be used right now" apart from a bug. A command
 * that fails for the first reason saved nothing and can simply be tried again
 * later; members are told exactly that, and operators get one log line per outage.
 */

/** Thrown when Circulate itself knows the database is unusable (e.g. the SQLite file was deleted). */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'DATABASE_UNAVAILABLE';
}

/** SQLite result codes (better-sqlite3 `code`, extended codes included by prefix) meaning the file cannot be written or read. */
const SQLITE_UNAVAILABLE = /^SQLITE_(READONLY|IOERR|CANTOPEN|FULL|NOTADB|CORRUPT|BUSY|LOCKED|PERM|AUTH)/;

/** Node socket errors on the way to a database server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (admin or crash
 * shutdown, cannot connect now), 53xxx (insufficient resources: disk full, too many
 * connections), 25006 (read-only transaction: a standby after failover).
 */
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53...|25006)$/;

/** pg reports a dropped connection without a code, only in the message. */
const PG_MESSAGES = /connection terminated|terminating connection|not queryable|timeout exceeded when trying to connect|cannot use a pool after calling end|driver has already been destroyed|database connection is not open/i;

/** True when the error (or one of its causes) says the database is unavailable rather than that the code is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    if (typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SQLITE_UNAVAILABLE.test(code) || NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code)) return true;
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
  }
  return false;
}

/**
 * The part of a database error that is safe to log: its code and first line of
 * message, never the connection string, query parameters or a stack of config.
 */
export function describeDatabaseError(error: unknown): { code?: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  // A URL with credentials can end up in a message (e.g. getaddrinfo on a bad host).
  const message = raw.split('\n')[0]!.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s@/]*@/gi, '<url>@').slice(0, 200);
  return code ? { code, message } : { message };
}

/**
 * Logs a database outage once when it starts and once when it ends, however
 * many commands run into it in between.
 */
export class DatabaseOutage {
  private since: Date | null = null;
  private failures = 0;

  constructor(private readonly log: Pick<Logger, 'error' | 'info'>) {}

  /** True between the first failure and the next success. */
  get active(): boolean {
    return this.since !== null;
  }

  failed(error: unknown, now: Date, context: Record<string, unknown> = {}): void {
    this.failures++;
    if (this.since) return;
    this.since = now;
    this.log.error({ ...context, err: describeDatabaseError(error) }, 'database unavailable: commands are answered "temporarily unavailable" and nothing is saved until it is back');
  }

  recovered(now: Date): void {
    if (!this.since) return;
    this.log.info({ downSince: this.since.toISOString(), failedCommands: this.failures, seconds: Math.round((now.getTime() - this.since.getTime()) / 1000) }, 'database available again');
    this.since = null;
    this.failures = 0;
  }
}
