import type { HandlerContext, Invocation } from '../handler.ts';
import { parseList } from '../db/json.ts';
import { matchesForMember } from '../db/matches.ts';
import { listActiveOffers } from '../db/offers.ts';
import { listOpenRequests } from '../db/requests.ts';
import { home } from '../messages/copy/home.ts';
import type { Message } from '../messages/model.ts';

/** A member's overview: profile, offers, open asks and recent matches, with the common actions. */
export async function homeFor(ctx: HandlerContext, inv: Invocation): Promise<Message> {
  const [offers, asks, recent] = await Promise.all([
    listActiveOffers(ctx.db, inv.community.id, inv.member.id),
    listOpenRequests(ctx.db, inv.community.id, { memberId: inv.member.id }),
    matchesForMember(ctx.db, inv.community.id, inv.member.id, 5),
  ]);
  return home({
    name: inv.member.display_name,
    careerStage: inv.member.career_stage,
    areas: parseList(inv.member.areas),
    offers: offers.map((o) => ({ ref: o.ref, topic: o.topic, capacity: o.capacity_per_month })),
    asks: asks.map((a) => ({ ref: a.ref, topic: a.topic, kind: a.kind })),
    matches: recent.map((r) => ({ with: r.others.map((o) => o.displayName).join(', '), kind: r.match.kind, when: r.match.created_at })),
    pausedUntil: inv.member.paused_until && inv.member.paused_until > inv.now.toISOString() ? inv.member.paused_until : null,
  });
}
