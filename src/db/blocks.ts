import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** Records that one member blocked another; blocking twice changes nothing. */
export async function addBlock(db: Kysely<Database>, communityId: string, blockerId: string, blockedId: string, now: Date): Promise<void> {
  await db
    .insertInto('blocks')
    .values({ community_id: communityId, blocker_id: blockerId, blocked_id: blockedId, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['community_id', 'blocker_id', 'blocked_id']).doNothing())
    .execute();
}
