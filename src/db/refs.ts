import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** Tables whose rows carry a short per-community reference number. */
export type RefTable = 'offers' | 'requests' | 'reports' | 'opportunities' | 'meetups';

/**
 * Next short number for an offer, request, report, opportunity or meetup in a
 * community. Runs inside the inserting transaction and takes the number from the
 * community's counter with one atomic upsert, so concurrent commands (and several
 * instances) each get their own number: on PostgreSQL the counter row stays locked
 * until the transaction ends, on SQLite the write transaction holds the database.
 * A community without a counter row yet starts after the highest number in use.
 */
export async function nextRef(db: Kysely<Database>, table: RefTable, communityId: string): Promise<number> {
  const row = await db
    .insertInto('ref_counters')
    .values({
      community_id: communityId,
      kind: table,
      last_ref: sql<number>`(select coalesce(max(ref), 0) + 1 from ${sql.table(table)} where community_id = ${communityId})`,
    })
    .onConflict((oc) => oc.columns(['community_id', 'kind']).doUpdateSet({ last_ref: sql<number>`ref_counters.last_ref + 1` }))
    .returning('last_ref')
    .executeTakeFirstOrThrow();
  return Number(row.last_ref);
}
