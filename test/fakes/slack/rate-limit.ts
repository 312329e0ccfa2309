import { mulberry32 } from '../../../src/matching/rng.ts';

/**
 * Rate limiting for the fake Web API. Slack limits each method per app per workspace in
 * "tiers" (requests per minute, bursts tolerated) and chat.postMessage at about one message
 * per second per channel with short bursts. A token bucket per (token, method[, channel])
 * reproduces that closely enough that an adapter's 429 handling and a fan-out's pacing are
 * exercised for real, while staying deterministic under an injected clock.
 */

/**
 * One method's limit. Any combination may be given; every bucket that applies must have room.
 * - `perMinute` / `perSecond`: a workspace-wide bucket for the method (per token).
 * - `perChannelPerSecond`: a bucket per `channel` argument (chat.postMessage's special tier).
 * - `burst`: bucket capacity. Defaults: the per-minute count for tiers (Slack tolerates bursts
 *   there), 3 for per-channel buckets, and the per-second count (at least 1) otherwise.
 */
export interface RateLimitRule {
  perMinute?: number;
  perSecond?: number;
  perChannelPerSecond?: number;
  burst?: number;
}

/** Slack's published tiers, as per-minute rates. */
export const TIERS = {
  tier1: { perMinute: 1 },
  tier2: { perMinute: 20 },
  tier3: { perMinute: 50 },
  tier4: { perMinute: 100 },
} as const satisfies Record<string, RateLimitRule>;

/**
 * Defaults approximating each method's documented tier. chat.postMessage is Slack's "special"
 * tier: roughly 1 per second per channel with a small burst allowance.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimitRule>> = {
  'auth.test': TIERS.tier4,
  'chat.postMessage': { perChannelPerSecond: 1, burst: 3 },
  'chat.postEphemeral': TIERS.tier4,
  'chat.update': TIERS.tier3,
  'chat.delete': TIERS.tier3,
  'views.open': TIERS.tier4,
  'views.push': TIERS.tier4,
  'views.update': TIERS.tier4,
  'views.publish': TIERS.tier4,
  'conversations.open': TIERS.tier3,
  'conversations.members': TIERS.tier4,
  'users.info': TIERS.tier4,
  'team.info': TIERS.tier3,
  'files.getUploadURLExternal': TIERS.tier4,
  'files.completeUploadExternal': TIERS.tier4,
};

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** The outcome of asking for room: allowed, or the whole seconds to wait (Retry-After). */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Token buckets keyed by token, method and (for per-channel rules) channel. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private rules: Record<string, RateLimitRule>) {}

  /** Replaces or adds rules; buckets for changed methods restart full. */
  configure(rules: Record<string, RateLimitRule>): void {
    this.rules = { ...this.rules, ...rules };
    for (const key of [...this.buckets.keys()]) {
      const method = key.split('\u0000')[1];
      if (method !== undefined && method in rules) this.buckets.delete(key);
    }
  }

  /** Forgets every bucket, so the next calls see full allowances. */
  reset(): void {
    this.buckets.clear();
  }

  /** Takes one request's worth from every applicable bucket, or says how long to wait. */
  take(method: string, token: string, channel: string | undefined, nowMs: number): RateDecision {
    const rule = this.rules[method];
    if (!rule) return { allowed: true };
    const wanted: { key: string; ratePerSec: number; capacity: number }[] = [];
    const base = `${token}\u0000${method}`;
    if (rule.perChannelPerSecond !== undefined && channel !== undefined) {
      wanted.push({ key: `${base}\u0000ch\u0000${channel}`, ratePerSec: rule.perChannelPerSecond, capacity: rule.burst ?? 3 });
    }
    const perChannelOnly = rule.perChannelPerSecond !== undefined;
    if (rule.perMinute !== undefined) {
      wanted.push({
        key: `${base}\u0000min`,
        ratePerSec: rule.perMinute / 60,
        capacity: perChannelOnly ? rule.perMinute : (rule.burst ?? rule.perMinute),
      });
    }
    if (rule.perSecond !== undefined) {
      wanted.push({
        key: `${base}\u0000sec`,
        ratePerSec: rule.perSecond,
        capacity: perChannelOnly ? Math.max(1, rule.perSecond) : (rule.burst ?? Math.max(1, rule.perSecond)),
      });
    }
    let waitSec = 0;
    const states = wanted.map((w) => {
      const b = this.buckets.get(w.key) ?? { tokens: w.capacity, updatedMs: nowMs };
      const elapsed = Math.max(0, nowMs - b.updatedMs) / 1000;
      const tokens = Math.min(w.capacity, b.tokens + elapsed * w.ratePerSec);
      if (tokens < 1) waitSec = Math.max(waitSec, (1 - tokens) / w.ratePerSec);
      return { key: w.key, tokens };
    });
    for (const s of states) {
      this.buckets.set(s.key, { tokens: waitSec > 0 ? s.tokens : s.tokens - 1, updatedMs: nowMs });
    }
    if (waitSec > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSec - 1e-9)) };
    return { allowed: true };
  }
}

/**
 * mulberry32: a tiny seeded PRNG, so a benchmark's random failures are the same on every run
 * with the same seed.
 */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}
