import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database, MatchKind, MatchRow, MatchStatus, ParticipantRole, ParticipantRow } from './tables.ts';

export interface NewParticipant {
  memberId: string;
  role: ParticipantRole;
  explanation: string;
}

/** Creates a match with its participants and the first entry of its status history. */
export async function createMatch(
  db: Kysely<Database>,
  communityId: string,
  match: { kind: MatchKind; requestId: string | null; status: MatchStatus; score: number; explanation: string },
  participants: NewParticipant[],
  now: Date,
): Promise<MatchRow> {
  const iso = now.toISOString();
  const row: MatchRow = {
    id: newId(),
    community_id: communityId,
    kind: match.kind,
    request_id: match.requestId,
    status: match.status,
    score: match.score,
    explanation: match.explanation,
    created_at: iso,
    updated_at: iso,
  };
  await db.insertInto('matches').values(row).execute();
  await db
    .insertInto('match_participants')
    .values(
      participants.map((p) => ({
        match_id: row.id,
        community_id: communityId,
        member_id: p.memberId,
        role: p.role,
        explanation: p.explanation,
      })),
    )
    .execute();
  await recordMatchEvent(db, communityId, row.id, match.status, now);
  return row;
}

export async function recordMatchEvent(
  db: Kysely<Database>,
  communityId: string,
  matchId: string,
  status: string,
  now: Date,
  note = '',
): Promise<void> {
  await db
    .insertInto('match_events')
    .values({ community_id: communityId, match_id: matchId, status, at: now.toISOString(), note })
    .execute();
}

export function getMatch(db: Kysely<Database>, communityId: string, id: string): Promise<MatchRow | undefined> {
  return db
    .selectFrom('matches')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function getParticipants(db: Kysely<Database>, communityId: string, matchId: string): Promise<ParticipantRow[]> {
  return db
    .selectFrom('match_participants')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('match_id', '=', matchId)
    .execute();
}

/**
 * Compare-and-set on a match's status, recording the change in its history.
 * Returns false when the match had already moved on (a second button press, a
 * timer racing an answer), and then nothing is changed.
 */
export async function transitionMatch(
  db: Kysely<Database>,
  communityId: string,
  id: string,
  from: MatchStatus[],
  to: MatchStatus,
  now: Date,
  note = '',
): Promise<boolean> {
  const result = await db
    .updateTable('matches')
    .set({ status: to, updated_at: now.toISOString() })
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await recordMatchEvent(db, communityId, id, to, now, note);
  return true;
}

/** Matches of a request, oldest first: the helpers already asked. */
export function matchesForRequest(db: Kysely<Database>, communityId: string, requestId: string): Promise<MatchRow[]> {
  return db
    .selectFrom('matches')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .execute();
}

/** A member's matches with the other participants, newest first. */
export async function matchesForMember(
  db: Kysely<Database>,
  communityId: string,
  memberId: string,
  limit = 10,
): Promise<{ match: MatchRow; others: { memberId: string; displayName: string; role: string }[]; mine: ParticipantRow }[]> {
  const mine = await db
    .selectFrom('match_participants as p')
    .innerJoin('matches as m', 'm.id', 'p.match_id')
    .selectAll('p')
    .where('p.community_id', '=', communityId)
    .where('p.member_id', '=', memberId)
    // A pending invitation shows to the helper who must answer it, never to the requester: seeing
    // who was asked, then seeing them vanish, would tell the requester who said no (issue 14, finding 3).
    .where((eb) => eb.or([eb('m.status', '=', 'introduced'), eb.and([eb('m.status', '=', 'invited'), eb('p.role', '!=', 'requester')])]))
    .orderBy('m.created_at', 'desc')
    .limit(limit)
    .execute();
  const out = [];
  for (const p of mine) {
    const match = (await getMatch(db, communityId, p.match_id))!;
    const others = await db
      .selectFrom('match_participants as p')
      .innerJoin('members as mem', 'mem.id', 'p.member_id')
      .select(['p.member_id as memberId', 'mem.display_name as displayName', 'p.role as role'])
      .where('p.community_id', '=', communityId)
      .where('p.match_id', '=', p.match_id)
      .where('p.member_id', '!=', memberId)
      .execute();
    out.push({ match, others, mine: p });
  }
  return out;
}

/** The two-person pairs of every match in a community, each once (a < b), with the match as `m`. */
function matchPairs(db: Kysely<Database>, communityId: string) {
  return db
    .selectFrom('match_participants as p1')
    .innerJoin('match_participants as p2', (j) => j.onRef('p1.match_id', '=', 'p2.match_id').onRef('p1.member_id', '<', 'p2.member_id'))
    .innerJoin('matches as m', 'm.id', 'p1.match_id')
    .where('p1.community_id', '=', communityId);
}

/** The ids of the matches a member takes part in, narrowed by their role and the match's kind and status. */
export async function matchIdsOf(
  db: Kysely<Database>,
  communityId: string,
  memberId: string,
  filter: { role?: ParticipantRole; kind?: MatchKind; status?: MatchStatus; notStatus?: MatchStatus } = {},
): Promise<string[]> {
  let query = db
    .selectFrom('match_participants as p')
    .innerJoin('matches as m', 'm.id', 'p.match_id')
    .select('m.id')
    .where('p.community_id', '=', communityId)
    .where('p.member_id', '=', memberId);
  if (filter.role) query = query.where('p.role', '=', filter.role);
  if (filter.kind) query = query.where('m.kind', '=', filter.kind);
  if (filter.status) query = query.where('m.status', '=', filter.status);
  if (filter.notStatus) query = query.where('m.status', '!=', filter.notStatus);
  return (await query.execute()).map((r) => r.id);
}

/** Every introduced pair in a community, for novelty and the rematch window. */
export async function pastPairs(
  db: Kysely<Database>,
  communityId: string,
): Promise<{ a: string; b: string; at: Date }[]> {
  const rows = await matchPairs(db, communityId)
    .select(['p1.member_id as a', 'p2.member_id as b', 'm.created_at as at'])
    .where('m.status', '=', 'introduced')
    .execute();
  return rows.map((r) => ({ a: r.a, b: r.b, at: new Date(r.at) }));
}

/**
 * Intro invitations that ended without an introduction (declined, not now, or the
 * window ran out) since `since`, as requester/helper pairs dated by the answer. They
 * count as recently connected (issue 14, finding 3) so a round or breakout never
 * introduces a requester to someone who just said no; the requester never sees them.
 */
export async function unansweredInvitationPairs(
  db: Kysely<Database>,
  communityId: string,
  since: Date,
): Promise<{ a: string; b: string; at: Date }[]> {
  const rows = await matchPairs(db, communityId)
    .select(['p1.member_id as a', 'p2.member_id as b', 'm.updated_at as at'])
    .where('m.kind', '=', 'intro')
    .where('m.status', 'in', ['declined', 'not_now', 'expired'])
    .where('m.updated_at', '>=', since.toISOString())
    .execute();
  return rows.map((r) => ({ a: r.a, b: r.b, at: new Date(r.at) }));
}

/**
 * The people a member was introduced to (one row per shared match), as a query
 * the caller selects from: `other` is the connection, `m` the match.
 */
export function connectionsQuery(db: Kysely<Database>, communityId: string, memberId: string) {
  return db
    .selectFrom('match_participants as mine')
    .innerJoin('match_participants as theirs', (j) => j.onRef('theirs.match_id', '=', 'mine.match_id').onRef('theirs.member_id', '!=', 'mine.member_id'))
    .innerJoin('matches as m', 'm.id', 'mine.match_id')
    .innerJoin('members as other', 'other.id', 'theirs.member_id')
    .where('mine.community_id', '=', communityId)
    .where('mine.member_id', '=', memberId)
    .where('m.status', '=', 'introduced');
}

/** Invitations still waiting for an answer that two members share, each once. */
export function invitedMatchesBetween(db: Kysely<Database>, communityId: string, a: string, b: string): Promise<{ id: string; request_id: string | null }[]> {
  return db
    .selectFrom('match_participants as p1')
    .innerJoin('match_participants as p2', 'p2.match_id', 'p1.match_id')
    .innerJoin('matches as m', 'm.id', 'p1.match_id')
    .select(['m.id', 'm.request_id'])
    .where('p1.community_id', '=', communityId)
    .where('p1.member_id', '=', a)
    .where('p2.member_id', '=', b)
    .where('m.status', '=', 'invited')
    .execute();
}

/** Invitations still waiting for an answer that a member is part of, with their role in each. */
export function invitedMatchesOf(
  db: Kysely<Database>,
  communityId: string,
  memberId: string,
): Promise<{ id: string; request_id: string | null; role: ParticipantRole }[]> {
  return db
    .selectFrom('match_participants as p')
    .innerJoin('matches as m', 'm.id', 'p.match_id')
    .select(['m.id', 'm.request_id', 'p.role'])
    .where('p.community_id', '=', communityId)
    .where('p.member_id', '=', memberId)
    .where('m.status', '=', 'invited')
    .execute();
}

/** The organisations of each person a member was introduced to (one row per shared match). */
export function connectionOrganisations(db: Kysely<Database>, communityId: string, memberId: string): Promise<{ id: string; organisations: string }[]> {
  return connectionsQuery(db, communityId, memberId).select(['other.id', 'other.organisations']).execute();
}
