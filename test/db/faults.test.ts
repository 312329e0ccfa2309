import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import type { Actor } from '../../src/core.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { DatabaseUnavailableError, describeDatabaseError, isDatabaseUnavailable } from '../../src/db/faults.ts';
import { testDatabases } from '../support/databases.ts';
import { FakePort } from '../support/fake-port.ts';
import { START, testConfig, textOf } from '../support/harness.ts';

const UNAVAILABLE = 'Circulate is temporarily unavailable; nothing was saved. Please try again in a few minutes.';

/** An app whose log lines are kept for assertions. */
async function appOn(database: Db): Promise<{ app: App; lines: { level: number; msg: string }[]; run: (name: string, cmd: string, text: string) => Promise<string> }> {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const app = await createApp({ config: testConfig(), clock: new ManualClock(START), log, ports: [new FakePort()], database });
  const actor = (name: string): Actor => ({ platform: 'console', communityPlatformId: 'c1', communityName: 'C1', user: { platformUserId: name, displayName: name } });
  return { app, lines, run: async (name, cmd, text) => textOf(await app.core.command(actor(name), cmd, text)) };
}

const errorsLogged = (lines: { level: number; msg: string }[]) => lines.filter((l) => l.level >= 50);

describe('a SQLite database file that goes away or turns read-only', () => {
  let dir: string;
  let database: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'circulate-faults-'));
    database = openDatabase(join(dir, 'c.db'));
  });
  afterEach(async () => {
    await database.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('deleted while running: commands say nothing was saved instead of false success, readiness fails, one log line', async () => {
    const { app, lines, run } = await appOn(database);
    expect(await run('ann', 'offer-help', 'cataloging: RDA and MARC walkthroughs')).toMatch(/offer/i);
    expect(await app.health()).toEqual({ database: 'ok' });

    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `c.db${suffix}`), { force: true });
    const replies = [
      await run('bob', 'offer-help', 'archives: finding aids for small collections'),
      await run('cy', 'offer-help', 'metadata: Dublin Core crosswalks'),
      await run('ann', 'offer-help', 'list'),
    ];
    expect(replies).toEqual([UNAVAILABLE, UNAVAILABLE, UNAVAILABLE]);
    expect((await app.health()).database).toMatch(/deleted/);
    expect(errorsLogged(lines)).toHaveLength(1);
    expect(errorsLogged(lines)[0]!.msg).toMatch(/database unavailable/);
    await app.close();
  });

  it('read-only: commands say nothing was saved, readiness fails with the reason; both recover when writable again', async () => {
    const { app, lines, run } = await appOn(database);
    expect(await run('ann', 'offer-help', 'cataloging: RDA and MARC walkthroughs')).toMatch(/offer/i);

    await sql`pragma query_only = on`.execute(database.db);
    expect(await run('bob', 'offer-help', 'archives: finding aids for small collections')).toBe(UNAVAILABLE);
    expect(await run('cy', 'network', 'pause 2w')).toBe(UNAVAILABLE);
    expect((await app.health()).database).toMatch(/^SQLITE_READONLY/);
    expect(errorsLogged(lines)).toHaveLength(1);

    await sql`pragma query_only = off`.execute(database.db);
    expect(await app.health()).toEqual({ database: 'ok' });
    expect(await run('bob', 'offer-help', 'archives: finding aids for small collections')).toMatch(/offer/i);
    expect(lines.filter((l) => l.msg === 'database available again')).toHaveLength(1);
    expect((await database.db.selectFrom('offers').select('topic').execute()).map((o) => o.topic)).toEqual(['cataloging', 'archives']);
    await app.close();
  });

  it('a timer due during an outage is kept, not cancelled, and runs once the database is back', async () => {
    const { app, lines, run } = await appOn(database);
    await run('ann', 'network', 'help');
    const community = await database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow();
    const timer = { id: 't-1', community_id: community.id, kind: 'no-such-kind', subject_id: 'x', due_at: '2026-03-01T00:00:00.000Z', status: 'pending' as const, created_at: '2026-03-01T00:00:00.000Z', done_at: null };
    await database.db.insertInto('timers').values(timer).execute();

    await sql`pragma query_only = on`.execute(database.db);
    expect(await app.core.runDue()).toBe(0);
    expect(await app.core.runDue()).toBe(0);
    expect(errorsLogged(lines)).toHaveLength(1);
    await sql`pragma query_only = off`.execute(database.db);
    expect((await database.db.selectFrom('timers').select('status').executeTakeFirstOrThrow()).status).toBe('pending');
    expect(await app.core.runDue()).toBe(1);
    expect((await database.db.selectFrom('timers').select('status').executeTakeFirstOrThrow()).status).toBe('done');
    await app.close();
  });

  it('a bug is still "something went wrong", not an outage', async () => {
    const { app, run } = await appOn(database);
    await sql`drop table offers`.execute(database.db);
    expect(await run('ann', 'offer-help', 'cataloging: RDA and MARC walkthroughs')).toMatch(/Something went wrong/);
    await app.close();
  });
});

describe.each(testDatabases.filter((d) => d.name === 'postgres'))('a read-only PostgreSQL (a standby after failover)', (testDb) => {
  it('commands say nothing was saved and readiness names the reason', async () => {
    const { database, release } = await testDb.open();
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s;
    const readOnly = openDatabase(process.env.TEST_DATABASE_URL!, { searchPath: `${schema} -c default_transaction_read_only=on` });
    try {
      const { app, run } = await appOn(readOnly);
      expect(await run('ann', 'offer-help', 'cataloging: RDA and MARC walkthroughs')).toBe(UNAVAILABLE);
      expect((await app.health()).database).toMatch(/^25006/);
      await app.close();
    } finally {
      await readOnly.close();
      await release();
    }
  });
});

describe('telling an unavailable database from a bug', () => {
  it.each([
    ['SQLITE_READONLY', true],
    ['SQLITE_READONLY_DBMOVED', true],
    ['SQLITE_IOERR_WRITE', true],
    ['SQLITE_CANTOPEN', true],
    ['SQLITE_FULL', true],
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['57P01', true],
    ['08006', true],
    ['25006', true],
    ['SQLITE_CONSTRAINT_UNIQUE', false],
    ['23505', false],
    ['42P01', false],
    ['invalid_input', false],
  ])('%s → %s', (code, expected) => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(expected);
  });

  it('recognises pg messages, wrapped causes and its own error; not plain bugs', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError('file deleted'))).toBe(true);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('describes an error by code and first line only, without credentials', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND postgres://circulate:s3cret@db.internal:5432/prod\n    at stack'), { code: 'ENOTFOUND', config: { password: 's3cret' } });
    const described = describeDatabaseError(error);
    expect(described.code).toBe('ENOTFOUND');
    expect(JSON.stringify(described)).not.toMatch(/s3cret|stack/);
  });
});
