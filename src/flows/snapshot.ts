import type { Kysely } from 'kysely';
import { parseList } from '../db/json.ts';
import { isAvailable } from '../db/members.ts';
import { pastPairs, unansweredInvitationPairs } from '../db/matches.ts';
import { customTopicsOf } from '../db/topics.ts';
import type { Database, MemberRow } from '../db/tables.ts';
import type { AvailabilitySlot, CareerStage, MatchContext, MemberSnapshot } from '../matching/types.ts';
import type { CommunitySettings } from '../settings.ts';
import { DAY } from '../time.ts';

/**
 * Loads what the matching engine needs about a community in a handful of
 * queries (no per-member round trips), so a round over thousands of members
 * costs the same few queries as a single request.
 */
export async function loadMatchingState(
  db: Kysely<Database>,
  communityId: string,
  settings: CommunitySettings,
  now: Date,
  seed: number,
): Promise<{ members: MemberSnapshot[]; ctx: MatchContext; byId: Map<string, MemberRow> }> {
  const monthAgo = new Date(now.getTime() - 30 * DAY).toISOString();
  const rematchWindowDays = settings.rematchWindowWeeks * 7;
  const [memberRows, offers, asks, loads, gave, got, introduced, saidNo, blocks, customTopics] = await Promise.all([
    db.selectFrom('members').selectAll().where('community_id', '=', communityId).execute(),
    db
      .selectFrom('offers')
      .select(['member_id', 'topic', 'details', 'capacity_per_month'])
      .where('community_id', '=', communityId)
      .where('active', '=', 1)
      .execute(),
    db
      .selectFrom('requests')
      .select(['member_id', 'topic', 'questions', 'kind', 'role_focus'])
      .where('community_id', '=', communityId)
      .where('status', 'in', ['open', 'waiting'])
      .execute(),
    db
      .selectFrom('match_participants as p')
      .innerJoin('matches as m', 'm.id', 'p.match_id')
      .select(['p.member_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('p.community_id', '=', communityId)
      .where('p.role', '=', 'helper')
      .where('m.kind', '=', 'intro')
      .where('m.status', 'in', ['invited', 'introduced'])
      .where('m.created_at', '>=', monthAgo)
      .groupBy('p.member_id')
      .execute(),
    roleCounts(db, communityId, 'helper'),
    roleCounts(db, communityId, 'requester'),
    pastPairs(db, communityId),
    // Only inside the window: past it the pair is free again and, to the requester, never met.
    unansweredInvitationPairs(db, communityId, new Date(now.getTime() - rematchWindowDays * DAY)),
    db.selectFrom('blocks').select(['blocker_id', 'blocked_id']).where('community_id', '=', communityId).execute(),
    customTopicsOf(db, communityId),
  ]);

  const group = <T extends { member_id: string }>(rows: T[]): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.member_id) ?? [];
      list.push(row);
      map.set(row.member_id, list);
    }
    return map;
  };
  const offersBy = group(offers);
  const asksBy = group(asks);
  const loadBy = new Map(loads.map((r) => [r.member_id, Number(r.n)]));

  const members: MemberSnapshot[] = memberRows.map((m) => ({
    id: m.id,
    displayName: m.display_name,
    careerStage: (m.career_stage as CareerStage | null) ?? null,
    timeZone: m.time_zone,
    areas: parseList(m.areas),
    organisations: parseList(m.organisations),
    offers: (offersBy.get(m.id) ?? []).map((o) => ({
      topic: o.topic,
      details: o.details,
      capacityPerMonth: o.capacity_per_month,
    })),
    asks: (asksBy.get(m.id) ?? []).map((a) => ({
      topic: a.kind === 'practice' ? `${a.role_focus ?? a.topic} interview practice` : a.topic,
      details: a.questions,
    })),
    availability: parseList(m.availability) as AvailabilitySlot[],
    helpedCount: gave.get(m.id) ?? 0,
    receivedCount: got.get(m.id) ?? 0,
    helperLoadThisMonth: loadBy.get(m.id) ?? 0,
    paused: !isAvailable(m, now) && !m.removed_at,
    removed: Boolean(m.removed_at),
  }));

  return {
    members,
    byId: new Map(memberRows.map((m) => [m.id, m])),
    ctx: {
      now,
      rematchWindowDays,
      // A declined, not-now or expired invitation counts as a recent connection (issue 14, finding 3).
      history: [...introduced, ...saidNo.map((pair) => ({ ...pair, unanswered: true }))],
      blocks: blocks.map((b) => ({ blocker: b.blocker_id, blocked: b.blocked_id })),
      customTopics,
      seed,
    },
  };
}

/** Completed introductions per member in one role: the private give/take balance. */
async function roleCounts(db: Kysely<Database>, communityId: string, role: 'helper' | 'requester'): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('match_participants as p')
    .innerJoin('matches as m', 'm.id', 'p.match_id')
    .select(['p.member_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('p.community_id', '=', communityId)
    .where('p.role', '=', role)
    .where('m.status', '=', 'introduced')
    .groupBy('p.member_id')
    .execute();
  return new Map(rows.map((r) => [r.member_id, Number(r.n)]));
}
