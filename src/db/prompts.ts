import type { Kysely, Selectable } from 'kysely';
import type { Database } from './tables.ts';

/** A community's own prompt (text set), or its switch for a built-in one (text null). */
export interface CommunityPromptsTable {
  community_id: string;
  key: string;
  theme: string;
  text: string | null;
  disabled: number;
  created_at: string;
}

/** One weekly post of a prompt, for the rotation. */
export interface PromptPostsTable {
  community_id: string;
  key: string;
  posted_at: string;
}

export type CommunityPromptRow = Selectable<CommunityPromptsTable>;

/** The community's own prompts and built-in switches, oldest first. */
export function listCommunityPrompts(db: Kysely<Database>, communityId: string): Promise<CommunityPromptRow[]> {
  return db.selectFrom('community_prompts').selectAll().where('community_id', '=', communityId).orderBy('created_at').execute();
}

export async function addCommunityPrompt(
  db: Kysely<Database>,
  communityId: string,
  prompt: { key: string; theme: string; text: string | null; disabled: boolean },
  now: Date,
): Promise<void> {
  await db
    .insertInto('community_prompts')
    .values({ community_id: communityId, key: prompt.key, theme: prompt.theme, text: prompt.text, disabled: prompt.disabled ? 1 : 0, created_at: now.toISOString() })
    .execute();
}

/** Switches a stored prompt off or on; false when the community has no row for that key. */
export async function setCommunityPromptDisabled(db: Kysely<Database>, communityId: string, key: string, disabled: boolean): Promise<boolean> {
  const result = await db
    .updateTable('community_prompts')
    .set({ disabled: disabled ? 1 : 0 })
    .where('community_id', '=', communityId)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many times each prompt key has been posted in the community. */
export async function promptPostCounts(db: Kysely<Database>, communityId: string): Promise<Map<string, number>> {
  const counts = await db
    .selectFrom('prompt_posts')
    .select(['key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('community_id', '=', communityId)
    .groupBy('key')
    .execute();
  return new Map(counts.map((c) => [c.key, Number(c.n)]));
}

export async function recordPromptPost(db: Kysely<Database>, communityId: string, key: string, postedAt: Date): Promise<void> {
  await db.insertInto('prompt_posts').values({ community_id: communityId, key, posted_at: postedAt.toISOString() }).execute();
}
