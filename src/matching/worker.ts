/**
 * Worker-thread side of off-thread matching: runs one job from workerData and posts
 * the result. One job per thread keeps the lifecycle trivial; rounds are rare
 * compared with the cost of starting a thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { breakoutGroups, pairRound } from './round.ts';
import type { WorkerJob, WorkerReply } from './offthread.ts';

function run(job: WorkerJob): WorkerReply {
  try {
    const started = performance.now();
    const result =
      job.kind === 'pairRound'
        ? pairRound(job.members, job.ctx, job.opts)
        : breakoutGroups(job.members, job.ctx, job.size, job.opts);
    return { ok: true, result, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

parentPort?.postMessage(run(workerData as WorkerJob));
