import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database } from './tables.ts';

export interface AuditLogTable {
  id: string;
  community_id: string;
  /** Member id of the moderator who acted. */
  moderator_id: string;
  action: string;
  /** Member id or object the action concerned. */
  target: string;
  details: string;
  at: string;
}

/** Appends one moderator action to the community's audit log; entries are never changed. */
export async function recordAudit(
  db: Kysely<Database>,
  communityId: string,
  moderatorId: string,
  entry: { action: string; target: string; details: unknown },
  now: Date,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      community_id: communityId,
      moderator_id: moderatorId,
      action: entry.action,
      target: entry.target,
      details: JSON.stringify(entry.details),
      at: now.toISOString(),
    })
    .execute();
}
