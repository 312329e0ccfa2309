import type { Kysely } from 'kysely';

/**
 * What a delivery had done when its process died, so the retry resumes instead
 * of starting over: e.g. the Discord thread an introduction opened before its
 * message went out (a second thread would be a duplicate introduction).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('progress', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('progress').execute();
}
