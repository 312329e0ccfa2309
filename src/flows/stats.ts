import { HOUR, WEEK } from '../time.ts';
import type { Kysely } from 'kysely';
import { communityCounts, matchMilestones, type MatchMilestone } from '../db/stats.ts';
import type { Database } from '../db/tables.ts';
import type { StatsView } from '../messages/copy/admin.ts';


/**
 * What moderators see. Counts completed, thanked meetings rather than messages
 * (DESIGN.md §1 "Quality over quantity"). History counts are kept when a member
 * deletes their data: their matches stay, anonymised.
 */
export interface CommunityStats extends StatsView {
  weeks: WeekStats[];
}

export interface WeekStats {
  /** ISO start of the 7-day window. */
  start: string;
  introductions: number;
  accepted: number;
  met: number;
  thanked: number;
}

export async function computeStats(db: Kysely<Database>, communityId: string, now: Date, weeks = 12): Promise<CommunityStats> {
  const counts = await communityCounts(db, communityId);
  const events = await matchMilestones(db, communityId);
  // One count per match per kind of event, at its first occurrence.
  const first = new Map<string, MatchMilestone>();
  for (const e of events) {
    const key = `${e.status}:${e.match_id}`;
    const prev = first.get(key);
    if (!prev || e.at < prev.at) first.set(key, e);
  }
  const distinct = [...first.values()];
  const introduced = distinct.filter((e) => e.status === 'introduced');
  const acceptedEvents = introduced.filter((e) => e.kind === 'intro');
  const waits = acceptedEvents
    .filter((e) => e.askedAt)
    .map((e) => (Date.parse(e.at) - Date.parse(e.askedAt!)) / HOUR)
    .sort((a, b) => a - b);
  const median = waits.length === 0 ? null : waits.length % 2 ? waits[(waits.length - 1) / 2]! : (waits[waits.length / 2 - 1]! + waits[waits.length / 2]!) / 2;

  const series: WeekStats[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const start = now.getTime() - (i + 1) * WEEK;
    const end = start + WEEK;
    const inWeek = (e: { at: string }) => Date.parse(e.at) > start && Date.parse(e.at) <= end;
    series.push({
      start: new Date(start).toISOString(),
      introductions: introduced.filter(inWeek).length,
      accepted: acceptedEvents.filter(inWeek).length,
      met: distinct.filter((e) => e.status === 'met' && inWeek(e)).length,
      thanked: distinct.filter((e) => e.status === 'thanked' && inWeek(e)).length,
    });
  }
  return {
    members: counts.members,
    optedIn: counts.optedIn,
    activeOffers: counts.activeOffers,
    openAsks: counts.openAsks,
    introductionsMade: introduced.length,
    accepted: acceptedEvents.length,
    met: distinct.filter((e) => e.status === 'met').length,
    thanked: distinct.filter((e) => e.status === 'thanked').length,
    medianHoursToIntroduction: median === null ? null : Math.round(median * 10) / 10,
    asksNobodyTook: counts.asksNobodyTook,
    weeks: series,
  };
}

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The weekly series as CSV for moderators' own spreadsheets. */
export function statsCsv(stats: CommunityStats): string {
  return toCsv([
    ['week_start', 'introductions', 'accepted', 'met', 'thanked'],
    ...stats.weeks.map((w) => [w.start.slice(0, 10), w.introductions, w.accepted, w.met, w.thanked]),
  ]);
}
