/**
 * Worker-thread side of off-thread matching (offthread.ts). One long-lived thread:
 * optionally warms the engine up first (warm-up.ts), says it is ready, then answers
 * jobs one at a time in the order they arrive (offthread.ts relies on that order). A job
 * that throws, or whose result cannot be sent back, is answered with the error and the
 * thread carries on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { breakoutGroups, pairRound } from './round.ts';
import { warmUpEngine } from './warm-up.ts';
import type { ThreadMessage, WorkerRequest, WorkerSettings } from './offthread.ts';

function run({ id, job }: WorkerRequest): ThreadMessage {
  try {
    const started = performance.now();
    const result =
      job.kind === 'pairRound'
        ? pairRound(job.members, job.ctx, job.opts)
        : breakoutGroups(job.members, job.ctx, job.size, job.opts);
    return { kind: 'done', id, result, ms: performance.now() - started };
  } catch (error) {
    return { kind: 'failed', id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

/** Posts a reply; a result that cannot be copied back fails its job instead of the thread. */
function reply(message: ThreadMessage): void {
  try {
    port.postMessage(message);
  } catch (error) {
    if (message.kind !== 'done') throw error;
    port.postMessage({ kind: 'failed', id: message.id, error: `the result could not be sent back: ${String(error)}` } satisfies ThreadMessage);
  }
}

const port = parentPort!;
const settings = workerData as WorkerSettings;
const warmUpMs = warmUpEngine(settings.warmUpRounds, settings.warmUpMembers);
port.postMessage({ kind: 'ready', warmUp: { rounds: settings.warmUpRounds, ms: warmUpMs } } satisfies ThreadMessage);
port.on('message', (request: WorkerRequest) => reply(run(request)));
