import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import { mergeSettings, type CommunitySettings } from '../settings.ts';
import type { CommunityRow, Database } from './tables.ts';

/** Finds the community for a Slack team / Discord guild / console session, creating it on first contact. */
export async function ensureCommunity(
  db: Kysely<Database>,
  platform: string,
  platformId: string,
  name: string,
  now: Date,
): Promise<CommunityRow> {
  const existing = await findCommunity(db, platform, platformId);
  if (existing) {
    if (existing.left_at) {
      await db.updateTable('communities').set({ left_at: null }).where('id', '=', existing.id).execute();
      return { ...existing, left_at: null };
    }
    return existing;
  }
  const row: CommunityRow = {
    id: newId(),
    platform,
    platform_id: platformId,
    name,
    settings: '{}',
    created_at: now.toISOString(),
    left_at: null,
  };
  await db
    .insertInto('communities')
    .values(row)
    .onConflict((oc) => oc.columns(['platform', 'platform_id']).doNothing())
    .execute();
  return (await findCommunity(db, platform, platformId))!;
}

export function findCommunity(db: Kysely<Database>, platform: string, platformId: string): Promise<CommunityRow | undefined> {
  return db
    .selectFrom('communities')
    .selectAll()
    .where('platform', '=', platform)
    .where('platform_id', '=', platformId)
    .executeTakeFirst();
}

export function getCommunity(db: Kysely<Database>, id: string): Promise<CommunityRow | undefined> {
  return db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a community as left (bot removed from the guild/workspace); its jobs stop. */
export async function markCommunityLeft(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db.updateTable('communities').set({ left_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Stores validated settings changes on a community; returns the problem when a value is invalid. */
export async function updateCommunitySettings(
  db: Kysely<Database>,
  community: CommunityRow,
  changes: Partial<CommunitySettings>,
): Promise<string | null> {
  const merged = mergeSettings(community, changes);
  if ('error' in merged) return merged.error;
  await db.updateTable('communities').set({ settings: merged.settings }).where('id', '=', community.id).execute();
  return null;
}
