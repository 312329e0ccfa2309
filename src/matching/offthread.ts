/**
 * Rounds off the event loop. A 10,000-member round takes about a second of CPU;
 * on the bot's main thread that would stall every command acknowledgement (both
 * platforms need an answer within 3 s), so rounds and breakouts run in a worker.
 */
import { Worker } from 'node:worker_threads';
import type { RoundOptions } from './round.ts';
import type { MatchContext, MemberSnapshot, RoundResult } from './types.ts';

/** What the worker is asked to do; plain data, so structured clone carries it (Dates included). */
export type WorkerJob =
  | { kind: 'pairRound'; members: MemberSnapshot[]; ctx: MatchContext; opts: RoundOptions }
  | { kind: 'breakout'; members: MemberSnapshot[]; ctx: MatchContext; size: 2 | 3 | 4; opts: { k?: number } };

export type WorkerReply = { ok: true; result: RoundResult; ms: number } | { ok: false; error: string };

/** Optional structured logger; the seed is always logged so the round can be replayed. */
export type MatchLog = (message: string, fields: Record<string, unknown>) => void;

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

function runInWorker(job: WorkerJob, log?: MatchLog): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      void worker.terminate();
      if (reply.ok) {
        log?.('matching finished', {
          kind: job.kind,
          seed: reply.result.seed,
          members: job.members.length,
          groups: reply.result.groups.length,
          unplaced: reply.result.unplaced.length,
          ms: Math.round(reply.ms),
        });
        resolve(reply.result);
      } else reject(new Error(`matching worker failed: ${reply.error}`));
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`matching worker exited with code ${code} before replying`));
      }
    });
    log?.('matching started', { kind: job.kind, seed: job.ctx.seed, members: job.members.length });
  });
}

/** pairRound in a worker thread: same result as the synchronous call, without blocking the event loop. */
export function pairRoundInWorker(
  members: MemberSnapshot[],
  ctx: MatchContext,
  opts: RoundOptions = {},
  log?: MatchLog,
): Promise<RoundResult> {
  return runInWorker({ kind: 'pairRound', members, ctx, opts }, log);
}

/** breakoutGroups in a worker thread. */
export function breakoutGroupsInWorker(
  members: MemberSnapshot[],
  ctx: MatchContext,
  size: 2 | 3 | 4,
  opts: { k?: number } = {},
  log?: MatchLog,
): Promise<RoundResult> {
  return runInWorker({ kind: 'breakout', members, ctx, size, opts }, log);
}
