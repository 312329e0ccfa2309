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

const MAKE_ONE = 'Make one with `openssl rand -hex 32` (or `openssl rand -base64 32`).';

/**
 * Parses SLACK_ENCRYPTION_KEY: exactly 32 bytes, as 64 hex characters, 44 base64 characters
 * (with the one `=`) or 43 base64url characters. Fails fast with a clear message, because a wrong
 * key would only show up later as tokens that cannot be read, and refuses keys that were plainly
 * not generated at random (a passphrase, "aaaa…", all zeros, a short repeated pattern, a counting
 * sequence): such a key would seal every workspace's bot token with almost no protection.
 */
export function parseEncryptionKey(raw: string): Buffer {
  const text = raw.trim();
  let key: Buffer;
  if (/^[0-9a-f]{64}$/i.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(text)) key = Buffer.from(text, 'base64');
  else if (/^[A-Za-z0-9_-]{43}$/.test(text)) key = Buffer.from(text, 'base64url');
  else {
    throw new Error(
      `SLACK_ENCRYPTION_KEY must be exactly 32 bytes made at random, written as 64 hex characters or base64 (44 characters, or 43 in base64url); the value given has ${text.length} characters. ${MAKE_ONE}`,
    );
  }
  if (key.length !== 32) throw new Error(`SLACK_ENCRYPTION_KEY does not decode to exactly 32 bytes. ${MAKE_ONE}`);
  const weakness = keyWeakness(key, text);
  if (weakness) throw new Error(`SLACK_ENCRYPTION_KEY is too weak: ${weakness}. It must be 32 random bytes. ${MAKE_ONE}`);
  const canonical = text.length === 64 ? key.toString('hex') : text.endsWith('=') ? key.toString('base64') : key.toString('base64url');
  if (canonical !== (text.length === 64 ? text.toLowerCase() : text)) {
    throw new Error(`SLACK_ENCRYPTION_KEY is not the base64 of 32 bytes (its last character carries stray bits), so it was not made by encoding a random key. ${MAKE_ONE}`);
  }
  return key;
}

/** Why 32 bytes cannot have come from a random generator, or null. Random keys fail these with probability below 1e-9. */
function keyWeakness(key: Buffer, text: string): string | null {
  const distinct = new Set(key).size;
  if (distinct === 1) return 'every byte is the same';
  // 32 random bytes have about 30 distinct values; fewer than 16 happens with odds far below 1e-12.
  if (distinct < 16) return `only ${distinct} different byte values`;
  for (let period = 2; period <= 16; period++) {
    if (key.every((b, i) => b === key[i % period])) return `it repeats a ${period}-byte pattern`;
  }
  const step = (key[1]! - key[0]! + 256) % 256;
  if (key.every((b, i) => i === 0 || (b - key[i - 1]! + 256) % 256 === step)) return 'its bytes count up or down in steps';
  // Base64 of random bytes mixes upper- and lower-case letters (odds of lacking one of them: ~1e-10);
  // one case only is a word or passphrase typed in, not a generated key.
  if (text.length !== 64 && (!/[a-z]/.test(text) || !/[A-Z]/.test(text))) return 'it looks like a typed word or passphrase, not base64 of random bytes';
  return null;
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
