import type { Kysely } from 'kysely';

/**
 * Exactly-once delivery in practice: which instance holds a row's lease, and
 * when sending it first started. A row with `send_started_at` set but not
 * delivered may already be on the platform (the process died after the
 * platform accepted it), so the dispatcher checks before sending it again; a
 * row never tried needs no check. The row id is the message's idempotency key.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('send_started_at', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('send_started_at').execute();
  await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
}
