import { DAY, HOUR } from '../time.ts';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { getMember } from '../db/members.ts';
import { createMatch, getMatch, getParticipants, matchesForRequest, transitionMatch } from '../db/matches.ts';
import { createRequest, getRequest, listOpenRequests, transitionRequest } from '../db/requests.ts';
import type { CommunityRow, MatchRow, MemberRow, RequestRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { MIN_TOPIC_RELEVANCE, helperShortfall, matchedTerms, rankHelpers, termsPhrase, textSimilarity, type HelperShortfall } from '../matching/index.ts';
import { parseList } from '../db/json.ts';
import { listActiveOffers } from '../db/offers.ts';
import { customTopicsOf } from '../db/topics.ts';
import * as copy from '../messages/copy/intro.ts';
import * as rhythmCopy from '../messages/copy/rhythm.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { cancelTimer, scheduleTimer } from '../db/timers.ts';
import { conversationOf, privateTo, who } from './people.ts';
import { loadMatchingState } from './snapshot.ts';
import { seedFrom } from './seed.ts';

/**
 * The double opt-in informational interview (DESIGN.md §3): one helper at a time
 * sees the whole request and says yes, no or not now; only a yes introduces the two.
 */

export const TIMER_RESPONSE_DUE = 'intro.response_due';
export const TIMER_CHECKIN = 'match.checkin';

export interface IntroArgs {
  topic: string;
  questions: string;
  lengthMinutes: 15 | 20 | 30;
  namedMember: MemberRow | null;
}

/** Counts a member's open asks of every kind, for the "small number at once" rule. */
export async function assertCanAsk(ctx: HandlerContext, inv: Invocation): Promise<void> {
  const open = await listOpenRequests(ctx.db, inv.community.id, { memberId: inv.member.id });
  if (open.length >= ctx.settings.maxOpenAsks) {
    throw new UserError(
      'limit_reached',
      `You already have ${open.length} open asks, the most this community allows at once. ` +
        'Cancel one (/intro-request list, then /intro-request cancel N) or wait for one to be answered.',
    );
  }
}

export async function createIntro(ctx: HandlerContext, inv: Invocation, args: IntroArgs): Promise<Result> {
  if (args.namedMember?.id === inv.member.id) {
    throw new UserError('invalid_input', 'You cannot send an intro request to yourself. Name someone else, or leave the name out.');
  }
  if (args.namedMember?.removed_at) {
    throw new UserError('not_found', `${args.namedMember.display_name} is not taking requests here.`);
  }
  await assertCanAsk(ctx, inv);
  const request = await createRequest(
    ctx.db,
    inv.community.id,
    inv.member.id,
    {
      kind: 'intro',
      topic: args.topic,
      questions: args.questions,
      length_minutes: args.lengthMinutes,
      named_member_id: args.namedMember?.id ?? null,
      role_focus: null,
      level: null,
      availability: '[]',
    },
    inv.now,
  );
  const next = await askNextHelper(ctx, inv.community, request, inv.now);
  return {
    reply: next.asked
      ? copy.requestSent(request.ref, request.topic, args.lengthMinutes)
      : copy.requestNobodyYet(request.ref, request.topic, next.shortfall ?? 'nobody-offers'),
    outgoing: next.outgoing,
  };
}

/**
 * Invites the best helper not yet asked, or, when the tries are used up or nobody
 * fits, parks the request as waiting (it stays for the digest) and tells the
 * requester kindly. Used on creation, decline, "not now" and timeout alike.
 */
export async function askNextHelper(
  ctx: HandlerContext,
  community: CommunityRow,
  request: RequestRow,
  now: Date,
): Promise<{ asked: boolean; outgoing: Outgoing[]; shortfall?: HelperShortfall }> {
  const requester = (await getMember(ctx.db, community.id, request.member_id))!;
  const previous = await matchesForRequest(ctx.db, community.id, request.id);
  const askedIds = new Set<string>();
  for (const match of previous) {
    for (const p of await getParticipants(ctx.db, community.id, match.id)) if (p.role === 'helper') askedIds.add(p.member_id);
  }
  const isFirst = previous.length === 0;
  const park = async (shortfall?: HelperShortfall): Promise<{ asked: boolean; outgoing: Outgoing[]; shortfall?: HelperShortfall }> => {
    await transitionRequest(ctx.db, community.id, request.id, ['open'], 'waiting', now);
    // On creation the reply already says so (and which case it is); later, the requester hears it privately.
    return {
      asked: false,
      ...(shortfall ? { shortfall } : {}),
      outgoing: isFirst ? [] : [{ to: privateTo(requester), message: copy.requestExhausted(request.ref, request.topic) }],
    };
  };
  if (previous.length >= ctx.settings.maxHelperTries) return park();

  const state = await loadMatchingState(ctx.db, community.id, ctx.settings, now, seedFrom(request.id));
  const ask = { requesterId: requester.id, topic: request.topic, questions: request.questions, excludeIds: [...askedIds] };
  const ranked = rankHelpers(ask, state.members, state.ctx);
  // A named member is asked first when they are free to be asked; otherwise the ranking decides.
  const named = request.named_member_id && !askedIds.has(request.named_member_id) ? state.byId.get(request.named_member_id) : undefined;
  const namedEligible =
    named && !named.removed_at && !(named.paused_until && named.paused_until > now.toISOString()) && !isBlocked(state.ctx.blocks, requester.id, named.id);
  const pick = namedEligible
    ? {
        memberId: named.id,
        score: ranked.find((r) => r.memberId === named.id)?.score ?? 0,
        explanation: ranked.find((r) => r.memberId === named.id)?.explanation ?? `${requester.display_name} asked for you by name.`,
      }
    : ranked[0];
  if (!pick) return park(helperShortfall(ask, state.members, state.ctx));

  const helper = state.byId.get(pick.memberId)!;
  const match = await createMatch(
    ctx.db,
    community.id,
    { kind: 'intro', requestId: request.id, status: 'invited', score: pick.score, explanation: pick.explanation },
    [
      { memberId: requester.id, role: 'requester', explanation: pick.explanation },
      { memberId: helper.id, role: 'helper', explanation: pick.explanation },
    ],
    now,
  );
  await scheduleTimer(ctx.db, community.id, TIMER_RESPONSE_DUE, match.id, new Date(now.getTime() + ctx.settings.responseWindowHours * HOUR), now);
  const view = introView(request, requester, helper, await whyYouText(ctx, community, helper, request, requester, Boolean(namedEligible)));
  return { asked: true, outgoing: [{ to: privateTo(helper), message: copy.invitation(view, match.id) }] };
}

function isBlocked(blocks: { blocker: string; blocked: string }[], a: string, b: string): boolean {
  return blocks.some((x) => (x.blocker === a && x.blocked === b) || (x.blocker === b && x.blocked === a));
}

/**
 * The engine's explanation is written to the requester ("… which matches your ask about …");
 * the helper is told, in their own terms, which of their offers or areas matched.
 */
async function whyYouText(
  ctx: HandlerContext,
  community: CommunityRow,
  helper: MemberRow,
  request: RequestRow,
  requester: MemberRow,
  named: boolean,
): Promise<string> {
  if (named) return copy.whyYou.named(requester.display_name);
  // Judged as the ranking qualifies a helper (against the ask's topic line) and held to the same
  // minimum, so the helper is never told an unrelated offer is why (issue 14, finding 4).
  const custom = await customTopicsOf(ctx.db, community.id);
  const relevance = (text: string): number => textSimilarity(text, request.topic, custom);
  const terms = (text: string): string => termsPhrase(matchedTerms(text, request.topic, custom));
  const offers = await listActiveOffers(ctx.db, community.id, helper.id);
  const bestOffer = offers
    .map((o) => ({ topic: o.topic, text: `${o.topic} ${o.details}`, score: relevance(`${o.topic} ${o.details}`) }))
    .sort((a, b) => b.score - a.score)[0];
  if (bestOffer && bestOffer.score >= MIN_TOPIC_RELEVANCE) return copy.whyYou.offer(bestOffer.topic, requester.display_name, request.topic, terms(bestOffer.text));
  const area = parseList(helper.areas)
    .map((a) => ({ a, score: relevance(a) }))
    .sort((x, y) => y.score - x.score)[0];
  if (area && area.score > 0) return copy.whyYou.area(area.a, requester.display_name, request.topic, terms(area.a));
  return copy.whyYou.general(requester.display_name, request.topic);
}

function introView(request: RequestRow, requester: MemberRow, helper: MemberRow, why: string): copy.IntroView {
  return {
    ref: request.ref,
    topic: request.topic,
    questions: request.questions,
    lengthMinutes: request.length_minutes ?? 20,
    requester: who(requester),
    helper: who(helper),
    why,
  };
}

interface InvitationState {
  match: MatchRow;
  request: RequestRow;
  requester: MemberRow;
  helper: MemberRow;
}

async function loadInvitation(ctx: HandlerContext, communityId: string, matchId: string): Promise<InvitationState | null> {
  const match = await getMatch(ctx.db, communityId, matchId);
  if (!match || match.kind !== 'intro' || !match.request_id) return null;
  const request = await getRequest(ctx.db, communityId, match.request_id);
  const parts = await getParticipants(ctx.db, communityId, match.id);
  const requesterId = parts.find((p) => p.role === 'requester')?.member_id;
  const helperId = parts.find((p) => p.role === 'helper')?.member_id;
  if (!request || !requesterId || !helperId) return null;
  const requester = await getMember(ctx.db, communityId, requesterId);
  const helper = await getMember(ctx.db, communityId, helperId);
  if (!requester || !helper) return null;
  return { match, request, requester, helper };
}

/** Only the invited helper may answer; anyone else pressing the button changes nothing. */
async function invitationFor(ctx: HandlerContext, inv: Invocation, matchId: string): Promise<InvitationState> {
  const state = await loadInvitation(ctx, inv.community.id, matchId);
  if (!state) throw new UserError('not_found', 'That invitation no longer exists.');
  if (state.helper.id !== inv.member.id) throw new UserError('not_allowed', 'Only the person who was invited can answer this.');
  return state;
}

export async function acceptInvitation(ctx: HandlerContext, inv: Invocation, matchId: string): Promise<Result> {
  const s = await invitationFor(ctx, inv, matchId);
  if (!(await transitionMatch(ctx.db, inv.community.id, matchId, ['invited'], 'introduced', inv.now))) {
    return { update: copy.invitationAlreadyAnswered() };
  }
  await transitionRequest(ctx.db, inv.community.id, s.request.id, ['open', 'waiting'], 'matched', inv.now);
  await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, matchId, inv.now);
  await scheduleTimer(ctx.db, inv.community.id, TIMER_CHECKIN, matchId, new Date(inv.now.getTime() + ctx.settings.checkinDelayDays * DAY), inv.now);
  const view = introView(s.request, s.requester, s.helper, s.match.explanation);
  return {
    update: copy.invitationAccepted(view),
    outgoing: [
      {
        to: conversationOf([s.requester, s.helper], `Informational interview: ${s.request.topic}`),
        message: copy.introduction(view),
      },
    ],
  };
}

/** Decline and "not now" both pass the request on; neither is ever shown to the requester. */
export async function declineInvitation(ctx: HandlerContext, inv: Invocation, matchId: string, notNow: boolean): Promise<Result> {
  const s = await invitationFor(ctx, inv, matchId);
  if (!(await transitionMatch(ctx.db, inv.community.id, matchId, ['invited'], notNow ? 'not_now' : 'declined', inv.now))) {
    return { update: copy.invitationAlreadyAnswered() };
  }
  await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, matchId, inv.now);
  const request = (await getRequest(ctx.db, inv.community.id, s.request.id))!;
  const next = request.status === 'open' ? await askNextHelper(ctx, inv.community, request, inv.now) : { outgoing: [] };
  return { update: copy.invitationDeclined(s.requester.display_name, notNow), outgoing: next.outgoing };
}

/** The response window ran out: pass the request on quietly. Safe to run twice. */
export async function expireInvitation(ctx: HandlerContext, community: CommunityRow, matchId: string, now: Date): Promise<Outgoing[]> {
  const s = await loadInvitation(ctx, community.id, matchId);
  if (!s) return [];
  if (!(await transitionMatch(ctx.db, community.id, matchId, ['invited'], 'expired', now))) return [];
  const request = (await getRequest(ctx.db, community.id, s.request.id))!;
  const outgoing: Outgoing[] = [{ to: privateTo(s.helper), message: copy.invitationExpiredNote() }];
  if (request.status === 'open') outgoing.push(...(await askNextHelper(ctx, community, request, now)).outgoing);
  return outgoing;
}

/** The requester withdraws an ask; a helper holding an invitation is told kindly. */
export async function cancelIntro(ctx: HandlerContext, inv: Invocation, request: RequestRow): Promise<Result> {
  if (request.member_id !== inv.member.id || request.kind !== 'intro') {
    throw new UserError('not_found', `You have no intro request #${request.ref}. See yours with /intro-request list.`);
  }
  if (!(await transitionRequest(ctx.db, inv.community.id, request.id, ['open', 'waiting'], 'cancelled', inv.now))) {
    throw new UserError('conflict', `Request #${request.ref} is already ${request.status}; nothing to cancel.`);
  }
  const outgoing: Outgoing[] = [];
  for (const match of await matchesForRequest(ctx.db, inv.community.id, request.id)) {
    if (!(await transitionMatch(ctx.db, inv.community.id, match.id, ['invited'], 'cancelled', inv.now, 'requester cancelled'))) continue;
    await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, match.id, inv.now);
    const helperId = (await getParticipants(ctx.db, inv.community.id, match.id)).find((p) => p.role === 'helper')?.member_id;
    const helper = helperId ? await getMember(ctx.db, inv.community.id, helperId) : undefined;
    if (helper) outgoing.push({ to: privateTo(helper), message: copy.invitationCancelled(inv.member.display_name, request.topic) });
  }
  return { reply: copy.requestCancelled(request.ref), outgoing };
}

/**
 * A member answered an open ask from the digest ("I can help"). Both sides have
 * now opted in (the requester by asking, the volunteer by pressing), so they are
 * introduced at once; a helper still holding an invitation is released kindly.
 */
export async function volunteerForRequest(ctx: HandlerContext, inv: Invocation, requestId: string): Promise<Result> {
  const request = await getRequest(ctx.db, inv.community.id, requestId);
  if (!request || request.kind !== 'intro' || !['open', 'waiting'].includes(request.status)) return { reply: rhythmCopy.volunteerTooLate() };
  if (request.member_id === inv.member.id) return { reply: rhythmCopy.volunteerOwn() };
  const requester = (await getMember(ctx.db, inv.community.id, request.member_id))!;
  const blocked = await ctx.db
    .selectFrom('blocks')
    .select('blocker_id')
    .where('community_id', '=', inv.community.id)
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', requester.id), eb('blocked_id', '=', inv.member.id)]),
        eb.and([eb('blocker_id', '=', inv.member.id), eb('blocked_id', '=', requester.id)]),
      ]),
    )
    .executeTakeFirst();
  if (blocked || requester.removed_at) return { reply: rhythmCopy.volunteerTooLate() };
  if (!(await transitionRequest(ctx.db, inv.community.id, request.id, ['open', 'waiting'], 'matched', inv.now))) return { reply: rhythmCopy.volunteerTooLate() };
  const outgoing: Outgoing[] = [];
  for (const pending of await matchesForRequest(ctx.db, inv.community.id, request.id)) {
    if (!(await transitionMatch(ctx.db, inv.community.id, pending.id, ['invited'], 'cancelled', inv.now, 'a volunteer took it'))) continue;
    await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, pending.id, inv.now);
    const helperId = (await getParticipants(ctx.db, inv.community.id, pending.id)).find((p) => p.role === 'helper')?.member_id;
    const helper = helperId ? await getMember(ctx.db, inv.community.id, helperId) : undefined;
    if (helper) outgoing.push({ to: privateTo(helper), message: rhythmCopy.takenByVolunteer() });
  }
  const why = `${inv.member.display_name} saw your request in the weekly digest and offered to help.`;
  const match = await createMatch(
    ctx.db,
    inv.community.id,
    { kind: 'intro', requestId: request.id, status: 'introduced', score: 0, explanation: why },
    [
      { memberId: requester.id, role: 'requester', explanation: why },
      { memberId: inv.member.id, role: 'helper', explanation: why },
    ],
    inv.now,
  );
  await scheduleTimer(ctx.db, inv.community.id, TIMER_CHECKIN, match.id, new Date(inv.now.getTime() + ctx.settings.checkinDelayDays * DAY), inv.now);
  const view = introView(request, requester, inv.member, why);
  outgoing.push({ to: conversationOf([requester, inv.member], `Informational interview: ${request.topic}`), message: copy.introduction(view) });
  return { reply: rhythmCopy.volunteered(requester.display_name), outgoing };
}

/** This flow's buttons and timers, composed into the routing tables in src/routes.ts. */
export const introRoutes: FlowRoutes = {
  actions: [
    { actionId: copy.INTRO_ACTIONS.accept, run: (ctx, inv, payload) => acceptInvitation(ctx, inv, payload) },
    { actionId: copy.INTRO_ACTIONS.decline, run: (ctx, inv, payload) => declineInvitation(ctx, inv, payload, false) },
    { actionId: copy.INTRO_ACTIONS.notNow, run: (ctx, inv, payload) => declineInvitation(ctx, inv, payload, true) },
    { actionId: rhythmCopy.RHYTHM_ACTIONS.volunteer, run: (ctx, inv, payload) => volunteerForRequest(ctx, inv, payload) },
  ],
  timers: {
    [TIMER_RESPONSE_DUE]: (ctx, community, matchId, now) => expireInvitation(ctx, community, matchId, now),
  },
};
