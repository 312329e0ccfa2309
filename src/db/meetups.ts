import type { Kysely, Selectable } from 'kysely';
import { newId } from '../ids.ts';
import { nextRef } from './refs.ts';
import type { Database, MemberRow } from './tables.ts';

export interface MeetupsTable {
  id: string;
  community_id: string;
  ref: number;
  title: string;
  starts_at: string;
  time_zone: string;
  length_minutes: number;
  video_link: string | null;
  group_size: number;
  channel_id: string | null;
  created_by: string;
  status: 'scheduled' | 'started' | 'done' | 'cancelled';
  created_at: string;
}

export interface MeetupRsvpsTable {
  meetup_id: string;
  community_id: string;
  member_id: string;
  going: number;
  updated_at: string;
}

export type MeetupRow = Selectable<MeetupsTable>;
export type MeetupStatus = MeetupRow['status'];
/** What the moderator decides; the id, number, status and creation time are given here. */
export type NewMeetupRow = Omit<MeetupRow, 'id' | 'community_id' | 'ref' | 'status' | 'created_at'>;

/** Stores a scheduled meetup with the community's next meetup number. */
export async function createMeetup(db: Kysely<Database>, communityId: string, fields: NewMeetupRow, now: Date): Promise<MeetupRow> {
  const meetup: MeetupRow = {
    id: newId(),
    community_id: communityId,
    ref: await nextRef(db, 'meetups', communityId),
    ...fields,
    status: 'scheduled',
    created_at: now.toISOString(),
  };
  await db.insertInto('meetups').values(meetup).execute();
  return meetup;
}

export function getMeetup(db: Kysely<Database>, communityId: string, id: string): Promise<MeetupRow | undefined> {
  return db.selectFrom('meetups').selectAll().where('community_id', '=', communityId).where('id', '=', id).executeTakeFirst();
}

export async function setMeetupStatus(db: Kysely<Database>, communityId: string, id: string, status: MeetupStatus): Promise<void> {
  await db.updateTable('meetups').set({ status }).where('community_id', '=', communityId).where('id', '=', id).execute();
}

/** Going or not: a member's latest answer replaces the earlier one. */
export async function recordRsvp(db: Kysely<Database>, communityId: string, meetupId: string, memberId: string, going: boolean, now: Date): Promise<void> {
  const answer = { going: going ? 1 : 0, updated_at: now.toISOString() };
  await db
    .insertInto('meetup_rsvps')
    .values({ meetup_id: meetupId, community_id: communityId, member_id: memberId, ...answer })
    .onConflict((oc) => oc.columns(['meetup_id', 'member_id']).doUpdateSet(answer))
    .execute();
}

/** Members (not removed) whose answer is going, in the order they answered. */
export function goingMembers(db: Kysely<Database>, communityId: string, meetupId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('meetup_rsvps as r')
    .innerJoin('members as m', 'm.id', 'r.member_id')
    .selectAll('m')
    .where('r.community_id', '=', communityId)
    .where('r.meetup_id', '=', meetupId)
    .where('r.going', '=', 1)
    .where('m.removed_at', 'is', null)
    .orderBy('r.updated_at')
    .execute();
}

/** The breakout groups a meetup made: each group's match and its members, one row per member. */
export function meetupGroupMembers(db: Kysely<Database>, communityId: string, meetupId: string): Promise<{ matchId: string; memberId: string }[]> {
  return db
    .selectFrom('match_events as e')
    .innerJoin('match_participants as p', 'p.match_id', 'e.match_id')
    .select(['e.match_id as matchId', 'p.member_id as memberId'])
    .where('e.community_id', '=', communityId)
    .where('e.status', '=', 'meetup_group')
    .where('e.note', '=', meetupId)
    .execute();
}
