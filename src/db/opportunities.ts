import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import { nextRef } from './refs.ts';
import type { Database } from './tables.ts';

export interface OpportunitiesTable {
  id: string;
  community_id: string;
  ref: number;
  posted_by: string;
  organisation: string;
  title: string;
  link: string | null;
  active: number;
  created_at: string;
}

/** Stores an open role; returns its short number. */
export async function createOpportunity(
  db: Kysely<Database>,
  communityId: string,
  opportunity: { postedBy: string; organisation: string; title: string; link: string | null },
  now: Date,
): Promise<number> {
  const ref = await nextRef(db, 'opportunities', communityId);
  await db
    .insertInto('opportunities')
    .values({
      id: newId(),
      community_id: communityId,
      ref,
      posted_by: opportunity.postedBy,
      organisation: opportunity.organisation,
      title: opportunity.title,
      link: opportunity.link,
      active: 1,
      created_at: now.toISOString(),
    })
    .execute();
  return ref;
}

/** The newest active opportunities, for /network orgs. */
export function latestOpportunities(db: Kysely<Database>, communityId: string, limit: number): Promise<{ organisation: string; title: string; link: string | null }[]> {
  return db
    .selectFrom('opportunities')
    .select(['organisation', 'title', 'link'])
    .where('community_id', '=', communityId)
    .where('active', '=', 1)
    .orderBy('ref', 'desc')
    .limit(limit)
    .execute();
}

/** Active opportunities posted since a time, oldest first, for the weekly digest. */
export function opportunitiesSince(db: Kysely<Database>, communityId: string, since: Date, limit: number): Promise<{ organisation: string; title: string }[]> {
  return db
    .selectFrom('opportunities')
    .select(['organisation', 'title'])
    .where('community_id', '=', communityId)
    .where('active', '=', 1)
    .where('created_at', '>=', since.toISOString())
    .orderBy('ref')
    .limit(limit)
    .execute();
}
