/**
 * The matching engine's input and output shapes. The engine is pure: flows load
 * a snapshot of the community from the database, hand it over, and act on the
 * result. Nothing here knows about storage or platforms.
 */

/** Where someone is in their library career; used for complementarity. */
export type CareerStage = 'student' | 'early' | 'mid' | 'senior' | 'returning';

export const CAREER_STAGES: readonly CareerStage[] = ['student', 'early', 'mid', 'senior', 'returning'];

/** Interview-practice role focus (DESIGN.md §2). */
export type RoleFocus =
  | 'reference'
  | 'academic'
  | 'public'
  | 'school'
  | 'archives'
  | 'technical-services'
  | 'management';

export const ROLE_FOCUSES: readonly RoleFocus[] = [
  'reference',
  'academic',
  'public',
  'school',
  'archives',
  'technical-services',
  'management',
];

/** Coarse weekly availability buckets shared by practice requests and profiles. */
export type AvailabilitySlot =
  | 'weekday-mornings'
  | 'weekday-afternoons'
  | 'weekday-evenings'
  | 'weekend-mornings'
  | 'weekend-afternoons'
  | 'weekend-evenings';

/** Every slot, in the order their bits are numbered in availability masks. */
export const AVAILABILITY_SLOTS: readonly AvailabilitySlot[] = [
  'weekday-mornings',
  'weekday-afternoons',
  'weekday-evenings',
  'weekend-mornings',
  'weekend-afternoons',
  'weekend-evenings',
];

/** What one member brings to matching; built fresh from the database per run. */
export interface MemberSnapshot {
  id: string;
  displayName: string;
  careerStage: CareerStage | null;
  /** IANA zone, e.g. "America/Chicago"; null when unknown. */
  timeZone: string | null;
  /** Areas of work from the profile (free text, mapped onto topics by the engine). */
  areas: string[];
  organisations: string[];
  /** Active offers of help. */
  offers: { topic: string; details: string; capacityPerMonth: number }[];
  /** Open asks (intro topics, practice focus) — what this member wants help with. */
  asks: { topic: string; details: string }[];
  /** Empty means "flexible": overlaps with everyone. */
  availability: AvailabilitySlot[];
  /** Private give/take balance: completed meetings where this member helped / was helped. */
  helpedCount: number;
  receivedCount: number;
  /** Intro invitations accepted or pending as helper in the current 30-day window (capacity load). */
  helperLoadThisMonth: number;
  /** True when paused (paused_until in the future) or removed: never matched. */
  paused: boolean;
  removed: boolean;
}

/** A past connection between two members (any kind of match that introduced them). */
export interface PastPair {
  a: string;
  b: string;
  at: Date;
  /**
   * An intro invitation that was declined, not taken up now, or expired: it keeps the pair apart
   * like a meeting, but the two never talked and the requester must never learn of it, so no
   * explanation may say they met (issue 14, finding 3).
   */
  unanswered?: boolean;
}

/** A custom topic a community added to the built-in list. */
export interface CustomTopic {
  key: string;
  label: string;
  synonyms: string[];
  parent: string | null;
}

/** Everything beyond the members that a matching decision depends on. */
export interface MatchContext {
  now: Date;
  /** Pairs met within this many days are a hard no (default 84 = 12 weeks). */
  rematchWindowDays: number;
  history: PastPair[];
  /** Blocks are symmetric: either direction forbids the pair. */
  blocks: { blocker: string; blocked: string }[];
  customTopics: CustomTopic[];
  /** Seeds every tie-break so a run can be replayed. */
  seed: number;
}

/** A named part of a pair's score; every explanation is built from these. */
export interface ScoreComponents {
  benefitAtoB: number;
  benefitBtoA: number;
  mutualBonus: number;
  stage: number;
  availability: number;
  novelty: number;
  balance: number;
}

/** One scored candidate for a request, best first. */
export interface RankedCandidate {
  memberId: string;
  score: number;
  components: ScoreComponents;
  /** One human sentence addressed to the requester, e.g. "Dana offered archives advice, which matches your ask about archives (matched: archives and special collections)". */
  explanation: string;
}

/** An intro request as the engine sees it. */
export interface IntroAsk {
  requesterId: string;
  topic: string;
  questions: string;
  /** Members already asked for this request, or otherwise excluded. */
  excludeIds: string[];
}

/** A practice request as the engine sees it. */
export interface PracticeAsk {
  requesterId: string;
  roleFocus: RoleFocus;
  level: CareerStage | null;
  availability: AvailabilitySlot[];
}

/** A group formed by a round or a meetup, with why it was formed. */
export interface Group {
  memberIds: string[];
  score: number;
  /** One explanation per member, keyed by member id, addressed to that member. */
  explanations: Record<string, string>;
}

/** Result of a pairing round or breakout split. */
export interface RoundResult {
  groups: Group[];
  unplaced: { memberId: string; reason: string }[];
  totalScore: number;
  seed: number;
}
