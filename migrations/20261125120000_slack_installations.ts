import type { Kysely } from 'kysely';

/**
 * Slack OAuth installations, one row per workspace (or Enterprise Grid org).
 * The installation, with its tokens, is stored encrypted (AES-256-GCM, key from
 * SLACK_ENCRYPTION_KEY); only the ids needed to find a row are in clear text.
 * Portable between SQLite and PostgreSQL: text columns and ISO text timestamps.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('slack_installations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('is_enterprise_install', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bot_user_id', 'text')
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slack_installations_team_idx').on('slack_installations').column('team_id').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('slack_installations').ifExists().execute();
}
