import type { Kysely } from 'kysely';

/**
 * The community rhythm: claimed job slots (so a slot runs once across restarts and
 * instances), prompt rotation, round skips, ignored check-ins, and custom topics.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('slot_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_runs_pk', ['community_id', 'job', 'slot_at'])
    .execute();

  await db.schema
    .createTable('community_prompts')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('theme', 'text', (c) => c.notNull())
    /** Null for a built-in prompt the community only enabled or disabled. */
    .addColumn('text', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_prompts_pk', ['community_id', 'key'])
    .execute();

  await db.schema
    .createTable('prompt_posts')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prompt_posts_idx').on('prompt_posts').columns(['community_id', 'key']).execute();

  await db.schema
    .createTable('round_skips')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('slot_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('round_skips_pk', ['community_id', 'member_id', 'slot_at'])
    .execute();

  await db.schema
    .createTable('custom_topics')
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('synonyms', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('parent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_topics_pk', ['community_id', 'key'])
    .execute();

  await db.schema.alterTable('members').addColumn('ignored_checkins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('members').dropColumn('ignored_checkins').execute();
  for (const table of ['custom_topics', 'round_skips', 'prompt_posts', 'community_prompts', 'job_runs']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
