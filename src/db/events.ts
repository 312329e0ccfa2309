import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/**
 * Records that a platform event (by its semantic key, e.g. a Slack event_id or a
 * button press on a message) has been handled. Returns false when it already
 * was: retries and duplicate deliveries then change nothing.
 */
export async function claimEvent(db: Kysely<Database>, communityId: string, key: string, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('processed_events')
    .values({ key, community_id: communityId, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
