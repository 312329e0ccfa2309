import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs the work that follows an acknowledgement with bounded concurrency and
 * behind incoming requests. Slack only needs the ack within 3 seconds; the
 * work after it can wait a few milliseconds. Without this, a burst of commands
 * would all start their database and Web API work at once, and the acks of the
 * requests still arriving would queue behind it.
 */
export class WorkQueue {
  private readonly waiting: { task: () => Promise<void>; at: number }[] = [];
  /** Tasks queued by running tasks: they start before anything new and are never deferred. */
  private readonly ready: (() => Promise<void>)[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy: () => boolean = () => false;
  private recheckMs = 5;
  /** Set inside a running task, so work a task queues is not deferred a second time. */
  private readonly inTask = new AsyncLocalStorage<true>();

  constructor(
    private readonly concurrency = 8,
    private readonly onError: (error: unknown) => void = () => undefined,
    /** The longest a task waits for requests in flight to be acknowledged first. */
    private readonly maxDeferMs = 250,
  ) {}

  /**
   * Holds queued work while `busy()` says requests are still arriving or
   * waiting for their ack (the front door knows), for at most `maxDeferMs` per
   * task, looking again every `recheckMs`.
   */
  deferWhile(busy: () => boolean, recheckMs = 5): void {
    this.busy = busy;
    this.recheckMs = recheckMs;
  }

  /**
   * Queues a task; it starts after pending I/O (new requests) has been read.
   * A task queued by a running task (the listener Bolt runs inside the front
   * door's dispatch) has already waited its turn, so it is never deferred again:
   * deferring both would double every answer's wait under a steady stream.
   */
  push(task: () => Promise<void>): void {
    if (this.inTask.getStore()) this.ready.push(task);
    else this.waiting.push({ task, at: Date.now() });
    setImmediate(() => this.pump());
  }

  /** Re-checks the queue, e.g. when the last request in flight was acknowledged. */
  kick(): void {
    if (this.waiting.length || this.ready.length) setImmediate(() => this.pump());
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.waiting.length + this.ready.length + this.running;
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length) this.start(this.ready.shift()!);
    const oldest = this.waiting[0];
    if (oldest && this.busy()) {
      const wait = oldest.at + this.maxDeferMs - Date.now();
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump();
        }, Math.min(wait, this.recheckMs));
        return;
      }
    }
    while (this.running < this.concurrency && this.waiting.length) this.start(this.waiting.shift()!.task);
  }

  private start(task: () => Promise<void>): void {
    this.running++;
    void this.inTask
      .run(true, task)
      .catch(this.onError)
      .finally(() => {
        this.running--;
        if (this.waiting.length || this.ready.length) setImmediate(() => this.pump());
        else if (this.running === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          waiters.forEach((w) => w());
        }
      });
  }
}
