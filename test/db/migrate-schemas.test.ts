import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/**
 * Several Circulate databases can share one PostgreSQL server database in
 * different schemas (each test does, and so may deployments). Migrating one
 * must not mistake another schema's migration tables for its own.
 */
const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(pgUrl)('migrations on PostgreSQL, one schema beside another', () => {
  it('migrates a new schema while another schema already holds migration tables', async () => {
    const schemas = [0, 1].map(() => `t_${randomBytes(6).toString('hex')}`);
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      for (const schema of schemas) await admin.query(`CREATE SCHEMA ${schema}`);
      for (const schema of schemas) {
        const database = openDatabase(pgUrl!, { searchPath: schema });
        try {
          expect((await migrateToLatest(database.db)).length).toBeGreaterThan(0);
        } finally {
          await database.close();
        }
      }
      const { rows } = await admin.query<{ schema: string }>(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'kysely_migration_lock' AND table_schema = ANY($1)`,
        [schemas],
      );
      expect(rows.map((r) => r.schema).sort()).toEqual([...schemas].sort());
    } finally {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('migrates while other schemas, with tables in them, are created and dropped all the time', async () => {
    const churn = new pg.Client({ connectionString: pgUrl });
    await churn.connect();
    let stop = false;
    let churned = 0;
    const churning = (async () => {
      while (!stop) {
        const other = `t_${randomBytes(6).toString('hex')}`;
        await churn.query(`CREATE SCHEMA ${other}; CREATE TABLE ${other}.kysely_migration_lock (id text, is_locked int); CREATE TABLE ${other}.t (id serial)`);
        await churn.query(`DROP SCHEMA ${other} CASCADE`);
        churned++;
      }
    })();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const schemas: string[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        schemas.push(schema);
        await admin.query(`CREATE SCHEMA ${schema}`);
        const database = openDatabase(pgUrl!, { searchPath: schema });
        try {
          expect((await migrateToLatest(database.db)).length).toBeGreaterThan(0);
        } finally {
          await database.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
    expect(churned).toBeGreaterThan(0);
  });
});
