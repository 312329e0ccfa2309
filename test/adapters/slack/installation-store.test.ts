import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Installation } from '@slack/bolt';
import { DatabaseInstallationStore, parseEncryptionKey, seal, unseal } from '../../../adapters/slack/installation-store.ts';
import { openDatabase, type Db } from '../../../src/db/database.ts';
import { migrateToLatest, migrateToZero } from '../../../src/db/migrate.ts';

let database: Db;
const key = randomBytes(32);

beforeEach(async () => {
  database = openDatabase(':memory:');
  await migrateToLatest(database.db);
});
afterEach(async () => database.close());

const installation = (team: string, token: string): Installation<'v2', false> => ({
  team: { id: team, name: 'Library People' },
  enterprise: undefined,
  user: { token: undefined, scopes: undefined, id: 'U0INSTALL1' },
  bot: { token, scopes: ['commands', 'chat:write'], id: 'B0BOT00001', userId: 'U0BOTUSER1' },
  appId: 'A0APP00001',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

test('installations round-trip and the token is encrypted at rest', async () => {
  const store = new DatabaseInstallationStore(database.db, key);
  await store.storeInstallation(installation('T0LIB00001', 'xoxb-secret-token-1'));
  expect(await store.botToken('T0LIB00001')).toBe('xoxb-secret-token-1');
  const rows = await database.db.withTables<{ slack_installations: { sealed: string; team_id: string } }>().selectFrom('slack_installations').selectAll().execute();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.sealed).not.toContain('xoxb');
  // Re-installing replaces the token in place.
  await store.storeInstallation(installation('T0LIB00001', 'xoxb-secret-token-2'));
  expect(await store.botToken('T0LIB00001')).toBe('xoxb-secret-token-2');
  await store.deleteInstallation({ teamId: 'T0LIB00001', enterpriseId: undefined, isEnterpriseInstall: false });
  await expect(store.botToken('T0LIB00001')).rejects.toThrow(/no Slack installation/);
});

test('a different key, or a row copied under another id, cannot be read', () => {
  const sealed = seal(key, 'xoxb-1', 'T:T1');
  expect(unseal(key, sealed, 'T:T1')).toBe('xoxb-1');
  expect(() => unseal(randomBytes(32), sealed, 'T:T1')).toThrow();
  expect(() => unseal(key, sealed, 'T:T2')).toThrow();
});

test('the encryption key must be 32 bytes', () => {
  expect(parseEncryptionKey(randomBytes(32).toString('hex'))).toHaveLength(32);
  expect(parseEncryptionKey(randomBytes(32).toString('base64'))).toHaveLength(32);
  expect(() => parseEncryptionKey('short')).toThrow(/32 bytes/);
});

test('the migration goes down cleanly', async () => {
  await migrateToZero(database.db);
  const tables = await database.db.introspection.getTables();
  expect(tables.map((t) => t.name)).not.toContain('slack_installations');
});
