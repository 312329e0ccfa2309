import type { Kysely } from 'kysely';
import { addCustomTopic, type AddTopicResult, type NewTopicInput } from '../matching/index.ts';
import type { CustomTopic } from '../matching/types.ts';
import { parseList } from './json.ts';
import type { Database } from './tables.ts';

/** A community's own topics, added to the built-in list for matching. */
export async function customTopicsOf(db: Kysely<Database>, communityId: string): Promise<CustomTopic[]> {
  const rows = await db.selectFrom('custom_topics').selectAll().where('community_id', '=', communityId).orderBy('created_at').execute();
  return rows.map((r) => ({ key: r.key, label: r.label, synonyms: parseList(r.synonyms), parent: r.parent }));
}

/**
 * Adds a topic for one community after the engine's checks (name given, key not
 * taken, parent known); the moderator command comes later and calls this.
 */
export async function addCommunityTopic(db: Kysely<Database>, communityId: string, input: NewTopicInput, now: Date): Promise<AddTopicResult> {
  const result = addCustomTopic(await customTopicsOf(db, communityId), input);
  if (!result.ok) return result;
  const t = result.topic;
  await db
    .insertInto('custom_topics')
    .values({ community_id: communityId, key: t.key, label: t.label, synonyms: JSON.stringify(t.synonyms), parent: t.parent, created_at: now.toISOString() })
    .execute();
  return result;
}
