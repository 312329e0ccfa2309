import { randomBytes } from 'node:crypto';
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
