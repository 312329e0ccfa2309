/**
 * Rounds off the event loop. A 10,000-member round takes about a second of CPU; on the
 * bot's main thread that would stall every command acknowledgement (both platforms need
 * an answer within 3 s), so rounds and breakouts run on a worker thread.
 *
 * One long-lived thread per process, not one per round: a fresh thread runs the engine
 * cold (V8 has not optimised it yet), which costs a 1,000-member round several times its
 * warm time (bench/README.md). The app starts the thread with a warm-up (warm-up.ts) a
 * few minutes before a round or a meetup start is due (App.prewarmMatching); if it has
 * not, the round starts it without one. After a while with nothing to do the thread
 * closes, so the ~55 MB it holds are not held between rounds. Jobs queue on the thread
 * and run in order. A job that throws fails alone. If the thread dies, the round it was
 * running fails and the rounds queued behind it run on a new thread; if it dies before it
 * was ready, everything waiting fails (no restart loop). An idle thread never keeps the
 * process alive; a pending round does.
 */
import { Worker } from 'node:worker_threads';
import { breakoutGroups, pairRound, type RoundOptions } from './round.ts';
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
  | { kind: 'ready'; warmUp: WarmUpReport }
  | { kind: 'done'; id: number; result: RoundResult; ms: number }
  | { kind: 'failed'; id: number; error: string };

/** Given to the thread when it starts: how much warm-up to run first (0 rounds: none). */
export interface WorkerSettings {
  warmUpRounds: number;
  warmUpMembers: number;
}

/** What the warm-up did: rounds run (0 when the thread was started without one) and how long it took. */
export interface WarmUpReport {
  rounds: number;
  ms: number;
}

/** Optional structured logger; the seed is always logged so the round can be replayed. */
export type MatchLog = (message: string, fields: Record<string, unknown>) => void;

interface Pending {
  job: WorkerJob;
  log: MatchLog | undefined;
  resolve: (result: RoundResult) => void;
  reject: (error: Error) => void;
}

const DEFAULT_WORKER_URL = new URL('./worker.mjs', import.meta.url);
const NO_WARM_UP: WorkerSettings = { warmUpRounds: 0, warmUpMembers: 0 };

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A long-lived matching worker thread; see the module comment. */
export class MatchingThread {
  readonly #workerUrl: URL;
  #worker: Worker | null = null;
  #ready: Promise<WarmUpReport> | null = null;
  /** Jobs posted and not answered, oldest first (Map keeps insertion order). */
  #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly #idleCloseMs: number | null;
  #idleTimer: NodeJS.Timeout | null = null;

  /**
   * `idleCloseMs`: close the thread after this long ready with nothing to do (default:
   * never). `workerUrl` replaces the thread's entry point (tests use stand-ins that fail
   * on purpose).
   */
  constructor(options: { idleCloseMs?: number; workerUrl?: URL } = {}) {
    this.#workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
    this.#idleCloseMs = options.idleCloseMs ?? null;
  }

  /**
   * Starts the thread now with the warm-up, unless it runs already. Resolves when the
   * thread takes jobs, with what its warm-up did (0 rounds if a round had started it cold).
   */
  start(warmUp: WorkerSettings = { warmUpRounds: WARM_UP_ROUNDS, warmUpMembers: WARM_UP_MEMBERS }): Promise<WarmUpReport> {
    try {
      if (!this.#worker) this.#spawn(warmUp);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return this.#ready!;
  }

  /** True while a thread runs (warming up, working or idle). */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** The running thread's id (0 when none): lets logs and tests tell one thread from the next. */
  get threadId(): number {
    return this.#worker?.threadId ?? 0;
  }

  /** Runs one job on the thread (starting it, without warm-up, if needed). */
  run(job: WorkerJob, log?: MatchLog): Promise<RoundResult> {
    return new Promise<RoundResult>((resolve, reject) => {
      log?.('matching started', { kind: job.kind, seed: job.ctx.seed, members: job.members.length });
      this.#post(this.#nextId++, { job, log, resolve, reject });
    });
  }

  /** Stops the thread; jobs still pending fail. The next job starts a new thread. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#detach(worker, new Error('matching thread closed before the round finished'), 'fail-all');
    await worker.terminate();
  }

  /** After idleCloseMs ready with nothing pending, the thread closes (the timer never keeps the process alive). */
  #armIdleClose(): void {
    if (this.#idleCloseMs === null || this.#pending.size > 0) return;
    this.#disarmIdleClose();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#pending.size === 0) void this.close();
    }, this.#idleCloseMs);
    this.#idleTimer.unref();
  }

  #disarmIdleClose(): void {
    if (this.#idleTimer === null) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  #post(id: number, pending: Pending): void {
    let worker: Worker;
    try {
      worker = this.#worker ?? this.#spawn(NO_WARM_UP);
      worker.postMessage({ id, job: pending.job } satisfies WorkerRequest);
    } catch (error) {
      pending.reject(asError(error));
      return;
    }
    this.#pending.set(id, pending);
    this.#disarmIdleClose();
    worker.ref();
  }

  #spawn(settings: WorkerSettings): Worker {
    const worker = new Worker(this.#workerUrl, { workerData: settings satisfies WorkerSettings });
    this.#worker = worker;
    worker.unref();
    let ready = false;
    this.#ready = new Promise<WarmUpReport>((resolve, reject) => {
      worker.on('message', (message: ThreadMessage) => {
        if (message.kind === 'ready') {
          ready = true;
          this.#armIdleClose();
          resolve(message.warmUp);
        } else this.#settle(message);
      });
      // A reply that cannot be read leaves its caller with no answer: restart instead.
      worker.on('messageerror', () => void worker.terminate());
      const died = (error: Error): void => {
        reject(error);
        this.#detach(worker, error, ready ? 'fail-running' : 'fail-all');
      };
      worker.once('error', died);
      worker.once('exit', (code) => died(new Error(`matching thread exited with code ${code}`)));
    });
    // Whoever awaits start() or a job hears about a failed start; nobody else needs to.
    this.#ready.catch(() => undefined);
    return worker;
  }

  #settle(message: Exclude<ThreadMessage, { kind: 'ready' }>): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) {
      this.#worker?.unref();
      this.#armIdleClose();
    }
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

  /**
   * Forgets a thread that is gone or going. 'fail-all': everything it owed fails (closed,
   * or it never got ready). 'fail-running': the oldest job — the one it was running, as
   * it answers in order — fails; the others are posted again to a new thread.
   */
  #detach(worker: Worker, error: Error, mode: 'fail-all' | 'fail-running'): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    this.#ready = null;
    this.#disarmIdleClose();
    const owed = [...this.#pending];
    this.#pending.clear();
    owed.forEach(([id, pending], i) => {
      if (mode === 'fail-all' || i === 0) pending.reject(error);
      else this.#post(id, pending);
    });
  }
}

/** How long the shared thread stays up with nothing to do: longer than the app's warm-up lead. */
export const MATCHING_IDLE_CLOSE_MS = 15 * 60_000;

/** The process's matching thread, shared by every community (rounds are rare and queue). */
export const matchingThread = new MatchingThread({ idleCloseMs: MATCHING_IDLE_CLOSE_MS });

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

/** Rounds with more members than this go to the matching thread; smaller ones take ~0.1 s here (bench/README.md). */
export const OFF_THREAD_ABOVE = 300;

/** A pairing round where it belongs: on the matching thread when large, in this thread when small. */
export async function runPairRound(members: MemberSnapshot[], ctx: MatchContext, opts: RoundOptions = {}): Promise<RoundResult> {
  return members.length > OFF_THREAD_ABOVE ? pairRoundInWorker(members, ctx, opts) : pairRound(members, ctx, opts);
}

/** Meetup breakouts, placed the same way as runPairRound. */
export async function runBreakouts(members: MemberSnapshot[], ctx: MatchContext, size: 2 | 3 | 4): Promise<RoundResult> {
  return members.length > OFF_THREAD_ABOVE ? breakoutGroupsInWorker(members, ctx, size) : breakoutGroups(members, ctx, size);
}
