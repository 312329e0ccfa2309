import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/**
 * Takes (reads and deletes) the notices waiting for a member's next reply, e.g.
 * that Circulate could not message them privately; returns their texts in stored order.
 */
export async function takePendingNotices(db: Kysely<Database>, communityId: string, memberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('pending_notices')
    .select(['id', 'text'])
    .where('community_id', '=', communityId)
    .where('member_id', '=', memberId)
    .execute();
  if (rows.length === 0) return [];
  await db
    .deleteFrom('pending_notices')
    .where('community_id', '=', communityId)
    .where('id', 'in', rows.map((r) => r.id))
    .execute();
  return rows.map((r) => r.text);
}
