import type { MatchContext, MemberSnapshot } from '../../src/matching/types.ts';

/** A member with sensible defaults; tests override only what they are about. */
export function member(id: string, overrides: Partial<MemberSnapshot> = {}): MemberSnapshot {
  return {
    id,
    displayName: id[0]!.toUpperCase() + id.slice(1),
    careerStage: null,
    timeZone: 'America/Chicago',
    areas: [],
    organisations: [],
    offers: [],
    asks: [],
    availability: [],
    helpedCount: 0,
    receivedCount: 0,
    helperLoadThisMonth: 0,
    paused: false,
    removed: false,
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
