import { DAY } from '../time.ts';
import { recordFeedbackOnce } from '../db/feedback.ts';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { parseList } from '../db/json.ts';
import { getMember } from '../db/members.ts';
import { createMatch, getMatch, getParticipants } from '../db/matches.ts';
import { createRequest, listOpenRequests, transitionRequest } from '../db/requests.ts';
import type { CommunityRow, MemberRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { rankPracticePartners } from '../matching/index.ts';
import type { AvailabilitySlot, CareerStage, PracticeAsk, RoleFocus } from '../matching/types.ts';
import * as copy from '../messages/copy/practice.ts';
import type { Form } from '../messages/model.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { scheduleTimer } from '../db/timers.ts';
import { assertCanAsk } from './intro.ts';
import { conversationOf, privateTo } from './people.ts';
import { seedFrom } from './seed.ts';
import { loadMatchingState } from './snapshot.ts';

/** Reciprocal mock interviews (DESIGN.md §3): a pool per community, paired as soon as partners fit. */

export const TIMER_PRACTICE_FEEDBACK = 'practice.feedback';

export interface PracticeArgs {
  roleFocus: RoleFocus;
  level: CareerStage | null;
  availability: AvailabilitySlot[];
}

export async function joinPool(ctx: HandlerContext, inv: Invocation, args: PracticeArgs): Promise<Result> {
  const mine = await listOpenRequests(ctx.db, inv.community.id, { memberId: inv.member.id, kind: 'practice' });
  if (mine.length > 0) return { reply: copy.alreadyInPool() };
  await assertCanAsk(ctx, inv);
  const request = await createRequest(
    ctx.db,
    inv.community.id,
    inv.member.id,
    {
      kind: 'practice',
      topic: `${args.roleFocus} interview practice`,
      questions: '',
      length_minutes: null,
      named_member_id: null,
      role_focus: args.roleFocus,
      level: args.level,
      availability: JSON.stringify(args.availability),
    },
    inv.now,
  );
  const paired = await tryPair(ctx, inv.community, inv.member, request.id, args, inv.now);
  if (!paired) return { reply: copy.joinedPool(args.roleFocus) };
  return { reply: copy.pairedNow(paired.partner.display_name), outgoing: paired.outgoing };
}

async function tryPair(
  ctx: HandlerContext,
  community: CommunityRow,
  member: MemberRow,
  requestId: string,
  args: PracticeArgs,
  now: Date,
): Promise<{ partner: MemberRow; outgoing: Outgoing[] } | null> {
  const waiting = (await listOpenRequests(ctx.db, community.id, { kind: 'practice' })).filter((r) => r.member_id !== member.id);
  if (waiting.length === 0) return null;
  const state = await loadMatchingState(ctx.db, community.id, ctx.settings, now, seedFrom(requestId));
  const ask: PracticeAsk = { requesterId: member.id, ...args };
  const pool = waiting.map((r) => ({
    memberId: r.member_id,
    ask: {
      requesterId: r.member_id,
      roleFocus: r.role_focus as RoleFocus,
      level: (r.level as CareerStage | null) ?? null,
      availability: parseList(r.availability) as AvailabilitySlot[],
    },
  }));
  const best = rankPracticePartners(ask, pool, state.members, state.ctx)[0];
  if (!best) return null;
  const partnerRequest = waiting.find((r) => r.member_id === best.memberId)!;
  const partner = state.byId.get(best.memberId)!;
  if (!(await transitionRequest(ctx.db, community.id, partnerRequest.id, ['open', 'waiting'], 'matched', now))) return null;
  await transitionRequest(ctx.db, community.id, requestId, ['open', 'waiting'], 'matched', now);
  const match = await createMatch(
    ctx.db,
    community.id,
    { kind: 'practice', requestId, status: 'introduced', score: best.score, explanation: best.explanation },
    [
      { memberId: member.id, role: 'partner', explanation: best.explanation },
      { memberId: partner.id, role: 'partner', explanation: best.explanation },
    ],
    now,
  );
  await scheduleTimer(ctx.db, community.id, TIMER_PRACTICE_FEEDBACK, match.id, new Date(now.getTime() + ctx.settings.practiceFeedbackDelayDays * DAY), now);
  const plan = copy.practicePlan(
    { platformUserId: member.platform_user_id, name: member.display_name, roleFocus: args.roleFocus },
    { platformUserId: partner.platform_user_id, name: partner.display_name, roleFocus: partnerRequest.role_focus as RoleFocus },
    best.explanation,
  );
  return { partner, outgoing: [{ to: conversationOf([member, partner], 'Interview practice'), message: plan }] };
}

export async function leavePool(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const mine = await listOpenRequests(ctx.db, inv.community.id, { memberId: inv.member.id, kind: 'practice' });
  if (mine.length === 0) return { reply: copy.notInPool() };
  for (const r of mine) await transitionRequest(ctx.db, inv.community.id, r.id, ['open', 'waiting'], 'cancelled', inv.now);
  return { reply: copy.leftPool() };
}

/** After the session, each partner is asked for short structured feedback for the other. */
export async function promptFeedback(ctx: HandlerContext, community: CommunityRow, matchId: string): Promise<Outgoing[]> {
  const parts = await getParticipants(ctx.db, community.id, matchId);
  const members = (await Promise.all(parts.map((p) => getMember(ctx.db, community.id, p.member_id)))).filter(
    (m): m is MemberRow => Boolean(m),
  );
  return members.flatMap((m) => {
    const other = members.find((o) => o.id !== m.id);
    return other ? [{ to: privateTo(m), message: copy.feedbackPrompt(other.display_name, matchId) }] : [];
  });
}

export function feedbackForm(matchId: string): Form {
  return {
    formId: copy.PRACTICE_FEEDBACK_FORM,
    title: 'Practice feedback',
    submitLabel: 'Send',
    payload: matchId,
    fields: [
      { name: 'went_well', label: 'One thing that went well', kind: 'long', required: true, maxLength: 500 },
      { name: 'to_practise', label: 'One thing to practise', kind: 'long', required: true, maxLength: 500 },
    ],
  };
}

/** Stores the feedback once and passes it to the partner. */
export async function submitFeedback(
  ctx: HandlerContext,
  inv: Invocation,
  matchId: string,
  answers: { wentWell: string; toPractise: string },
): Promise<Result> {
  const match = await getMatch(ctx.db, inv.community.id, matchId);
  const parts = match ? await getParticipants(ctx.db, inv.community.id, matchId) : [];
  if (!match || !parts.some((p) => p.member_id === inv.member.id)) {
    throw new UserError('not_found', 'That practice session was not found.');
  }
  if (!(await recordFeedbackOnce(ctx.db, inv.community.id, matchId, inv.member.id, 'practice', answers, inv.now))) return { reply: copy.feedbackAlreadyGiven() };
  const otherId = parts.find((p) => p.member_id !== inv.member.id)?.member_id;
  const other = otherId ? await getMember(ctx.db, inv.community.id, otherId) : undefined;
  return {
    reply: copy.feedbackThanks(),
    outgoing: other ? [{ to: privateTo(other), message: copy.feedbackReceived(inv.member.display_name, answers.wentWell, answers.toPractise) }] : [],
  };
}

/** This flow's buttons and timers, composed into the routing tables in src/routes.ts. */
export const practiceRoutes: FlowRoutes = {
  actions: [{ actionId: copy.PRACTICE_ACTIONS.feedback, run: async (_ctx, _inv, payload) => ({ form: feedbackForm(payload) }) }],
  timers: {
    [TIMER_PRACTICE_FEEDBACK]: (ctx, community, matchId) => promptFeedback(ctx, community, matchId),
  },
};
