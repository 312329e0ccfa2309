import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { harness } from '../support/harness.ts';

/**
 * Two processes on one SQLite file, as a two-instance deployment runs. Write
 * transactions take the write lock up front (BEGIN IMMEDIATE), so one process
 * waits for the other within the busy timeout instead of failing with "database
 * is locked" when a read transaction tries to become a write.
 */
describe('two processes on one SQLite file', () => {
  let dir: string;
  let children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'circulate-two-processes-'));
  });
  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    children = [];
    rmSync(dir, { recursive: true, force: true });
  });

  function start(file: string, tag: string, count: number): Promise<ChildProcess> {
    const child = fork(join(import.meta.dirname, 'writer-process.ts'), [file, tag, String(count)], { execArgv: ['--import', 'tsx'] });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`writer ${tag} exited with ${code}`)));
    });
  }

  function ask<T>(child: ChildProcess, msg: object): Promise<T> {
    return new Promise((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send(msg);
    });
  }

  it('each runs 100 write commands at once: none fails, every offer is stored with its own number', async () => {
    const file = join(dir, 'shared.db');
    const setup = openDatabase(file);
    await migrateToLatest(setup.db);
    // The community exists already, as after its first command.
    const h = await harness(setup);
    await h.member('Warm').command('network', 'help');
    await h.close();
    await setup.close();

    const [a, b] = await Promise.all([start(file, 'a', 100), start(file, 'b', 100)]);
    const [ra, rb] = await Promise.all([ask<{ replies: string[] }>(a, { go: true }), ask<{ replies: string[] }>(b, { go: true })]);
    await Promise.all([ask(a, { stop: true }), ask(b, { stop: true })]);

    const failures = [...ra.replies, ...rb.replies].filter((t) => !/offer/i.test(t) || /went wrong|unavailable|threw/i.test(t));
    expect(failures).toEqual([]);
    const check = openDatabase(file);
    const refs = (await check.db.selectFrom('offers').select('ref').execute()).map((r) => r.ref).sort((x, y) => x - y);
    await check.close();
    expect(refs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  }, 60_000);
});
