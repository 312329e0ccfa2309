import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database } from './tables.ts';

/**
 * Stores one piece of feedback (a check-in answer, thanks, practice notes) per
 * member, match and kind. Returns false when it was already given, so a second
 * press or submission changes nothing.
 */
export async function recordFeedbackOnce(
  db: Kysely<Database>,
  communityId: string,
  matchId: string,
  memberId: string,
  kind: string,
  body: unknown,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insertInto('feedback')
    .values({
      id: newId(),
      community_id: communityId,
      match_id: matchId,
      member_id: memberId,
      kind,
      body: JSON.stringify(body),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['match_id', 'member_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}
