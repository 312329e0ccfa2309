import { DAY, HOUR } from '../time.ts';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { getMember, updateMember } from '../db/members.ts';
import { getMatch, getParticipants, recordMatchEvent } from '../db/matches.ts';
import type { CommunityRow, MemberRow, ParticipantRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { recordFeedbackOnce } from '../db/feedback.ts';
import * as copy from '../messages/copy/checkin.ts';
import * as rhythm from '../messages/copy/rhythm.ts';
import type { Form } from '../messages/model.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { scheduleTimer } from '../db/timers.ts';
import { TIMER_CHECKIN } from './intro.ts';
import { privateTo } from './people.ts';

/**
 * What happens after an introduction (DESIGN.md §1 "Always thank"): both are
 * asked whether they met; a requester who met is invited to thank the helper,
 * and the thanks is recorded and delivered.
 */

async function participantsWithMembers(ctx: HandlerContext, communityId: string, matchId: string) {
  const parts = await getParticipants(ctx.db, communityId, matchId);
  const rows: { part: ParticipantRow; member: MemberRow }[] = [];
  for (const part of parts) {
    const member = await getMember(ctx.db, communityId, part.member_id);
    if (member) rows.push({ part, member });
  }
  return rows;
}

export const TIMER_CHECKIN_REMINDER = 'match.checkin_reminder';
export const TIMER_CHECKIN_EXPIRE = 'match.checkin_expire';
const ASK_AGAIN_MS = 48 * HOUR;
/** Check-ins in a row left unanswered before a member is paused from rounds. */
export const MAX_IGNORED_CHECKINS = 3;

/** Participants of an introduced match who have not answered its check-in since `since`. */
async function unanswered(ctx: HandlerContext, community: CommunityRow, matchId: string, since: Date) {
  const match = await getMatch(ctx.db, community.id, matchId);
  if (!match || match.status !== 'introduced') return { people: [], waiting: [] };
  const people = await participantsWithMembers(ctx, community.id, matchId);
  const answered = new Set(
    (
      await ctx.db
        .selectFrom('feedback')
        .select('member_id')
        .where('community_id', '=', community.id)
        .where('match_id', '=', matchId)
        .where('kind', '=', 'checkin')
        .execute()
    ).map((r) => r.member_id),
  );
  const deferred = new Set(
    (
      await ctx.db
        .selectFrom('match_events')
        .select('note')
        .where('community_id', '=', community.id)
        .where('match_id', '=', matchId)
        .where('status', '=', 'checkin_not_yet')
        .where('at', '>=', since.toISOString())
        .execute()
    ).map((r) => r.note),
  );
  const waiting = people.filter(({ member }) => !answered.has(member.id) && !deferred.has(member.id) && !member.removed_at);
  return { people, waiting };
}

const othersOf = (people: { member: MemberRow }[], me: MemberRow): string =>
  people
    .filter((o) => o.member.id !== me.id)
    .map((o) => o.member.display_name)
    .join(' and ');

/** The check-in timer fired: ask each participant who has not answered yet; ask once more after 48 hours. */
export async function sendCheckins(ctx: HandlerContext, community: CommunityRow, matchId: string, now: Date): Promise<Outgoing[]> {
  const { people, waiting } = await unanswered(ctx, community, matchId, now);
  if (waiting.length === 0) return [];
  await scheduleTimer(ctx.db, community.id, TIMER_CHECKIN_REMINDER, matchId, new Date(now.getTime() + ASK_AGAIN_MS), now);
  return waiting.map(({ member }) => ({ to: privateTo(member), message: copy.didYouMeet(othersOf(people, member), matchId) }));
}

/** 48 hours without an answer: ask once more, then give it another 48 hours. */
export async function remindCheckins(ctx: HandlerContext, community: CommunityRow, matchId: string, now: Date): Promise<Outgoing[]> {
  const { people, waiting } = await unanswered(ctx, community, matchId, new Date(now.getTime() - ASK_AGAIN_MS));
  if (waiting.length === 0) return [];
  await scheduleTimer(ctx.db, community.id, TIMER_CHECKIN_EXPIRE, matchId, new Date(now.getTime() + ASK_AGAIN_MS), now);
  return waiting.map(({ member }) => ({
    to: privateTo(member),
    message: rhythm.checkinReminder(othersOf(people, member), matchId, CHECKIN_BUTTON_IDS),
  }));
}

/**
 * The check-in went unanswered twice: count it. Three in a row pause the member
 * from pairing rounds with a kind note; any answer resets the count.
 */
export async function expireCheckins(ctx: HandlerContext, community: CommunityRow, matchId: string, now: Date): Promise<Outgoing[]> {
  const { waiting } = await unanswered(ctx, community, matchId, new Date(now.getTime() - 2 * ASK_AGAIN_MS));
  const out: Outgoing[] = [];
  for (const { member } of waiting) {
    const ignored = member.ignored_checkins + 1;
    if (ignored >= MAX_IGNORED_CHECKINS && member.rounds_opt_in === 1) {
      await updateMember(ctx.db, community.id, member.id, { ignored_checkins: 0, rounds_opt_in: 0 }, now);
      out.push({ to: privateTo(member), message: rhythm.pausedForSilence() });
    } else {
      await updateMember(ctx.db, community.id, member.id, { ignored_checkins: ignored }, now);
    }
  }
  return out;
}

const CHECKIN_BUTTON_IDS = { yes: copy.CHECKIN_ACTIONS.yes, notYet: copy.CHECKIN_ACTIONS.notYet, no: copy.CHECKIN_ACTIONS.no };

export type CheckinAnswer = 'yes' | 'not_yet' | 'no';

export async function answerCheckin(ctx: HandlerContext, inv: Invocation, matchId: string, answer: CheckinAnswer): Promise<Result> {
  const people = await participantsWithMembers(ctx, inv.community.id, matchId);
  const me = people.find((p) => p.member.id === inv.member.id);
  if (!me) throw new UserError('not_allowed', 'This check-in belongs to someone else.');
  // Any answer shows the member is still there.
  if (inv.member.ignored_checkins) await updateMember(ctx.db, inv.community.id, inv.member.id, { ignored_checkins: 0 }, inv.now);
  if (answer === 'not_yet') {
    await recordMatchEvent(ctx.db, inv.community.id, matchId, 'checkin_not_yet', inv.now, inv.member.id);
    await scheduleTimer(ctx.db, inv.community.id, TIMER_CHECKIN, matchId, new Date(inv.now.getTime() + ctx.settings.checkinDelayDays * DAY), inv.now);
    return { update: copy.notYetReply(ctx.settings.checkinDelayDays) };
  }
  if (!(await recordFeedbackOnce(ctx.db, inv.community.id, matchId, inv.member.id, 'checkin', { met: answer === 'yes' }, inv.now))) return { update: copy.alreadyAnswered() };
  await recordMatchEvent(ctx.db, inv.community.id, matchId, answer === 'yes' ? 'met' : 'did_not_meet', inv.now, inv.member.id);
  if (answer === 'no') return { update: copy.didNotHappenReply() };
  const helper = people.find((p) => p.part.role === 'helper');
  if (me.part.role === 'requester' && helper) return { update: copy.metReplyRequester(helper.member.display_name, matchId) };
  return { update: copy.metReply() };
}

export function thanksForm(matchId: string): Form {
  return {
    formId: copy.THANKS_FORM,
    title: 'Say thank you',
    submitLabel: 'Send thanks',
    payload: matchId,
    fields: [
      {
        name: 'note',
        label: 'Your note',
        kind: 'long',
        required: true,
        maxLength: 1000,
        placeholder: 'What was most useful about the conversation?',
      },
    ],
  };
}

/** Records the thanks once and delivers it to the helper. */
export async function sendThanks(ctx: HandlerContext, inv: Invocation, matchId: string, note: string): Promise<Result> {
  const people = await participantsWithMembers(ctx, inv.community.id, matchId);
  const me = people.find((p) => p.member.id === inv.member.id);
  const helper = people.find((p) => p.part.role === 'helper');
  if (!me || me.part.role !== 'requester' || !helper) throw new UserError('not_allowed', 'Only the person who asked can send thanks here.');
  if (!(await recordFeedbackOnce(ctx.db, inv.community.id, matchId, inv.member.id, 'thanks', { note }, inv.now))) return { reply: copy.thanksSent(helper.member.display_name) };
  await recordMatchEvent(ctx.db, inv.community.id, matchId, 'thanked', inv.now);
  return {
    reply: copy.thanksSent(helper.member.display_name),
    outgoing: [{ to: privateTo(helper.member), message: copy.thanksReceived(inv.member.display_name, note) }],
  };
}

/** This flow's buttons and timers, composed into the routing tables in src/routes.ts. */
export const checkinRoutes: FlowRoutes = {
  actions: [
    { actionId: copy.CHECKIN_ACTIONS.yes, run: (ctx, inv, payload) => answerCheckin(ctx, inv, payload, 'yes') },
    { actionId: copy.CHECKIN_ACTIONS.notYet, run: (ctx, inv, payload) => answerCheckin(ctx, inv, payload, 'not_yet') },
    { actionId: copy.CHECKIN_ACTIONS.no, run: (ctx, inv, payload) => answerCheckin(ctx, inv, payload, 'no') },
    { actionId: copy.CHECKIN_ACTIONS.thank, run: async (_ctx, _inv, payload) => ({ form: thanksForm(payload) }) },
  ],
  timers: {
    [TIMER_CHECKIN]: (ctx, community, matchId, now) => sendCheckins(ctx, community, matchId, now),
    [TIMER_CHECKIN_REMINDER]: (ctx, community, matchId, now) => remindCheckins(ctx, community, matchId, now),
    [TIMER_CHECKIN_EXPIRE]: (ctx, community, matchId, now) => expireCheckins(ctx, community, matchId, now),
  },
};
