import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database, MemberRow, MemberUpdate } from './tables.ts';

/** What an adapter knows about a person on first contact. */
export interface PlatformUser {
  platformUserId: string;
  displayName: string;
  timeZone?: string | null;
  /** Only where the platform shares it; used for breakout-room CSVs. */
  email?: string | null;
}

/** Finds or creates the member for a platform user; refreshes the display name when it changed. */
export async function ensureMember(
  db: Kysely<Database>,
  communityId: string,
  user: PlatformUser,
  now: Date,
): Promise<MemberRow> {
  let existing = await findMemberByPlatformId(db, communityId, user.platformUserId);
  if (existing) {
    if (user.email && existing.email !== user.email) {
      await db.updateTable('members').set({ email: user.email }).where('id', '=', existing.id).where('community_id', '=', communityId).execute();
      existing = { ...existing, email: user.email };
    }
    if (user.displayName && existing.display_name !== user.displayName) {
      await db
        .updateTable('members')
        .set({ display_name: user.displayName, updated_at: now.toISOString() })
        .where('id', '=', existing.id)
        .where('community_id', '=', communityId)
        .execute();
      return { ...existing, display_name: user.displayName };
    }
    return existing;
  }
  const iso = now.toISOString();
  await db
    .insertInto('members')
    .values({
      id: newId(),
      community_id: communityId,
      platform_user_id: user.platformUserId,
      display_name: user.displayName,
      time_zone: user.timeZone ?? null,
      career_stage: null,
      areas: '[]',
      organisations: '[]',
      bio: '',
      availability: '[]',
      paused_until: null,
      removed_at: null,
      rounds_opt_in: 0,
      email: user.email ?? null,
      created_at: iso,
      updated_at: iso,
    })
    .onConflict((oc) => oc.columns(['community_id', 'platform_user_id']).doNothing())
    .execute();
  return (await findMemberByPlatformId(db, communityId, user.platformUserId))!;
}

export function findMemberByPlatformId(
  db: Kysely<Database>,
  communityId: string,
  platformUserId: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('platform_user_id', '=', platformUserId)
    .executeTakeFirst();
}

export function getMember(db: Kysely<Database>, communityId: string, id: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Looks a member up by display name, case-insensitively, for "@name" arguments. */
export async function findMemberByName(
  db: Kysely<Database>,
  communityId: string,
  name: string,
): Promise<MemberRow | undefined> {
  const rows = await db.selectFrom('members').selectAll().where('community_id', '=', communityId).execute();
  const wanted = name.trim().toLowerCase();
  return rows.find((m) => m.display_name.toLowerCase() === wanted || m.platform_user_id.toLowerCase() === wanted);
}

export function listMembers(db: Kysely<Database>, communityId: string): Promise<MemberRow[]> {
  return db.selectFrom('members').selectAll().where('community_id', '=', communityId).orderBy('created_at').execute();
}

/** Members known to moderate: seen using moderator tools, or listed (by platform id) in the community's settings. */
export async function listModerators(db: Kysely<Database>, communityId: string, listed: string[]): Promise<MemberRow[]> {
  const rows = await db.selectFrom('members').selectAll().where('community_id', '=', communityId).where('removed_at', 'is', null).execute();
  return rows.filter((m) => m.is_moderator === 1 || listed.includes(m.platform_user_id));
}

/** True when a member with that platform user id is known in the community with that platform id. */
export async function isKnownOnPlatform(db: Kysely<Database>, platform: string, communityPlatformId: string, platformUserId: string): Promise<boolean> {
  const known = await db
    .selectFrom('members')
    .innerJoin('communities', 'communities.id', 'members.community_id')
    .select('members.id')
    .where('communities.platform', '=', platform)
    .where('communities.platform_id', '=', communityPlatformId)
    .where('members.platform_user_id', '=', platformUserId)
    .executeTakeFirst();
  return Boolean(known);
}

/** A remembered moderator with where to ask the platform about them. */
export interface RememberedModerator {
  id: string;
  community_id: string;
  platform_user_id: string;
  is_moderator: number;
  platform: string;
  platform_id: string;
}

/** Every member, in every community, remembered as a moderator. */
export function rememberedModerators(db: Kysely<Database>): Promise<RememberedModerator[]> {
  return db
    .selectFrom('members')
    .innerJoin('communities', 'communities.id', 'members.community_id')
    .select(['members.id', 'members.community_id', 'members.platform_user_id', 'members.is_moderator', 'communities.platform', 'communities.platform_id'])
    .where('members.is_moderator', '=', 1)
    .execute();
}

/** Remembers (or forgets) that a member moderates. */
export async function setModerator(db: Kysely<Database>, communityId: string, memberId: string, isModerator: boolean): Promise<void> {
  await db
    .updateTable('members')
    .set({ is_moderator: isModerator ? 1 : 0 })
    .where('id', '=', memberId)
    .where('community_id', '=', communityId)
    .execute();
}

export async function updateMember(
  db: Kysely<Database>,
  communityId: string,
  id: string,
  changes: MemberUpdate,
  now: Date,
): Promise<void> {
  await db
    .updateTable('members')
    .set({ ...changes, updated_at: now.toISOString() })
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .execute();
}

/** Paused (until a future time) or removed members are never matched. */
export function isAvailable(member: MemberRow, now: Date): boolean {
  if (member.removed_at) return false;
  return !member.paused_until || member.paused_until <= now.toISOString();
}
