import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import { nextRef } from './refs.ts';
import type { Database, OfferRow } from './tables.ts';

export interface NewOffer {
  topic: string;
  details: string;
  capacityPerMonth: number;
}

export async function createOffer(
  db: Kysely<Database>,
  communityId: string,
  memberId: string,
  offer: NewOffer,
  now: Date,
): Promise<OfferRow> {
  const row: OfferRow = {
    id: newId(),
    community_id: communityId,
    member_id: memberId,
    ref: await nextRef(db, 'offers', communityId),
    topic: offer.topic,
    details: offer.details,
    capacity_per_month: offer.capacityPerMonth,
    active: 1,
    created_at: now.toISOString(),
    withdrawn_at: null,
  };
  await db.insertInto('offers').values(row).execute();
  return row;
}

export function listActiveOffers(db: Kysely<Database>, communityId: string, memberId?: string): Promise<OfferRow[]> {
  let q = db.selectFrom('offers').selectAll().where('community_id', '=', communityId).where('active', '=', 1);
  if (memberId) q = q.where('member_id', '=', memberId);
  return q.orderBy('ref').execute();
}

export function findOfferByRef(db: Kysely<Database>, communityId: string, ref: number): Promise<OfferRow | undefined> {
  return db
    .selectFrom('offers')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('ref', '=', ref)
    .executeTakeFirst();
}

/** The update that withdraws offers in a community; callers narrow it to which ones. */
function withdrawing(db: Kysely<Database>, communityId: string, now: Date) {
  return db.updateTable('offers').set({ active: 0, withdrawn_at: now.toISOString() }).where('community_id', '=', communityId);
}

export async function withdrawOffer(db: Kysely<Database>, communityId: string, id: string, now: Date): Promise<void> {
  await withdrawing(db, communityId, now).where('id', '=', id).execute();
}

/** Withdraws every active offer a member has. */
export async function withdrawMemberOffers(db: Kysely<Database>, communityId: string, memberId: string, now: Date): Promise<void> {
  await withdrawing(db, communityId, now).where('member_id', '=', memberId).where('active', '=', 1).execute();
}

/** Active offers posted since a time by members still here, with their names, for the weekly digest. */
export function newOffersSince(db: Kysely<Database>, communityId: string, since: Date, limit: number): Promise<{ topic: string; display_name: string }[]> {
  return db
    .selectFrom('offers')
    .innerJoin('members', 'members.id', 'offers.member_id')
    .select(['offers.topic', 'members.display_name'])
    .where('offers.community_id', '=', communityId)
    .where('offers.active', '=', 1)
    .where('offers.created_at', '>=', since.toISOString())
    .where('members.removed_at', 'is', null)
    .orderBy('offers.ref')
    .limit(limit)
    .execute();
}
