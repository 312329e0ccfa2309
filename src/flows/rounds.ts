import { DAY } from '../time.ts';
import { DateTime } from 'luxon';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { isAvailable, updateMember } from '../db/members.ts';
import { createMatch } from '../db/matches.ts';
import type { CommunityRow, MemberRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { runPairRound } from '../matching/index.ts';
import type { RoundResult } from '../matching/types.ts';
import * as copy from '../messages/copy/rhythm.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { scheduleTimer } from '../db/timers.ts';
import { TIMER_CHECKIN } from './intro.ts';
import { conversationOf, privateTo, who } from './people.ts';
import { seedFrom } from './seed.ts';
import { loadMatchingState } from './snapshot.ts';


function when(slot: Date, zone: string): string {
  return DateTime.fromJSDate(slot, { zone }).toFormat("cccc d LLLL 'at' HH:mm ZZZZ");
}

async function optedIn(ctx: HandlerContext, community: CommunityRow, now: Date): Promise<MemberRow[]> {
  const rows = await ctx.db
    .selectFrom('members')
    .selectAll()
    .where('community_id', '=', community.id)
    .where('rounds_opt_in', '=', 1)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.filter((m) => isAvailable(m, now));
}

/** The day before a round: every opted-in member hears it is coming and can skip it; the channel gets a Join button. */
export async function announceRound(ctx: HandlerContext, community: CommunityRow, roundAt: Date): Promise<Outgoing[]> {
  const label = when(roundAt, ctx.settings.timeZone);
  const out: Outgoing[] = (await optedIn(ctx, community, roundAt)).map((m) => ({
    to: privateTo(m),
    message: copy.roundNotice(roundAt.toISOString(), label),
  }));
  if (ctx.settings.promptChannelId) out.push({ to: { kind: 'channel', channelId: ctx.settings.promptChannelId }, message: copy.roundAnnouncement(label) });
  return out;
}

/**
 * Runs a pairing round: everyone opted in, available and not skipping is grouped
 * by the matching engine; each group gets one introduction with the reasons, and
 * anyone who could not be placed is told why. The seed is logged for replay.
 */
export async function runRound(ctx: HandlerContext, community: CommunityRow, slot: Date, memberFilter?: Set<string>): Promise<Outgoing[]> {
  const skips = await ctx.db
    .selectFrom('round_skips')
    .select('member_id')
    .where('community_id', '=', community.id)
    .where('slot_at', '=', slot.toISOString())
    .execute();
  const skipping = new Set(skips.map((s) => s.member_id));
  const eligible = (await optedIn(ctx, community, slot)).filter((m) => !skipping.has(m.id) && (!memberFilter || memberFilter.has(m.id)));
  const seed = seedFrom(`${community.id}:${slot.toISOString()}`);
  const state = await loadMatchingState(ctx.db, community.id, ctx.settings, slot, seed);
  const ids = new Set(eligible.map((m) => m.id));
  const snapshots = state.members.filter((m) => ids.has(m.id));
  const options = { groupSize: ctx.settings.groupSize };
  const result: RoundResult = await runPairRound(snapshots, state.ctx, options);
  ctx.log.info({ community: community.id, slot: slot.toISOString(), seed: result.seed, groups: result.groups.length, unplaced: result.unplaced.length }, 'pairing round');

  const out: Outgoing[] = [];
  for (const group of result.groups) {
    const members = group.memberIds.map((id) => state.byId.get(id)!);
    const match = await createMatch(
      ctx.db,
      community.id,
      { kind: 'round', requestId: null, status: 'introduced', score: group.score, explanation: group.explanations[members[0]!.id] ?? '' },
      members.map((m) => ({ memberId: m.id, role: 'partner' as const, explanation: group.explanations[m.id] ?? '' })),
      slot,
    );
    await scheduleTimer(ctx.db, community.id, TIMER_CHECKIN, match.id, new Date(slot.getTime() + ctx.settings.checkinDelayDays * DAY), slot);
    const why = members.map((m) => `${m.display_name}: ${group.explanations[m.id] ?? ''}`).join(' · ');
    out.push({ to: conversationOf(members, 'Pairing round'), message: copy.roundIntroduction(members.map(who), why) });
  }
  for (const u of result.unplaced) {
    const member = state.byId.get(u.memberId);
    if (member) out.push({ to: privateTo(member), message: copy.unplaced(`${u.reason}.`) });
  }
  return out;
}

/** `/network rounds on|off` and the Join button. */
export async function setRoundsOptIn(ctx: HandlerContext, inv: Invocation, on: boolean): Promise<Result> {
  if ((inv.member.rounds_opt_in === 1) === on) return { reply: copy.roundsAlready(on) };
  await updateMember(ctx.db, inv.community.id, inv.member.id, { rounds_opt_in: on ? 1 : 0, ...(on ? { ignored_checkins: 0 } : {}) }, inv.now);
  return { reply: on ? copy.roundsJoined() : copy.roundsLeft() };
}

/** The "Skip this round" button from the day-before notice. */
export async function skipRound(ctx: HandlerContext, inv: Invocation, slotIso: string): Promise<Result> {
  if (Number.isNaN(Date.parse(slotIso))) throw new UserError('invalid_input', 'That round no longer exists.');
  await ctx.db
    .insertInto('round_skips')
    .values({ community_id: inv.community.id, member_id: inv.member.id, slot_at: new Date(slotIso).toISOString() })
    .onConflict((oc) => oc.columns(['community_id', 'member_id', 'slot_at']).doNothing())
    .execute();
  return { update: copy.roundSkipped() };
}

/** This flow's buttons, composed into the routing tables in src/routes.ts. */
export const roundsRoutes: FlowRoutes = {
  actions: [
    { actionId: copy.RHYTHM_ACTIONS.joinRounds, run: (ctx, inv) => setRoundsOptIn(ctx, inv, true) },
    { actionId: copy.RHYTHM_ACTIONS.skipRound, run: (ctx, inv, payload) => skipRound(ctx, inv, payload) },
  ],
};
