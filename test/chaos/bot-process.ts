import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import type { Actor } from '../../src/core.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { quietLog, testConfig } from '../support/harness.ts';

/**
 * The real bot process (bin/circulate.ts under tsx, as `npm run dev` runs it)
 * for the kill -9 chaos tests: started in an empty working directory against
 * one database and one fake platform, killed with SIGKILL mid-delivery, and
 * started again until the outbox is drained; and the round they deliver.
 */

const ROOT = join(import.meta.dirname, '..', '..');
/** tsx's loader by path: the bot runs in an empty directory (no .env of the developer's), where `--import tsx` would not resolve. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** The bot processes of one test, and their scratch working directory. */
export class BotProcesses {
  readonly cwd = mkdtempSync(join(tmpdir(), 'circulate-kill9-cwd-'));
  private readonly children: ChildProcess[] = [];

  /** Starts the bot on `databaseUrl`; `platformEnv` says which (fake) platform it talks to. */
  start(databaseUrl: string, platformEnv: Record<string, string>): ChildProcess {
    const child = fork(join(ROOT, 'bin', 'circulate.ts'), [], {
      cwd: this.cwd,
      execArgv: ['--import', TSX],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        ...platformEnv,
        DATABASE_URL: databaseUrl,
        // The system picks a free port: a random one could be taken by another test's connection.
        PORT: '0',
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
        MATCHING_WARM_UP: 'false',
        PAIRING_CADENCE: 'off',
        OUTBOX_LEASE_SECONDS: '1',
      },
    });
    this.children.push(child);
    return child;
  }

  /** SIGKILLs every bot still running. */
  killAll(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.children.length = 0;
  }

  removeCwd(): void {
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

/**
 * SIGKILLs `child` at the first platform call after which `due()` holds, and
 * waits until it has exited. `watch` subscribes to the fake platform's calls
 * and returns the unsubscribe. Fails if the bot exits by itself first.
 */
export async function killWhen(child: ChildProcess, watch: (onCall: () => void) => () => void, due: () => boolean): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bot exited by itself (${code}) before the kill`)));
    const stop = watch(() => {
      if (!due()) return;
      child.kill('SIGKILL');
      stop();
      resolve();
    });
  });
  await exited;
}

/** Polls `done()` every 200 ms until it holds, then SIGKILLs `child`. Fails if the bot exits first. */
export async function runUntil(child: ChildProcess, done: () => Promise<boolean>): Promise<void> {
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = `${code ?? signal}`));
  for (;;) {
    if (exit !== null) throw new Error(`the restarted bot exited (${exit}) before delivering everything`);
    if (await done()) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
}

/**
 * Commits a pairing round of `members` members (all with rounds on) to the outbox, from a
 * process with no platform reachable (nothing delivered yet). Member i is "Member i" of the
 * community "Kill nine" with `platformUserId(i)`; member 1 runs the round. Returns how many
 * introductions are pending.
 */
export async function queueRound(
  databaseUrl: string,
  members: number,
  community: { platform: Actor['platform']; communityPlatformId: () => string },
  platformUserId: (i: number) => string,
): Promise<number> {
  const app = await createApp({ config: testConfig(), clock: new ManualClock(null), log: quietLog, ports: [], databaseUrl });
  const actor = (i: number, isModerator = false): Actor => ({
    platform: community.platform,
    communityPlatformId: community.communityPlatformId(),
    communityName: 'Kill nine',
    user: { platformUserId: platformUserId(i), displayName: `Member ${i}` },
    isModerator,
  });
  for (let i = 1; i <= members; i++) await app.core.command(actor(i), 'network', 'rounds on');
  await app.core.command(actor(1, true), 'network-admin', 'round');
  const rows = await app.database.db.selectFrom('outbox').select(['destination']).where('status', '=', 'pending').execute();
  await app.close();
  await app.database.close();
  return rows.filter((r) => (JSON.parse(r.destination) as { kind: string }).kind === 'conversation').length;
}

/** The outbox by status, read afresh; `unconfirmed`: pending rows whose send had started. */
export async function outboxCounts(databaseUrl: string): Promise<{ pending: number; delivered: number; failed: number; unconfirmed: number }> {
  const db: Db = openDatabase(databaseUrl);
  try {
    const rows = await db.db.selectFrom('outbox').select(['status', 'send_started_at']).execute();
    return {
      pending: rows.filter((r) => r.status === 'pending').length,
      delivered: rows.filter((r) => r.status === 'delivered').length,
      failed: rows.filter((r) => r.status === 'failed').length,
      unconfirmed: rows.filter((r) => r.status === 'pending' && r.send_started_at !== null).length,
    };
  } finally {
    await db.close();
  }
}
