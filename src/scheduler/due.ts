import type { HandlerContext } from '../handler.ts';
import type { CommunityRow } from '../db/tables.ts';
import { expireCheckins, remindCheckins, sendCheckins, TIMER_CHECKIN_EXPIRE, TIMER_CHECKIN_REMINDER } from '../flows/checkin.ts';
import { expireInvitation, TIMER_CHECKIN, TIMER_RESPONSE_DUE } from '../flows/intro.ts';
import { promptFeedback, TIMER_PRACTICE_FEEDBACK } from '../flows/practice.ts';
import {
  followUpMeetup,
  remind,
  startMeetup,
  TIMER_MEETUP_FOLLOW_UP,
  TIMER_MEETUP_REMIND_DAY,
  TIMER_MEETUP_REMIND_HOUR,
  TIMER_MEETUP_START,
} from '../flows/meetups.ts';
import type { Outgoing } from '../outbox/outbox.ts';

/** What each durable timer kind does when it comes due; returns the messages it causes. */
export type TimerHandler = (ctx: HandlerContext, community: CommunityRow, subjectId: string, now: Date) => Promise<Outgoing[]>;

export const timerHandlers: ReadonlyMap<string, TimerHandler> = new Map<string, TimerHandler>([
  [TIMER_RESPONSE_DUE, (ctx, community, matchId, now) => expireInvitation(ctx, community, matchId, now)],
  [TIMER_CHECKIN, (ctx, community, matchId, now) => sendCheckins(ctx, community, matchId, now)],
  [TIMER_CHECKIN_REMINDER, (ctx, community, matchId, now) => remindCheckins(ctx, community, matchId, now)],
  [TIMER_CHECKIN_EXPIRE, (ctx, community, matchId, now) => expireCheckins(ctx, community, matchId, now)],
  [TIMER_PRACTICE_FEEDBACK, (ctx, community, matchId) => promptFeedback(ctx, community, matchId)],
  [TIMER_MEETUP_REMIND_DAY, (ctx, community, meetupId) => remind(ctx, community, meetupId, 24)],
  [TIMER_MEETUP_REMIND_HOUR, (ctx, community, meetupId) => remind(ctx, community, meetupId, 1)],
  [TIMER_MEETUP_START, (ctx, community, meetupId, now) => startMeetup(ctx, community, meetupId, now)],
  [TIMER_MEETUP_FOLLOW_UP, (ctx, community, meetupId) => followUpMeetup(ctx, community, meetupId)],
]);
