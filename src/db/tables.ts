import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AuditLogTable } from './audit.ts';
import type { MeetupRsvpsTable, MeetupsTable } from './meetups.ts';
import type { OpportunitiesTable } from './opportunities.ts';
import type { CommunityPromptsTable, PromptPostsTable } from './prompts.ts';
import type { ReportsTable } from './reports.ts';

/**
 * Table row types. Portable between SQLite and PostgreSQL: ids are app-generated
 * text, timestamps are ISO-8601 UTC text (sortable as strings), booleans are 0/1
 * integers, lists are JSON text. Every table but `communities` has `community_id`.
 */

export interface CommunitiesTable {
  id: string;
  platform: string;
  platform_id: string;
  name: string;
  /** JSON object of per-community settings; absent keys take the config defaults. */
  settings: string;
  created_at: string;
  left_at: string | null;
}

export interface MembersTable {
  id: string;
  community_id: string;
  platform_user_id: string;
  display_name: string;
  time_zone: string | null;
  career_stage: string | null;
  /** JSON string[] */
  areas: string;
  /** JSON string[] */
  organisations: string;
  bio: string;
  /** JSON string[] of availability slots. */
  availability: string;
  paused_until: string | null;
  removed_at: string | null;
  rounds_opt_in: number;
  /** Check-ins in a row left unanswered; three pause the member from rounds. */
  ignored_checkins: Generated<number>;
  /** Shared by some platforms (Slack with users:read.email); used only for breakout-room CSVs. */
  email: Generated<string | null>;
  /** Seen acting as a moderator; reports are sent to these members. */
  is_moderator: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OffersTable {
  id: string;
  community_id: string;
  member_id: string;
  /** Short number shown to members ("offer #3"), unique per community. */
  ref: number;
  topic: string;
  details: string;
  capacity_per_month: number;
  active: number;
  created_at: string;
  withdrawn_at: string | null;
}

export type RequestKind = 'intro' | 'practice';
/** open: being worked on; waiting: nobody took it yet, stays for the digest; matched; cancelled. */
export type RequestStatus = 'open' | 'waiting' | 'matched' | 'cancelled';

export interface RequestsTable {
  id: string;
  community_id: string;
  member_id: string;
  ref: number;
  kind: RequestKind;
  status: RequestStatus;
  topic: string;
  questions: string;
  length_minutes: number | null;
  named_member_id: string | null;
  role_focus: string | null;
  level: string | null;
  /** JSON string[] of availability slots. */
  availability: string;
  created_at: string;
  updated_at: string;
}

export type MatchKind = 'intro' | 'practice' | 'round' | 'meetup';
/**
 * invited → accepted (introduced) | declined | not_now | expired | cancelled.
 * Practice and round matches start at `introduced`.
 */
export type MatchStatus = 'invited' | 'introduced' | 'declined' | 'not_now' | 'expired' | 'cancelled';

export interface MatchesTable {
  id: string;
  community_id: string;
  kind: MatchKind;
  request_id: string | null;
  status: MatchStatus;
  score: number;
  explanation: string;
  created_at: string;
  updated_at: string;
}

export type ParticipantRole = 'requester' | 'helper' | 'partner';

export interface MatchParticipantsTable {
  match_id: string;
  community_id: string;
  member_id: string;
  role: ParticipantRole;
  /** Per-member explanation of why this match was made, addressed to them. */
  explanation: string;
}

export interface MatchEventsTable {
  id: Generated<number>;
  community_id: string;
  match_id: string;
  status: string;
  at: string;
  note: string;
}

export interface FeedbackTable {
  id: string;
  community_id: string;
  match_id: string;
  member_id: string;
  kind: string;
  /** JSON object with the answers. */
  body: string;
  created_at: string;
}

export type TimerStatus = 'pending' | 'done' | 'cancelled';

export interface TimersTable {
  id: string;
  community_id: string;
  kind: string;
  subject_id: string;
  due_at: string;
  status: TimerStatus;
  created_at: string;
  done_at: string | null;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxTable {
  /** Insertion order; also the delivery order within a conversation. */
  seq: Generated<number>;
  id: string;
  community_id: string;
  /** JSON Destination. */
  destination: string;
  /** JSON Message. */
  message: string;
  /** Messages with the same key are delivered in seq order, one at a time. */
  conversation_key: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  /** The dispatcher instance holding the lease (claimed_until). */
  claimed_by: string | null;
  /** When sending first started; set and not delivered means it may already be on the platform. */
  send_started_at: string | null;
  /** A port's checkpoint while the row is pending (e.g. the thread it opened), handed back on retry. */
  progress: string | null;
  last_error: string | null;
  /** JSON DeliveryReceipt once delivered. */
  receipt: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface ProcessedEventsTable {
  key: string;
  community_id: string;
  created_at: string;
}

export interface BlocksTable {
  community_id: string;
  blocker_id: string;
  blocked_id: string;
  created_at: string;
}

export interface PendingNoticesTable {
  id: string;
  community_id: string;
  member_id: string;
  text: string;
  created_at: string;
}

export interface JobRunsTable {
  community_id: string;
  job: string;
  /** The scheduled time the run belongs to, ISO UTC; unique with community and job. */
  slot_at: string;
  status: 'ran' | 'skipped';
  ran_at: string;
  instance_id: string;
}

export interface RoundSkipsTable {
  community_id: string;
  member_id: string;
  slot_at: string;
}

export interface CustomTopicsTable {
  community_id: string;
  key: string;
  label: string;
  /** JSON string[] */
  synonyms: string;
  parent: string | null;
  created_at: string;
}

export interface Database {
  communities: CommunitiesTable;
  members: MembersTable;
  offers: OffersTable;
  requests: RequestsTable;
  matches: MatchesTable;
  match_participants: MatchParticipantsTable;
  match_events: MatchEventsTable;
  feedback: FeedbackTable;
  timers: TimersTable;
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
  blocks: BlocksTable;
  pending_notices: PendingNoticesTable;
  job_runs: JobRunsTable;
  community_prompts: CommunityPromptsTable;
  prompt_posts: PromptPostsTable;
  round_skips: RoundSkipsTable;
  custom_topics: CustomTopicsTable;
  audit_log: AuditLogTable;
  reports: ReportsTable;
  opportunities: OpportunitiesTable;
  meetups: MeetupsTable;
  meetup_rsvps: MeetupRsvpsTable;
  ref_counters: RefCountersTable;
  health_probe: HealthProbeTable;
}

/** The last reference number handed out per community and kind (offers, requests, …). */
export interface RefCountersTable {
  community_id: string;
  kind: string;
  last_ref: number;
}

/** One row the readiness probe rewrites to prove the database accepts writes. */
export interface HealthProbeTable {
  id: number;
  checked_at: string;
}


export type CommunityRow = Selectable<CommunitiesTable>;
export type MemberRow = Selectable<MembersTable>;
export type OfferRow = Selectable<OffersTable>;
export type RequestRow = Selectable<RequestsTable>;
export type MatchRow = Selectable<MatchesTable>;
export type ParticipantRow = Selectable<MatchParticipantsTable>;
export type TimerRow = Selectable<TimersTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewMember = Insertable<MembersTable>;
export type MemberUpdate = Updateable<MembersTable>;
