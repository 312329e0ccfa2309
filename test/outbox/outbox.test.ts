import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { plainText } from '../../src/messages/build.ts';
import { DeliveryError } from '../../src/platform.ts';
import { listOutbox } from '../../src/outbox/outbox.ts';
import { testDatabases } from '../support/databases.ts';
import { FakePort } from '../support/fake-port.ts';
import { harness, quietLog, START, testConfig } from '../support/harness.ts';

const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';
const actor = (name: string) => ({
  platform: 'console',
  communityPlatformId: 'test-community',
  communityName: 'Test',
  user: { platformUserId: name.toLowerCase(), displayName: name },
});

describe('outbox across a restart (SQLite file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'circulate-outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers each message exactly once when the process stopped between commit and delivery', async () => {
    const url = join(dir, 'circulate.db');
    const clock = new ManualClock(START);
    // First "process": it commits changes but stops before delivering (no adapter reachable).
    const first = await createApp({ config: testConfig(), clock, log: quietLog, ports: [], databaseUrl: url });
    await first.core.command(actor('Dana'), 'offer-help', 'archives: moving from public libraries into archives');
    await first.core.command(actor('Alice'), 'intro-request', ASK);
    await first.core.flush();
    await first.close();

    // Restart on the same file with the platform back.
    const port = new FakePort();
    const second = await createApp({ config: testConfig(), clock, log: quietLog, ports: [port], databaseUrl: url });
    clock.advance(60_000);
    await second.core.flush();
    await second.core.flush();
    expect(port.deliveries).toHaveLength(1);
    expect(plainText(port.deliveries[0]!.message)).toContain('Would you take an informational interview?');
    await second.close();

    // A third start delivers nothing again.
    const port3 = new FakePort();
    const third = await createApp({ config: testConfig(), clock, log: quietLog, ports: [port3], databaseUrl: url });
    await third.core.flush();
    expect(port3.deliveries).toHaveLength(0);
    await third.close();
  });
});

describe.each(testDatabases)('outbox dispatcher on $name', (testDb) => {
  let database: Db;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ database, release } = await testDb.open());
  });
  afterEach(async () => release());

  it('retries retryable failures after Retry-After and keeps order within a conversation', async () => {
    const h = await harness(database);
    h.port.failNext(new DeliveryError('ratelimited', { retryable: true, code: 'ratelimited', retryAfterMs: 30_000 }));
    await h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await h.member('Alice').command('intro-request', ASK);
    expect(h.port.deliveries).toHaveLength(0);
    await h.member('Alice').command('intro-request', ASK.replace('archives:', 'special collections:'));
    await h.advance(10_000);
    expect(h.port.deliveries).toHaveLength(0);
    await h.advance(21_000);
    const toDana = h.port.to('dana').map((d) => plainText(d.message));
    expect(toDana).toHaveLength(2);
    expect(toDana[0]).toContain('about archives');
    expect(toDana[1]).toContain('about special collections');
    const rows = await listOutbox(database.db, (await database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow()).id);
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    await h.close();
  });

  it('records a permanent failure for moderators and tells the member at their next command', async () => {
    const h = await harness(database);
    h.port.failNext(new DeliveryError('cannot DM', { retryable: false, code: '50007', unreachableUserId: 'dana' }));
    await h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await h.member('Alice').command('intro-request', ASK);
    const failed = await database.db.selectFrom('outbox').selectAll().where('status', '=', 'failed').execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]!.last_error).toBe('50007');
    const next = await h.member('Dana').command('offer-help', 'list');
    expect(plainText(next.reply!)).toContain('could not send you a direct message');
    const after = await h.member('Dana').command('offer-help', 'list');
    expect(plainText(after.reply!)).not.toContain('could not send you a direct message');
    await h.close();
  });

  it('gives up after the last try', async () => {
    const h = await harness(database, { retryPolicy: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 5000, leaseMs: 60_000 } });
    h.port.failNext(new DeliveryError('boom', { retryable: true, code: '500' }), 3);
    await h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await h.member('Alice').command('intro-request', ASK);
    for (let i = 0; i < 5; i++) await h.advance(10_000);
    const rows = await database.db.selectFrom('outbox').select(['status', 'attempts']).execute();
    expect(rows).toEqual([{ status: 'failed', attempts: 3 }]);
    expect(h.port.deliveries).toHaveLength(0);
    await h.close();
  });

  it('splits a conversation into private copies when the platform has no shared conversations', async () => {
    const h = await harness(database, { conversations: false });
    await h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await h.member('Alice').command('intro-request', ASK);
    h.port.failNext(new DeliveryError('blip', { retryable: true, code: '503' }));
    await h.member('Dana').press('Accept');
    await h.advance(5_000);
    const intros = h.port.deliveries.filter((d) => plainText(d.message).includes('== Introduction') || plainText(d.message).startsWith('Introduction'));
    expect(intros.map((d) => d.audience[0]).sort()).toEqual(['alice', 'dana']);
    await h.close();
  });

  it('never sends a row twice when two dispatchers drain the same database', async () => {
    if (!testDb.reopen && testDb.name === 'sqlite') {
      // Two instances share a database through a file; covered by the SQLite-file test above.
    }
    const h = await harness(database);
    await h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    const portB = new FakePort();
    const other = testDb.reopen ? testDb.reopen(database) : database;
    const b = await createApp({ config: testConfig(), clock: h.clock, log: quietLog, ports: [portB], database: other });
    // Queue twenty messages without delivering them, then drain from both at once.
    const community = await database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow();
    const { enqueue } = await import('../../src/outbox/outbox.ts');
    await enqueue(
      database.db,
      community.id,
      Array.from({ length: 20 }, (_, i) => ({
        to: { kind: 'private' as const, platformUserId: `u${i}`, memberId: '' },
        message: { blocks: [{ kind: 'paragraph' as const, spans: [{ kind: 'text' as const, text: `hello ${i}` }] }] },
      })),
      h.clock.now(),
    );
    const before = h.port.deliveries.length;
    await Promise.all([h.app.core.flush(), b.core.flush(), h.app.core.flush()]);
    const texts = [...h.port.deliveries.slice(before), ...portB.deliveries].map((d) => plainText(d.message)).sort();
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `hello ${i}`).sort());
    await b.close();
    if (other !== database) await other.close();
    await h.close();
  });
});

describe('migrations', () => {
  it.each(testDatabases)('run up and down on $name', async (testDb) => {
    const { database, release } = await testDb.open();
    const { migrateToZero } = await import('../../src/db/migrate.ts');
    await migrateToZero(database.db);
    expect(await migrateToLatest(database.db)).toContain('20261125090000_core');
    await release();
  });

  it('stops start-up with the error when a migration fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circulate-mig-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '20260101000000_broken.ts'), "export async function up() { throw new Error('disk on fire'); }\nexport async function down() {}\n");
    const database = openDatabase(':memory:');
    await expect(migrateToLatest(database.db, dir)).rejects.toThrow(/20260101000000_broken failed: disk on fire/);
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('conversation fallback chosen by the port', () => {
  it('splits into one DM each when the port says shared conversations are unavailable here', async () => {
    const { CONVERSATION_UNAVAILABLE } = await import('../../src/outbox/dispatcher.ts');
    const database = openDatabase(':memory:');
    await migrateToLatest(database.db);
    const h = await harness(database);
    h.port.openConversation = async () => {
      throw new DeliveryError('no intros channel in this community', { retryable: false, code: CONVERSATION_UNAVAILABLE });
    };
    await h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await h.member('Alice').command('intro-request', ASK);
    await h.member('Dana').press('Accept');
    await h.app.core.flush();
    const intros = h.port.deliveries.filter((d) => plainText(d.message).startsWith('Introduction'));
    expect(intros.map((d) => [d.kind, d.audience[0]]).sort()).toEqual([
      ['private', 'alice'],
      ['private', 'dana'],
    ]);
    const failed = await database.db.selectFrom('outbox').select('status').where('status', '=', 'failed').execute();
    expect(failed).toHaveLength(0);
    await h.close();
    await database.close();
  });
});

describe.each(testDatabases)('a large round on $name', (testDb) => {
  it('queues thousands of messages in one transaction without hitting bound-variable limits', async () => {
    const { database, release } = await testDb.open();
    const h = await harness(database);
    await h.member('Ann').command('network', 'profile');
    const community = await database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow();
    const { enqueue } = await import('../../src/outbox/outbox.ts');
    const items = Array.from({ length: 3000 }, (_, i) => ({
      to: { kind: 'private' as const, platformUserId: `u${i}`, memberId: '' },
      message: { blocks: [{ kind: 'paragraph' as const, spans: [{ kind: 'text' as const, text: `hello ${i}` }] }] },
    }));
    await database.db.transaction().execute((trx) => enqueue(trx, community.id, items, h.clock.now()));
    const n = await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3000);
    await h.close();
    await release();
  });
});
