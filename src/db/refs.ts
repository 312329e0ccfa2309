import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/**
 * Next short number for an offer or request in a community. Runs inside the
 * inserting transaction; the (community_id, ref) unique key turns a rare race
 * between two instances into a retryable error rather than a duplicate.
 */
export async function nextRef(db: Kysely<Database>, table: 'offers' | 'requests' | 'reports' | 'opportunities' | 'meetups', communityId: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('ref').as('max'))
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}
