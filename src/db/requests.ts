import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import { nextRef } from './refs.ts';
import type { Database, RequestKind, RequestRow, RequestStatus } from './tables.ts';

export type NewRequest = Pick<
  RequestRow,
  'kind' | 'topic' | 'questions' | 'length_minutes' | 'named_member_id' | 'role_focus' | 'level' | 'availability'
>;

export async function createRequest(
  db: Kysely<Database>,
  communityId: string,
  memberId: string,
  request: NewRequest,
  now: Date,
): Promise<RequestRow> {
  const iso = now.toISOString();
  const row: RequestRow = {
    ...request,
    id: newId(),
    community_id: communityId,
    member_id: memberId,
    ref: await nextRef(db, 'requests', communityId),
    status: 'open',
    created_at: iso,
    updated_at: iso,
  };
  await db.insertInto('requests').values(row).execute();
  return row;
}

export function getRequest(db: Kysely<Database>, communityId: string, id: string): Promise<RequestRow | undefined> {
  return db
    .selectFrom('requests')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findRequestByRef(db: Kysely<Database>, communityId: string, ref: number): Promise<RequestRow | undefined> {
  return db
    .selectFrom('requests')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('ref', '=', ref)
    .executeTakeFirst();
}

/** Asks still in play for a member: open (being offered around) or waiting (for the digest). */
export function listOpenRequests(
  db: Kysely<Database>,
  communityId: string,
  options: { memberId?: string; kind?: RequestKind } = {},
): Promise<RequestRow[]> {
  let q = db
    .selectFrom('requests')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('status', 'in', ['open', 'waiting']);
  if (options.memberId) q = q.where('member_id', '=', options.memberId);
  if (options.kind) q = q.where('kind', '=', options.kind);
  return q.orderBy('ref').execute();
}

/**
 * Moves a request between statuses only from an expected one, so two handlers
 * racing on the same request cannot both act; returns whether it moved.
 */
export async function transitionRequest(
  db: Kysely<Database>,
  communityId: string,
  id: string,
  from: RequestStatus[],
  to: RequestStatus,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('requests')
    .set({ status: to, updated_at: now.toISOString() })
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Intro asks still in play from members still here, with their names, for the weekly digest. */
export function openIntroAsks(
  db: Kysely<Database>,
  communityId: string,
  limit: number,
): Promise<{ id: string; ref: number; topic: string; length_minutes: number | null; display_name: string }[]> {
  return db
    .selectFrom('requests')
    .innerJoin('members', 'members.id', 'requests.member_id')
    .select(['requests.id', 'requests.ref', 'requests.topic', 'requests.length_minutes', 'members.display_name'])
    .where('requests.community_id', '=', communityId)
    .where('requests.kind', '=', 'intro')
    .where('requests.status', 'in', ['open', 'waiting'])
    .where('members.removed_at', 'is', null)
    .orderBy('requests.ref')
    .limit(limit)
    .execute();
}
