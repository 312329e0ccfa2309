import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import SQLite from 'better-sqlite3';
import type PgModule from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, SqliteDriver, CompiledQuery, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import type { Logger } from '../logger.ts';
import { DatabaseUnavailableError, describeDatabaseError } from './faults.ts';
import type { Database } from './tables.ts';

/** The app's database handle plus which engine is behind it. */
export interface Db {
  readonly db: Kysely<Database>;
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Readiness: proves the database still takes writes (one upsert of the
   * `health_probe` row in a write transaction; for a SQLite file, also that the
   * file on disk is still the one that was opened). Never throws: 'ok', or a short
   * reason without secrets.
   */
  health(now?: Date): Promise<'ok' | string>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Lets tests give each case its own PostgreSQL schema. */
  searchPath?: string;
  /** PostgreSQL `application_name` of the pool's connections (default "circulate"). */
  applicationName?: string;
  /** Where connection trouble is reported; a lost pooled connection is logged and the pool carries on. */
  log?: Pick<Logger, 'warn'>;
}

/** True when the URL names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** pg is loaded only for PostgreSQL URLs, so a SQLite deployment never pays for it. */
function loadPg(): typeof PgModule {
  const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
  // pg returns BIGINT (bigserial) as a string by default; our sequences fit in a double.
  pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
  return pg;
}

/**
 * Opens SQLite (a file, created with its folder if missing, or `:memory:`) or
 * PostgreSQL by URL.
 */
export function openDatabase(url: string, options: OpenOptions = {}): Db {
  if (isPostgresUrl(url)) {
    const pool = new (loadPg().Pool)({
      connectionString: url,
      max: 10,
      // Fail a command after 10 s rather than wait forever for an unreachable server.
      connectionTimeoutMillis: 10_000,
      application_name: options.applicationName ?? 'circulate',
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    // A pooled connection that dies (server restart, failover, terminated backend)
    // emits 'error'; with no listener Node ends the process. pg-pool listens only
    // while a client is idle, so each client gets its own listener for the time it
    // is checked out too (its next query then fails and the client is discarded on
    // release). The pool opens a new connection for the next query.
    const log = options.log ?? consoleLog;
    pool.on('connect', (client) => {
      client.on('error', (err) => log.warn({ err: describeDatabaseError(err) }, 'a PostgreSQL connection was lost; the pool will reconnect'));
    });
    // Idle clients' errors reach the pool too; the client's own listener has logged them.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', health: (now) => probe(db, now), close: () => db.destroy() };
  }
  const file = url === ':memory:' ? null : resolve(url);
  if (file) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file ?? ':memory:');
  if (file) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const identity = file ? fileIdentity(file) : null;
  const db = new Kysely<Database>({ dialect: new WriteFirstSqliteDialect({ database: sqlite }, file && identity ? { file, identity } : null) });
  return { db, dialect: 'sqlite', health: (now) => probe(db, now), close: () => db.destroy() };
}

const consoleLog: Pick<Logger, 'warn'> = {
  warn: ((obj: unknown, msg?: string) => console.warn(msg ?? '', obj)) as Logger['warn'],
};

/** Writes the one probe row in a transaction; any failure becomes a short reason. */
async function probe(db: Kysely<Database>, now = new Date()): Promise<'ok' | string> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('health_probe')
        .values({ id: 1, checked_at: now.toISOString() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: now.toISOString() }))
        .execute();
    });
    return 'ok';
  } catch (error) {
    const { code, message } = describeDatabaseError(error);
    return code ? `${code}: ${message}` : message;
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function fileIdentity(file: string): FileIdentity | null {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? { dev: stat.dev, ino: stat.ino } : null;
}

/**
 * Kysely's SQLite dialect with two guarantees the stock one lacks:
 * - transactions start with `BEGIN IMMEDIATE`, taking the write lock up front, so
 *   a second process on the same file waits (busy_timeout) instead of failing with
 *   "database is locked" when a deferred transaction tries to upgrade to a write;
 * - every use of the connection first checks the file is still the one opened
 *   (same device and inode). A deleted or replaced file would otherwise keep
 *   taking writes into an unlinked inode that vanish at close; instead every
 *   query fails with {@link DatabaseUnavailableError}. The check is one stat(2),
 *   about 2 µs.
 */
class WriteFirstSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly guard: { file: string; identity: FileIdentity } | null,
  ) {
    super(config);
    this.driverConfig = config;
  }

  private readonly driverConfig: SqliteDialectConfig;

  override createDriver(): Driver {
    return new WriteFirstSqliteDriver(this.driverConfig, this.guard);
  }
}

class WriteFirstSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly guard: { file: string; identity: FileIdentity } | null,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    if (this.guard) {
      const now = fileIdentity(this.guard.file);
      if (!now || now.dev !== this.guard.identity.dev || now.ino !== this.guard.identity.ino) {
        await super.releaseConnection();
        throw new DatabaseUnavailableError(now ? 'the SQLite database file was replaced while Circulate was running' : 'the SQLite database file was deleted while Circulate was running');
      }
    }
    return connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
