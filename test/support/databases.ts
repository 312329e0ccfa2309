import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/**
 * The databases every storage-touching suite runs on: SQLite always, PostgreSQL
 * when TEST_DATABASE_URL is set. Each test gets a clean one: a fresh in-memory
 * SQLite, or a fresh PostgreSQL schema dropped afterwards.
 */
export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Opens a migrated, empty database; `release` drops it. */
  open(): Promise<{ database: Db; release: () => Promise<void> }>;
  /** Opens a second connection to the same database (another "instance"). */
  reopen?(database: Db): Db;
}

const pgUrl = process.env.TEST_DATABASE_URL;

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const database = openDatabase(':memory:');
    await migrateToLatest(database.db);
    return { database, release: () => database.close() };
  },
};

const schemas = new WeakMap<Db, string>();

const postgres: TestDatabase = {
  name: 'postgres',
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const database = openDatabase(pgUrl!, { searchPath: schema });
    schemas.set(database, schema);
    await migrateToLatest(database.db);
    return {
      database,
      release: async () => {
        await database.close();
        const cleanup = new pg.Client({ connectionString: pgUrl });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    };
  },
  reopen(database) {
    return openDatabase(pgUrl!, { searchPath: schemas.get(database)! });
  },
};

export const testDatabases: TestDatabase[] = pgUrl ? [sqlite, postgres] : [sqlite];

if (!pgUrl && !process.env.CIRCULATE_PG_SKIP_NOTED) {
  process.env.CIRCULATE_PG_SKIP_NOTED = '1';
  console.warn('TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped; tests ran on SQLite only.');
}

/**
 * A database a separate bot process can open by URL: a file in a new temporary
 * folder, or a new PostgreSQL database on the TEST_DATABASE_URL server. For
 * process-level tests (kill -9, restarts), where a schema search path cannot
 * be handed over.
 */
export interface ScratchDatabase {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database; `drop` removes it. */
  create(): Promise<{ url: string; drop: () => Promise<void> }>;
}

/** Runs one statement on the admin connection `base` names. */
async function adminQuery(base: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** A new PostgreSQL database on the server `base` names (`name` must be a plain identifier). */
export async function createPostgresDatabase(base: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** SQLite always, PostgreSQL when TEST_DATABASE_URL is set; `prefix` names the temporary folders and databases. */
export function scratchDatabases(prefix: string): ScratchDatabase[] {
  const sqliteFile: ScratchDatabase = {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
      return { url: join(dir, 'circulate.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  };
  const postgresDatabase: ScratchDatabase = {
    name: 'postgres',
    create: () => createPostgresDatabase(pgUrl!, `${prefix.replace(/\W/g, '_')}_${randomBytes(5).toString('hex')}`),
  };
  return pgUrl ? [sqliteFile, postgresDatabase] : [sqliteFile];
}
