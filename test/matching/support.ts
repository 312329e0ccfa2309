import { emptySnapshot } from '../../src/matching/rank.ts';
import type { MatchContext, MemberSnapshot } from '../../src/matching/types.ts';

/** A member with sensible defaults; tests override only what they are about. */
export function member(id: string, overrides: Partial<MemberSnapshot> = {}): MemberSnapshot {
  return {
    ...emptySnapshot(id),
    displayName: id[0]!.toUpperCase() + id.slice(1),
    timeZone: 'America/Chicago',
    ...overrides,
  };
}

export const NOW = new Date('2026-01-05T09:00:00Z');

export function context(overrides: Partial<MatchContext> = {}): MatchContext {
  return { now: NOW, rematchWindowDays: 84, history: [], blocks: [], customTopics: [], seed: 7, ...overrides };
}

export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * 86_400_000);
}
