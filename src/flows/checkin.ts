import { DAY } from '../clock.ts';
import type { HandlerContext, Invocation, Result } from '../commands/types.ts';
import { getMember } from '../db/members.ts';
import { getMatch, getParticipants, recordMatchEvent } from '../db/matches.ts';
import type { CommunityRow, MemberRow, ParticipantRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { recordFeedbackOnce } from '../db/feedback.ts';
import * as copy from '../messages/copy/checkin.ts';
import type { Form } from '../messages/model.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { scheduleTimer } from '../scheduler/timers.ts';
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

/** The check-in timer fired: ask each participant who has not answered yet. */
export async function sendCheckins(ctx: HandlerContext, community: CommunityRow, matchId: string): Promise<Outgoing[]> {
  const match = await getMatch(ctx.db, community.id, matchId);
  if (!match || match.status !== 'introduced') return [];
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
  return people
    .filter(({ member }) => !answered.has(member.id) && !member.removed_at)
    .map(({ member }) => {
      const others = people.filter((o) => o.member.id !== member.id).map((o) => o.member.display_name).join(' and ');
      return { to: privateTo(member), message: copy.didYouMeet(others, matchId) };
    });
}

export type CheckinAnswer = 'yes' | 'not_yet' | 'no';

export async function answerCheckin(ctx: HandlerContext, inv: Invocation, matchId: string, answer: CheckinAnswer): Promise<Result> {
  const people = await participantsWithMembers(ctx, inv.community.id, matchId);
  const me = people.find((p) => p.member.id === inv.member.id);
  if (!me) throw new UserError('not_allowed', 'This check-in belongs to someone else.');
  if (answer === 'not_yet') {
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
