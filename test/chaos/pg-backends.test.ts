import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { testDatabases } from '../support/databases.ts';

const UNAVAILABLE = 'Circulate is temporarily unavailable; nothing was saved. Please try again in a few minutes.';

/**
 * Chaos: a bot process under load on PostgreSQL while its database connections
 * are terminated from the server side (as a restart or failover does). The
 * process stays up; commands caught mid-flight say nothing was saved (never
 * "something went wrong", never a false success); later commands succeed.
 */
describe.each(testDatabases.filter((d) => d.name === 'postgres'))('PostgreSQL backends terminated mid-load', (testDb) => {
  it('the process stays up and later commands succeed', async () => {
    const { database, release } = await testDb.open();
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s;
    const applicationName = `circulate-chaos-${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    let child: ChildProcess | undefined;
    let exited: number | null | undefined;
    try {
      child = fork(join(import.meta.dirname, 'pg-instance-process.ts'), [process.env.TEST_DATABASE_URL!, schema, applicationName], { execArgv: ['--import', 'tsx'] });
      child.on('exit', (code) => (exited = code));
      await new Promise((resolve, reject) => {
        child!.once('message', resolve);
        child!.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
      });
      const ask = <T>(msg: object) =>
        new Promise<T>((resolve, reject) => {
          const onExit = (code: number | null) => reject(new Error(`instance exited with ${code} (crashed)`));
          child!.once('exit', onExit);
          child!.once('message', (m) => {
            child!.off('exit', onExit);
            resolve(m as T);
          });
          child!.send(msg);
        });
      const terminate = async () =>
        (
          await admin.query(
            `select pg_terminate_backend(pid) as done from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name = $1`,
            [applicationName],
          )
        ).rowCount ?? 0;

      await ask({ run: 10, tag: 'warm' });
      // Idle pooled connections die first: nothing is running when the server drops them.
      const killedIdle = await terminate();
      expect(killedIdle).toBeGreaterThan(0);

      // Then connections die, five times over, while 200 commands run.
      let running = true;
      let killedBusy = 0;
      const load = ask<{ replies: string[] }>({ run: 200, tag: 'load' }).finally(() => (running = false));
      for (let round = 0; running && round < 5; round++) {
        killedBusy += await terminate();
        await sleep(30);
      }
      const during = (await load).replies;
      expect(exited).toBeUndefined();
      expect(killedBusy).toBeGreaterThan(0);
      const ok = during.filter((t) => /offer/i.test(t) && !/went wrong|unavailable|threw/i.test(t));
      const refused = during.filter((t) => t === UNAVAILABLE);
      // Every command either succeeded or said plainly that nothing was saved.
      expect(ok.length + refused.length).toBe(200);
      console.info(`chaos: killed ${killedIdle} idle + ${killedBusy} busy backends; during the load ${ok.length} succeeded, ${refused.length} said "temporarily unavailable", 0 other`);

      // Once the pool has noticed, later commands all succeed on fresh connections.
      await sleep(200);
      const lostBefore = (await ask<{ lost: number }>({ stats: true })).lost;
      const killedLast = await terminate();
      for (let i = 0; i < 100 && (await ask<{ lost: number }>({ stats: true })).lost < lostBefore + killedLast; i++) await sleep(20);
      const after = (await ask<{ replies: string[] }>({ run: 30, tag: 'after' })).replies;
      expect(after.filter((t) => !/offer/i.test(t) || /went wrong|unavailable|threw/i.test(t))).toEqual([]);
      const stored = await database.db.selectFrom('offers').select('ref').execute();
      expect(stored.length).toBe(10 + ok.length + 30);
      expect(new Set(stored.map((r) => r.ref)).size).toBe(stored.length);
      await ask({ stop: true });
    } finally {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await admin.end();
      await release();
    }
  }, 60_000);
});

/** Needs no server: the PostgreSQL client's side of an outage. */
describe('a PostgreSQL server that cannot be reached', () => {
  it('readiness names the reason without credentials, and nothing crashes', async () => {
    const database = openDatabase('postgres://circulate:s3cret-password@127.0.0.1:1/circulate');
    try {
      const status = await database.health();
      expect(status).toMatch(/^ECONNREFUSED/);
      expect(status).not.toContain('s3cret');
    } finally {
      await database.close();
    }
  });
});
