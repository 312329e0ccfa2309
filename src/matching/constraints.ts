/**
 * Hard constraints: rules no score can outweigh. Each is a named predicate so a test,
 * a log line or a moderator-facing reason can point at exactly which rule applied.
 */
import { DAY } from '../time.ts';
import type { MatchContext, MemberSnapshot } from './types.ts';


/** Default rematch window (DESIGN.md §4): 12 weeks. */
export const DEFAULT_REMATCH_WINDOW_DAYS = 84;

/** Capacity assumed for someone with no active offers who is matched on profile areas alone. */
export const DEFAULT_AREA_CAPACITY = 2;

/** Accepts Date or ISO string so snapshots that crossed a JSON boundary still work. */
export function timeOf(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/** A member's monthly helper capacity: the most generous of their active offers. */
export function helperCapacity(member: MemberSnapshot): number {
  if (member.offers.length === 0) return DEFAULT_AREA_CAPACITY;
  let cap = 0;
  for (const offer of member.offers) cap = Math.max(cap, offer.capacityPerMonth);
  return cap;
}

/** The named hard rules. Each returns true when the pair or member must NOT be matched. */
export const constraints = {
  /** Never the same member twice in one group (or matched with themselves). */
  sameMember(a: string, b: string): boolean {
    return a === b;
  },
  /** Blocks are symmetric: either member blocking the other forbids the pair. */
  blockedPair(a: string, b: string, ctx: Pick<MatchContext, 'blocks'>): boolean {
    return ctx.blocks.some((x) => (x.blocker === a && x.blocked === b) || (x.blocker === b && x.blocked === a));
  },
  /** Paused or removed members are never matched, whatever else is true. */
  inactiveMember(member: MemberSnapshot): boolean {
    return member.paused || member.removed;
  },
  /** A helper at or above their monthly capacity is not asked again this month. */
  overCapacity(helper: MemberSnapshot): boolean {
    return helper.helperLoadThisMonth >= helperCapacity(helper);
  },
  /** Pairs that met within the rematch window are a hard no (novelty only ranks older meetings). */
  withinRematchWindow(a: string, b: string, ctx: Pick<MatchContext, 'history' | 'now' | 'rematchWindowDays'>): boolean {
    const since = timeOf(ctx.now) - ctx.rematchWindowDays * DAY;
    return ctx.history.some(
      (p) => ((p.a === a && p.b === b) || (p.a === b && p.b === a)) && timeOf(p.at) > since,
    );
  },
} as const;

/** Why a member or pair was ruled out, in words a moderator can act on. */
export const REASONS = {
  paused: 'paused',
  removed: 'removed from the community',
  blocked: 'blocked',
  recentlyMet: 'met too recently',
  overCapacity: 'at their monthly helping limit',
} as const;

/** Reason an individual member is never eligible, or null. */
export function inactiveReason(member: MemberSnapshot): string | null {
  if (member.removed) return REASONS.removed;
  if (member.paused) return REASONS.paused;
  return null;
}

/**
 * The same rules compiled for a whole community, so hot loops ask about pairs by
 * index in O(1) instead of scanning block and history lists. Semantics are exactly
 * the predicates above; tests check the two agree.
 */
export interface CompiledConstraints {
  n: number;
  indexOf: Map<string, number>;
  /** Numeric pair keys (lo * n + hi) of blocked pairs. */
  blocked: Set<number>;
  /** Pair key → most recent meeting time (ms), unanswered invitations included. */
  lastMet: Map<number, number>;
  /** Pair keys of pairs that actually talked (history other than unanswered invitations). */
  talked: Set<number>;
  windowStartMs: number;
  nowMs: number;
  inactive: Uint8Array;
}

export function pairKey(i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i;
}

export function compileConstraints(members: readonly MemberSnapshot[], ctx: MatchContext): CompiledConstraints {
  const n = members.length;
  const indexOf = new Map<string, number>();
  members.forEach((m, i) => indexOf.set(m.id, i));
  const blocked = new Set<number>();
  for (const b of ctx.blocks) {
    const i = indexOf.get(b.blocker);
    const j = indexOf.get(b.blocked);
    if (i !== undefined && j !== undefined && i !== j) blocked.add(pairKey(i, j, n));
  }
  const lastMet = new Map<number, number>();
  const talked = new Set<number>();
  for (const p of ctx.history) {
    const i = indexOf.get(p.a);
    const j = indexOf.get(p.b);
    if (i === undefined || j === undefined || i === j) continue;
    const key = pairKey(i, j, n);
    if (!p.unanswered) talked.add(key);
    const at = timeOf(p.at);
    const prev = lastMet.get(key);
    if (prev === undefined || at > prev) lastMet.set(key, at);
  }
  const nowMs = timeOf(ctx.now);
  const inactive = new Uint8Array(n);
  members.forEach((m, i) => (inactive[i] = constraints.inactiveMember(m) ? 1 : 0));
  return { n, indexOf, blocked, lastMet, talked, windowStartMs: nowMs - ctx.rematchWindowDays * DAY, nowMs, inactive };
}

/** Why i and j may not meet (ignoring capacity, which only applies to helpers), or null. */
export function pairViolation(c: CompiledConstraints, i: number, j: number): string | null {
  if (i === j) return 'same member';
  if (c.inactive[i] || c.inactive[j]) return 'inactive';
  const key = pairKey(i, j, c.n);
  if (c.blocked.has(key)) return REASONS.blocked;
  const met = c.lastMet.get(key);
  if (met !== undefined && met > c.windowStartMs) return REASONS.recentlyMet;
  return null;
}

/** Fast form of pairViolation for hot loops. */
export function pairAllowed(c: CompiledConstraints, i: number, j: number): boolean {
  if (i === j || c.inactive[i] || c.inactive[j]) return false;
  const key = i < j ? i * c.n + j : j * c.n + i;
  if (c.blocked.size > 0 && c.blocked.has(key)) return false;
  if (c.lastMet.size > 0) {
    const met = c.lastMet.get(key);
    if (met !== undefined && met > c.windowStartMs) return false;
  }
  return true;
}

/** Days since i and j last met, or null when they never have. */
export function daysSinceMet(c: CompiledConstraints, i: number, j: number): number | null {
  const met = c.lastMet.get(pairKey(i, j, c.n));
  return met === undefined ? null : (c.nowMs - met) / DAY;
}
