import { sql, type Kysely } from 'kysely';

/**
 * Reference numbers (offer 3, request 7, report 2, …) come from a per-community
 * counter instead of `max(ref) + 1`, so concurrent commands and several instances
 * never pick the same number. Each counter starts from the highest number already
 * used. `health_probe` is one row the readiness probe writes to prove the
 * database still accepts writes.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** The tables whose rows carry a per-community `ref`; the counter's `kind` is the table name. */
const REF_TABLES = ['offers', 'requests', 'reports', 'opportunities', 'meetups'] as const;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('ref_counters')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('last_ref', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ref_counters_pk', ['community_id', 'kind'])
    .execute();
  for (const table of REF_TABLES) {
    await sql`insert into ref_counters (community_id, kind, last_ref)
      select community_id, ${table}, max(ref) from ${sql.table(table)} group by community_id`.execute(db);
  }
  await db.schema
    .createTable('health_probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('health_probe').execute();
  await db.schema.dropTable('ref_counters').execute();
}
