import { DAY, HOUR, MINUTE } from '../time.ts';
import { DateTime } from 'luxon';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { createMatch, recordMatchEvent } from '../db/matches.ts';
import { createMeetup as storeMeetup, getMeetup, goingMembers, meetupGroupMembers, recordRsvp, setMeetupStatus, type MeetupRow } from '../db/meetups.ts';
import { getMember, listMembers } from '../db/members.ts';
import type { CommunityRow, MemberRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { runBreakouts } from '../matching/index.ts';
import { ADMIN_ACTIONS } from '../messages/copy/admin.ts';
import * as copy from '../messages/copy/meetups.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { scheduleTimer } from '../db/timers.ts';
import { audit } from './moderation.ts';
import { privateTo, who } from './people.ts';
import { seedFrom } from './seed.ts';
import { loadMatchingState } from './snapshot.ts';
import { toCsv } from './stats.ts';

/**
 * Virtual meetups (DESIGN.md §3): an announcement with RSVPs and a live count,
 * reminders 24 hours and 1 hour before, breakout groups at the start made by the
 * matching engine (so blocks and the rematch window hold), a CSV for the
 * moderator's video-call rooms, and a follow-up nudge afterwards.
 */

export const TIMER_MEETUP_REMIND_DAY = 'meetup.remind_24h';
export const TIMER_MEETUP_REMIND_HOUR = 'meetup.remind_1h';
export const TIMER_MEETUP_START = 'meetup.start';
export const TIMER_MEETUP_FOLLOW_UP = 'meetup.follow_up';
/** The CSV "room" of members the host seats by hand. */
export const UNASSIGNED = 'Unassigned';

export interface NewMeetup {
  title: string;
  /** Local "YYYY-MM-DD HH:MM" in `timeZone`. */
  start: string;
  timeZone: string;
  lengthMinutes: number;
  videoLink: string | null;
  groupSize: 2 | 3 | 4;
}

const whenOf = (m: Pick<MeetupRow, 'starts_at' | 'time_zone'>): string =>
  DateTime.fromISO(m.starts_at, { zone: m.time_zone }).toFormat("cccc d LLLL yyyy, HH:mm ZZZZ");

const attendeesOf = (ctx: HandlerContext, meetup: MeetupRow): Promise<MemberRow[]> => goingMembers(ctx.db, meetup.community_id, meetup.id);

async function view(ctx: HandlerContext, meetup: MeetupRow): Promise<copy.MeetupView> {
  return {
    id: meetup.id,
    ref: meetup.ref,
    title: meetup.title,
    when: whenOf(meetup),
    lengthMinutes: meetup.length_minutes,
    videoLink: meetup.video_link,
    going: (await attendeesOf(ctx, meetup)).length,
  };
}

export async function createMeetup(ctx: HandlerContext, inv: Invocation, input: NewMeetup): Promise<Result> {
  const start = DateTime.fromFormat(input.start, 'yyyy-MM-dd HH:mm', { zone: input.timeZone });
  if (!start.isValid) throw new UserError('invalid_input', 'Start must look like 2026-03-10 18:00 (local time in the time zone you give).', { start: 'Use YYYY-MM-DD HH:MM.' });
  if (start.toJSDate() <= inv.now) throw new UserError('invalid_input', 'The meetup must start in the future.', { start: 'Pick a time in the future.' });
  const channelId = ctx.settings.promptChannelId;
  if (!channelId) throw new UserError('conflict', 'Set a prompt channel first (/network-admin setup) so the meetup can be announced there.');
  const meetup = await storeMeetup(
    ctx.db,
    inv.community.id,
    {
      title: input.title,
      starts_at: start.toUTC().toISO()!,
      time_zone: input.timeZone,
      length_minutes: input.lengthMinutes,
      video_link: input.videoLink,
      group_size: input.groupSize,
      channel_id: channelId,
      created_by: inv.member.id,
    },
    inv.now,
  );
  const at = start.toJSDate().getTime();
  const timers: [string, number][] = [
    [TIMER_MEETUP_REMIND_DAY, at - DAY],
    [TIMER_MEETUP_REMIND_HOUR, at - HOUR],
    [TIMER_MEETUP_START, at],
    [TIMER_MEETUP_FOLLOW_UP, at + input.lengthMinutes * MINUTE],
  ];
  for (const [kind, due] of timers) if (due > inv.now.getTime()) await scheduleTimer(ctx.db, inv.community.id, kind, meetup.id, new Date(due), inv.now);
  await audit(ctx, inv, 'meetup.create', meetup.id, { title: meetup.title, starts_at: meetup.starts_at });
  return {
    reply: copy.created(meetup.ref, whenOf(meetup)),
    outgoing: [{ to: { kind: 'channel', channelId }, message: copy.announcement(await view(ctx, meetup)) }],
  };
}

/** Going / Not going: records the answer and refreshes the announcement's live count. */
export async function rsvp(ctx: HandlerContext, inv: Invocation, meetupId: string, going: boolean): Promise<Result> {
  const meetup = await getMeetup(ctx.db, inv.community.id, meetupId);
  if (!meetup || meetup.status !== 'scheduled') throw new UserError('not_found', 'RSVPs for that meetup are closed.');
  await recordRsvp(ctx.db, inv.community.id, meetup.id, inv.member.id, going, inv.now);
  return { update: copy.announcement(await view(ctx, meetup)) };
}

async function meetupFor(ctx: HandlerContext, community: CommunityRow, id: string): Promise<MeetupRow | undefined> {
  return getMeetup(ctx.db, community.id, id);
}

export async function remind(ctx: HandlerContext, community: CommunityRow, meetupId: string, hours: number): Promise<Outgoing[]> {
  const meetup = await meetupFor(ctx, community, meetupId);
  if (!meetup || meetup.status !== 'scheduled') return [];
  return (await attendeesOf(ctx, meetup)).map((m) => ({ to: privateTo(m), message: copy.reminder(meetup.title, whenOf(meetup), meetup.video_link, hours) }));
}

/** At the start: breakout groups by the matcher, each member told their room, the moderator gets groups and CSV. */
export async function startMeetup(ctx: HandlerContext, community: CommunityRow, meetupId: string, now: Date): Promise<Outgoing[]> {
  const meetup = await meetupFor(ctx, community, meetupId);
  if (!meetup || meetup.status !== 'scheduled') return [];
  await setMeetupStatus(ctx.db, community.id, meetup.id, 'started');
  const attending = await attendeesOf(ctx, meetup);
  const moderator = await getMember(ctx.db, community.id, meetup.created_by);
  if (attending.length < 2) return moderator ? [{ to: privateTo(moderator), message: copy.nobodyGoing(meetup.title) }] : [];
  const state = await loadMatchingState(ctx.db, community.id, ctx.settings, now, seedFrom(meetup.id));
  const ids = new Set(attending.map((m) => m.id));
  const snapshots = state.members.filter((m) => ids.has(m.id));
  const size = meetup.group_size as 2 | 3 | 4;
  const result = await runBreakouts(snapshots, state.ctx, size);
  ctx.log.info({ meetup: meetup.id, seed: result.seed, groups: result.groups.length, unplaced: result.unplaced.length }, 'meetup breakout groups');
  const out: Outgoing[] = [];
  const rooms: { room: string; members: MemberRow[] }[] = [];
  for (const [index, group] of result.groups.entries()) {
    const members = group.memberIds.map((id) => state.byId.get(id)!);
    const room = `Room ${index + 1}`;
    rooms.push({ room, members });
    const match = await createMatch(
      ctx.db,
      community.id,
      { kind: 'meetup', requestId: null, status: 'introduced', score: group.score, explanation: `${meetup.title}, ${room}` },
      members.map((m) => ({ memberId: m.id, role: 'partner' as const, explanation: group.explanations[m.id] ?? '' })),
      now,
    );
    // The group remembers its meetup, for the follow-up afterwards.
    await recordMatchEvent(ctx.db, community.id, match.id, 'meetup_group', now, meetup.id);
    for (const m of members) out.push({ to: privateTo(m), message: copy.yourGroup(meetup.title, room, members.filter((o) => o.id !== m.id).map(who)) });
  }
  // Anyone the matcher could not place (only blocks can do that; the rematch window is a preference at meetups) is left for the host to seat,
  // listed as unassigned with the reason, and told so: never silently left out.
  const unassigned: { member: MemberRow; reason: string }[] = [];
  for (const u of result.unplaced) {
    const member = state.byId.get(u.memberId);
    if (!member) continue;
    unassigned.push({ member, reason: u.reason });
    out.push({ to: privateTo(member), message: copy.hostWillSeat(meetup.title) });
  }
  if (moderator) {
    const csv = breakoutCsv([...rooms, ...(unassigned.length ? [{ room: UNASSIGNED, members: unassigned.map((u) => u.member) }] : [])]);
    out.push({
      to: privateTo(moderator),
      message: copy.groupsForModerator(
        meetup.title,
        rooms.map((r) => ({ room: r.room, names: r.members.map((m) => m.display_name) })),
        unassigned.map((u) => ({ name: u.member.display_name, reason: u.reason })),
        [{ name: `meetup-${meetup.ref}-breakout-rooms.csv`, mimeType: 'text/csv', base64: Buffer.from(csv).toString('base64') }],
      ),
    });
  }
  return out;
}

/** room,email,display_name — the shape video-call tools accept for pre-assigned breakout rooms. */
export function breakoutCsv(rooms: { room: string; members: Pick<MemberRow, 'email' | 'display_name'>[] }[]): string {
  return toCsv([['room', 'email', 'display_name'], ...rooms.flatMap((r) => r.members.map((m) => [r.room, m.email ?? '', m.display_name]))]);
}

/** Afterwards: each member is nudged to follow up with the people in their room. */
export async function followUpMeetup(ctx: HandlerContext, community: CommunityRow, meetupId: string): Promise<Outgoing[]> {
  const meetup = await meetupFor(ctx, community, meetupId);
  if (!meetup || meetup.status !== 'started') return [];
  await setMeetupStatus(ctx.db, community.id, meetup.id, 'done');
  const groups = await meetupGroupMembers(ctx.db, community.id, meetup.id);
  const byMatch = new Map<string, string[]>();
  for (const g of groups) byMatch.set(g.matchId, [...(byMatch.get(g.matchId) ?? []), g.memberId]);
  const members = new Map((await listMembers(ctx.db, community.id)).map((m) => [m.id, m]));
  const out: Outgoing[] = [];
  for (const ids of byMatch.values()) {
    for (const id of ids) {
      const me = members.get(id);
      if (!me || me.removed_at) continue;
      out.push({ to: privateTo(me), message: copy.followUp(meetup.title, ids.filter((o) => o !== id).map((o) => members.get(o)?.display_name ?? '')) });
    }
  }
  return out;
}

/** This flow's buttons and timers, composed into the routing tables in src/routes.ts. */
export const meetupRoutes: FlowRoutes = {
  actions: [
    { actionId: ADMIN_ACTIONS.rsvpGoing, run: (ctx, inv, payload) => rsvp(ctx, inv, payload, true) },
    { actionId: ADMIN_ACTIONS.rsvpNotGoing, run: (ctx, inv, payload) => rsvp(ctx, inv, payload, false) },
  ],
  timers: {
    [TIMER_MEETUP_REMIND_DAY]: (ctx, community, meetupId) => remind(ctx, community, meetupId, 24),
    [TIMER_MEETUP_REMIND_HOUR]: (ctx, community, meetupId) => remind(ctx, community, meetupId, 1),
    [TIMER_MEETUP_START]: (ctx, community, meetupId, now) => startMeetup(ctx, community, meetupId, now),
    [TIMER_MEETUP_FOLLOW_UP]: (ctx, community, meetupId) => followUpMeetup(ctx, community, meetupId),
  },
};
