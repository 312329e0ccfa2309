import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/**
 * Read-only counts for moderators' statistics, across members, offers, requests
 * and match history; nothing here writes.
 */

export interface CommunityCounts {
  members: number;
  optedIn: number;
  activeOffers: number;
  openAsks: number;
  asksNobodyTook: number;
}

/** One introduced, met or thanked event of a match, with the match kind and when its ask was made. */
export interface MatchMilestone {
  match_id: string;
  status: string;
  at: string;
  kind: string;
  askedAt: string | null;
}

async function count(q: { executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined> }): Promise<number> {
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

export async function communityCounts(db: Kysely<Database>, communityId: string): Promise<CommunityCounts> {
  const members = () => db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).where('removed_at', 'is', null);
  const requests = () => db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId);
  return {
    members: await count(members()),
    optedIn: await count(members().where('rounds_opt_in', '=', 1)),
    activeOffers: await count(db.selectFrom('offers').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).where('active', '=', 1)),
    openAsks: await count(requests().where('status', 'in', ['open', 'waiting'])),
    asksNobodyTook: await count(requests().where('kind', '=', 'intro').where('status', '=', 'waiting')),
  };
}

/** Every introduced, met and thanked event in the community (a match may have several of one kind). */
export function matchMilestones(db: Kysely<Database>, communityId: string): Promise<MatchMilestone[]> {
  return db
    .selectFrom('match_events as e')
    .innerJoin('matches as m', 'm.id', 'e.match_id')
    .leftJoin('requests as r', 'r.id', 'm.request_id')
    .select(['e.match_id', 'e.status', 'e.at', 'm.kind', 'r.created_at as askedAt'])
    .where('e.community_id', '=', communityId)
    .where('e.status', 'in', ['introduced', 'met', 'thanked'])
    .execute();
}
