/**
 * Client-side pacing for platform calls: a token bucket per lane (a method, or a
 * method and channel). Ports wait for room before calling, so a fan-out runs at
 * the platform's published rate instead of bouncing off 429s; a `Retry-After`
 * from the platform still wins, through the outbox's retry.
 */
export interface LaneRule {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests allowed at once before pacing starts. */
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
  /** Callers waiting, in arrival order, so a lane stays fair under load. */
  queue: (() => void)[];
  timer: NodeJS.Timeout | null;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ruleFor: (lane: string) => LaneRule | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when the lane has room; lanes without a rule never wait. */
  acquire(lane: string): Promise<void> {
    const rule = this.ruleFor(lane);
    if (!rule) return Promise.resolve();
    const bucket = this.bucket(lane, rule);
    return new Promise((resolve) => {
      bucket.queue.push(resolve);
      this.pump(lane, rule, bucket);
    });
  }

  /** After a 429, the lane is empty until the platform's Retry-After has passed. */
  penalise(lane: string, retryAfterMs: number): void {
    const rule = this.ruleFor(lane);
    if (!rule) return;
    const bucket = this.bucket(lane, rule);
    bucket.tokens = Math.min(bucket.tokens, -(retryAfterMs / 1000) * rule.perSecond);
  }

  private bucket(lane: string, rule: LaneRule): Bucket {
    let bucket = this.buckets.get(lane);
    if (!bucket) {
      bucket = { tokens: rule.burst, updatedMs: this.now(), queue: [], timer: null };
      this.buckets.set(lane, bucket);
    }
    return bucket;
  }

  private pump(lane: string, rule: LaneRule, bucket: Bucket): void {
    const t = this.now();
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((t - bucket.updatedMs) / 1000) * rule.perSecond);
    bucket.updatedMs = t;
    while (bucket.queue.length > 0 && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.queue.shift()!();
    }
    if (bucket.queue.length > 0 && !bucket.timer) {
      const waitMs = Math.max(1, Math.ceil(((1 - bucket.tokens) / rule.perSecond) * 1000));
      bucket.timer = setTimeout(() => {
        bucket.timer = null;
        this.pump(lane, rule, bucket);
      }, waitMs);
    }
    if (bucket.queue.length === 0 && bucket.tokens >= rule.burst) this.buckets.delete(lane);
  }
}
