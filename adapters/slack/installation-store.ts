import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Kysely } from 'kysely';

/**
 * Slack OAuth installations kept in Circulate's own database, so many
 * workspaces can install the app without a second store to run and back up.
 * Tokens are sealed with AES-256-GCM before they touch the database: a leaked
 * backup or a read-only SQL session does not leak workspace tokens.
 */

/** The table written by migrations/20261125120000_slack_installations.ts. */
export interface SlackInstallationsTable {
  id: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: number;
  bot_user_id: string | null;
  sealed: string;
  created_at: string;
  updated_at: string;
}

const VERSION = 'v1';

/**
 * Parses SLACK_ENCRYPTION_KEY: 32 bytes as 64 hex characters or base64. Fails
 * fast with a clear message, because a wrong key would only show up later as
 * tokens that cannot be read.
 */
export function parseEncryptionKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('SLACK_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)');
  return key;
}

/** Encrypts with AES-256-GCM and a fresh 96-bit IV; the associated data binds the ciphertext to its row. */
export function seal(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

/** Decrypts {@link seal}'s output; throws when the key, the row or the ciphertext do not match. */
export function unseal(key: Buffer, sealed: string, associatedData: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown sealed format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

function rowId(q: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`;
  if (q.teamId) return `T:${q.teamId}`;
  throw new Error('an installation needs a team id or an enterprise id');
}

/** Bolt's InstallationStore over the `slack_installations` table, with sealed tokens. */
export class DatabaseInstallationStore implements InstallationStore {
  private readonly db: Kysely<{ slack_installations: SlackInstallationsTable }>;

  constructor(
    // The core's Kysely type does not know this adapter's table; the adapter adds it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    db: Kysely<any>,
    private readonly key: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.db = db.withTables<{ slack_installations: SlackInstallationsTable }>() as unknown as Kysely<{ slack_installations: SlackInstallationsTable }>;
  }

  async storeInstallation(installation: Installation<'v1' | 'v2', boolean>): Promise<void> {
    const id = rowId({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
    });
    const iso = this.now().toISOString();
    const sealed = seal(this.key, JSON.stringify(installation), id);
    await this.db
      .insertInto('slack_installations')
      .values({
        id,
        team_id: installation.team?.id ?? null,
        enterprise_id: installation.enterprise?.id ?? null,
        is_enterprise_install: installation.isEnterpriseInstall ? 1 : 0,
        bot_user_id: installation.bot?.userId ?? null,
        sealed,
        created_at: iso,
        updated_at: iso,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ sealed, bot_user_id: installation.bot?.userId ?? null, updated_at: iso }))
      .execute();
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const ids = [rowId({ enterpriseId: query.enterpriseId, isEnterpriseInstall: true, teamId: query.teamId })];
    if (query.teamId) ids.push(`T:${query.teamId}`);
    const rows = await this.db.selectFrom('slack_installations').selectAll().where('id', 'in', ids).execute();
    const row = ids.map((id) => rows.find((r) => r.id === id)).find((r) => r !== undefined);
    if (!row) throw new Error(`no Slack installation for ${ids.join(' or ')}`);
    return JSON.parse(unseal(this.key, row.sealed, row.id)) as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const id = rowId({ teamId: query.teamId, enterpriseId: query.enterpriseId, isEnterpriseInstall: query.isEnterpriseInstall });
    await this.db.deleteFrom('slack_installations').where('id', '=', id).execute();
  }

  /** The bot token for a workspace, for the outbox's deliveries. */
  async botToken(teamId: string): Promise<string> {
    const installation = await this.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    const token = installation.bot?.token;
    if (!token) throw new Error(`the installation for ${teamId} has no bot token`);
    return token;
  }
}
