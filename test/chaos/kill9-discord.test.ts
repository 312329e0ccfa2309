import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import type { Actor } from '../../src/core.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.ts';
import { scratchDatabases } from '../support/databases.ts';
import { quietLog, testConfig } from '../support/harness.ts';

/**
 * Chaos on Discord: the real bot process (bin/circulate.ts under tsx) delivers a
 * 50-introduction pairing round as private threads in the intros channel of
 * the fake Discord, which answers message creation late. The process is
 * killed with SIGKILL mid-delivery and started again. Each pair must end up
 * with exactly one thread holding exactly one introduction.
 */

const MEMBERS = 100;
const ROOT = join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const username = (i: number): string => `member${i}`;

const backends = scratchDatabases('circulate-kill9d');

describe.each(backends)('kill -9 during a 50-introduction round on Discord ($name)', (backend) => {
  let fake: FakeDiscord;
  let dbUrl: string;
  let drop: () => Promise<void>;
  let cwd: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    const users = Array.from({ length: MEMBERS }, (_, i) => ({ username: username(i + 1), global_name: `Member ${i + 1}` }));
    fake = await startFakeDiscord({ users, guilds: [{ name: 'Kill nine', channels: [{ name: 'general' }, { name: 'introductions' }] }] });
    ({ url: dbUrl, drop } = await backend.create());
    cwd = mkdtempSync(join(tmpdir(), 'circulate-kill9-cwd-'));
  });

  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
    await fake.close();
    await drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  async function queueRound(): Promise<number> {
    const app = await createApp({ config: testConfig(), clock: new ManualClock(null), log: quietLog, ports: [], databaseUrl: dbUrl });
    const actor = (i: number, isModerator = false): Actor => ({
      platform: 'discord',
      communityPlatformId: fake.guild().id,
      communityName: 'Kill nine',
      user: { platformUserId: fake.user(username(i)).id, displayName: `Member ${i}` },
      isModerator,
    });
    for (let i = 1; i <= MEMBERS; i++) await app.core.command(actor(i), 'network', 'rounds on');
    await app.core.command(actor(1, true), 'network-admin', 'round');
    const rows = await app.database.db.selectFrom('outbox').select(['destination']).where('status', '=', 'pending').execute();
    await app.close();
    await app.database.close();
    return rows.filter((r) => (JSON.parse(r.destination) as { kind: string }).kind === 'conversation').length;
  }

  function startBot(): ChildProcess {
    const child = fork(join(ROOT, 'bin', 'circulate.ts'), [], {
      cwd,
      execArgv: ['--import', TSX],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.restBase,
        DISCORD_INTRO_CHANNEL_ID: fake.channel('introductions').id as string,
        DATABASE_URL: dbUrl,
        PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
        MATCHING_WARM_UP: 'false',
        PAIRING_CADENCE: 'off',
        OUTBOX_LEASE_SECONDS: '1',
      },
    });
    children.push(child);
    return child;
  }

  async function pending(): Promise<{ pending: number; unconfirmed: number; failed: number }> {
    const db: Db = openDatabase(dbUrl);
    try {
      const rows = await db.db.selectFrom('outbox').select(['status', 'send_started_at']).execute();
      return {
        pending: rows.filter((r) => r.status === 'pending').length,
        unconfirmed: rows.filter((r) => r.status === 'pending' && r.send_started_at !== null).length,
        failed: rows.filter((r) => r.status === 'failed').length,
      };
    } finally {
      await db.close();
    }
  }

  const threadIds = (): string[] => fake.guild().threadIds;
  const introMessages = () => {
    const threads = new Set(threadIds());
    return [...fake.messages.values()].filter((m) => threads.has(m.channel_id as string));
  };

  it('restarting after SIGKILL gives every pair exactly one thread with one introduction', { timeout: 120_000 }, async () => {
    const intros = await queueRound();
    expect(intros).toBe(MEMBERS / 2);

    fake.setLatency({ route: /^\/channels\/\d+\/messages$/, method: 'POST', ms: 400 });
    const first = startBot();
    const exited = new Promise<void>((resolve) => first.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      first.once('exit', (code) => reject(new Error(`the bot exited by itself (${code}) before the kill`)));
      const onCall = (): void => {
        if (introMessages().length < 30) return;
        first.kill('SIGKILL');
        fake.off('call', onCall);
        resolve();
      };
      fake.on('call', onCall);
    });
    await exited;
    const atKill = await pending();
    const threadsAtKill = threadIds().length;
    expect(atKill.unconfirmed).toBeGreaterThan(0);

    fake.setLatency({ route: /^\/channels\/\d+\/messages$/, method: 'POST', ms: 0 });
    const second = startBot();
    let secondExit: string | null = null;
    second.once('exit', (code, signal) => (secondExit = `${code ?? signal}`));
    for (;;) {
      if (secondExit !== null) throw new Error(`the restarted bot exited (${secondExit}) before delivering everything`);
      if ((await pending()).pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    second.kill('SIGKILL');
    expect((await pending()).failed).toBe(0);

    // Per pair (the members of a thread other than the bot): how many threads, and how many messages in each.
    const byPair = new Map<string, { threads: number; messages: number[] }>();
    for (const id of threadIds()) {
      const pair = fake.threadMembersOf(id).filter((u) => u !== fake.botUser.id).sort().join(',');
      const entry = byPair.get(pair) ?? { threads: 0, messages: [] };
      entry.threads++;
      entry.messages.push(fake.messagesIn(id).length);
      byPair.set(pair, entry);
    }
    const emptyOrphans = byPair.get('')?.threads ?? 0;
    byPair.delete('');
    const pairs = [...byPair.values()];
    const lost = intros - pairs.filter((e) => e.messages.some((n) => n > 0)).length;
    const duplicated = pairs.filter((e) => e.threads > 1 || e.messages.some((n) => n > 1)).length;
    process.stderr.write(
      `kill -9 on Discord/${backend.name}: ${threadsAtKill} threads before the kill, ${atKill.unconfirmed} unconfirmed rows; ` +
        `lost ${lost}, duplicated ${duplicated}, empty orphan threads ${emptyOrphans}\n`,
    );
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(pairs).toHaveLength(intros);
  });
});
