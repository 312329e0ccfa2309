/**
 * Rounds off the event loop. A 10,000-member round takes about a second of CPU; on the
 * bot's main thread that would stall every command acknowledgement (both platforms need
 * an answer within 3 s), so rounds and breakouts run on a worker thread.
 *
 * One long-lived thread per process, not one per round: a fresh thread runs the engine
 * cold (V8 has not optimised it yet), which costs a 1,000-member round ~4× its warm time.
 * The app starts the thread at start-up with a warm-up (warm-up.ts); if it has not, the
 * first round starts it without one. Jobs queue on the thread in order. A job that throws
 * fails alone; if the thread itself dies, its pending jobs fail and the next round starts
 * a new one. An idle thread never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { RoundOptions } from './round.ts';
import { WARM_UP_MEMBERS, WARM_UP_ROUNDS } from './warm-up.ts';
import type { MatchContext, MemberSnapshot, RoundResult } from './types.ts';

/** What the worker is asked to do; plain data, so structured clone carries it (Dates included). */
export type WorkerJob =
  | { kind: 'pairRound'; members: MemberSnapshot[]; ctx: MatchContext; opts: RoundOptions }
  | { kind: 'breakout'; members: MemberSnapshot[]; ctx: MatchContext; size: 2 | 3 | 4; opts: { k?: number } };

/** A job as posted to the thread, numbered so the answer finds its caller. */
export interface WorkerRequest {
  id: number;
  job: WorkerJob;
}

/** Everything the thread posts back. */
export type ThreadMessage =
  | { kind: 'ready'; warmUpMs: number }
  | { kind: 'done'; id: number; result: RoundResult; ms: number }
  | { kind: 'failed'; id: number; error: string };

/** Given to the thread when it starts: how much warm-up to run first (0 rounds: none). */
export interface WorkerSettings {
  warmUpRounds: number;
  warmUpMembers: number;
}

const NO_WARM_UP: WorkerSettings = { warmUpRounds: 0, warmUpMembers: 0 };

/** Optional structured logger; the seed is always logged so the round can be replayed. */
export type MatchLog = (message: string, fields: Record<string, unknown>) => void;

interface Pending {
  job: WorkerJob;
  log: MatchLog | undefined;
  resolve: (result: RoundResult) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

/** A long-lived matching worker thread; see the module comment. */
export class MatchingThread {
  #worker: Worker | null = null;
  #ready: Promise<number> | null = null;
  #pending = new Map<number, Pending>();
  #nextId = 1;

  /**
   * Starts the thread now with the warm-up (no-op if it runs already). Resolves with the
   * warm-up's milliseconds once the thread takes jobs at full speed.
   */
  start(warmUp: WorkerSettings = { warmUpRounds: WARM_UP_ROUNDS, warmUpMembers: WARM_UP_MEMBERS }): Promise<number> {
    if (!this.#worker) this.#spawn(warmUp);
    return this.#ready!;
  }

  /** The running thread's id (0 when none): lets logs and tests tell one thread from the next. */
  get threadId(): number {
    return this.#worker?.threadId ?? 0;
  }

  /** Runs one job on the thread (starting it, without warm-up, if needed). */
  run(job: WorkerJob, log?: MatchLog): Promise<RoundResult> {
    const worker = this.#worker ?? this.#spawn(NO_WARM_UP);
    const id = this.#nextId++;
    return new Promise<RoundResult>((resolve, reject) => {
      try {
        worker.postMessage({ id, job } satisfies WorkerRequest);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.#pending.set(id, { job, log, resolve, reject });
      worker.ref();
      log?.('matching started', { kind: job.kind, seed: job.ctx.seed, members: job.members.length });
    });
  }

  /** Stops the thread; jobs still pending fail. The next job starts a new thread. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#detach(worker, new Error('matching thread closed before the round finished'));
    await worker.terminate();
  }

  #spawn(settings: WorkerSettings): Worker {
    const worker = new Worker(WORKER_URL, { workerData: settings satisfies WorkerSettings });
    this.#worker = worker;
    worker.unref();
    this.#ready = new Promise<number>((resolve, reject) => {
      worker.on('message', (message: ThreadMessage) => {
        if (message.kind === 'ready') resolve(message.warmUpMs);
        else this.#settle(message);
      });
      const died = (error: Error): void => {
        reject(error);
        this.#detach(worker, error);
      };
      worker.once('error', died);
      worker.once('exit', (code) => died(new Error(`matching thread exited with code ${code}`)));
    });
    // A thread that dies during start-up is reported to whoever awaits a job or start().
    this.#ready.catch(() => undefined);
    return worker;
  }

  #settle(message: Exclude<ThreadMessage, { kind: 'ready' }>): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (message.kind === 'failed') {
      pending.reject(new Error(`matching worker failed: ${message.error}`));
      return;
    }
    const { result } = message;
    pending.log?.('matching finished', {
      kind: pending.job.kind,
      seed: result.seed,
      members: pending.job.members.length,
      groups: result.groups.length,
      unplaced: result.unplaced.length,
      ms: Math.round(message.ms),
    });
    pending.resolve(result);
  }

  /** Forgets a thread that is gone or going, failing what it still owed. */
  #detach(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    this.#ready = null;
    const owed = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of owed) p.reject(error);
  }
}

/** The process's matching thread, shared by every community (rounds are rare and queue). */
export const matchingThread = new MatchingThread();

/** pairRound on the matching thread: same result as the synchronous call, without blocking the event loop. */
export function pairRoundInWorker(
  members: MemberSnapshot[],
  ctx: MatchContext,
  opts: RoundOptions = {},
  log?: MatchLog,
): Promise<RoundResult> {
  return matchingThread.run({ kind: 'pairRound', members, ctx, opts }, log);
}

/** breakoutGroups on the matching thread. */
export function breakoutGroupsInWorker(
  members: MemberSnapshot[],
  ctx: MatchContext,
  size: 2 | 3 | 4,
  opts: { k?: number } = {},
  log?: MatchLog,
): Promise<RoundResult> {
  return matchingThread.run({ kind: 'breakout', members, ctx, size, opts }, log);
}
