/**
 * The public types of the fake Web API: what tests configure (options, users, channels, failures)
 * and what they inspect (recorded calls, messages, views, files). Kept apart from the server so
 * the method groups under methods/ can share them without importing the server.
 */
import type { RateLimitRule } from './rate-limit.ts';

/** A member of the fake workspace, in the subset of fields users.info reports that Circulate reads. */
export interface FakeSlackUser {
  id: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  email?: string;
}

/** A conversation the fake knows about; members drive conversations.members and postEphemeral checks. */
export interface FakeSlackChannel {
  id: string;
  name?: string;
  members?: string[];
  is_archived?: boolean;
  is_private?: boolean;
}

/** Random failures for the fan-out benchmark: the same seed gives the same failures each run. */
export interface RandomFailureOptions {
  /** Probability (0..1) that an otherwise-successful call fails. */
  rate: number;
  /** HTTP statuses to pick from; 429 answers `ratelimited` with Retry-After. */
  statuses: (429 | 500 | 503)[];
  seed: number;
  /** Only these methods fail; all when omitted. */
  methods?: string[];
  /** Retry-After seconds for injected 429s (default 1). */
  retryAfter?: number;
}

/** One injected failure. With `status` 429 the body is `ratelimited`; with 5xx an HTTP error; else `{ok:false,error}`. */
export interface FailureSpec {
  status?: 429 | 500 | 502 | 503;
  error?: string;
  retryAfter?: number;
  /** How many consecutive calls fail (default 1). */
  count?: number;
}

/** Options for {@link startFakeSlackApi}; every field has a working default. */
export interface FakeSlackApiOptions {
  /** Valid bot tokens (default: [FAKE_BOT_TOKEN]). */
  tokens?: string[];
  team?: { id: string; name: string; domain: string };
  app?: { appId: string; botId: string; botUserId: string; botName: string };
  users?: FakeSlackUser[];
  /** 'synthesize' (default) invents a profile for any well-formed unknown user ID; 'reject' answers user_not_found. */
  unknownUsers?: 'synthesize' | 'reject';
  channels?: FakeSlackChannel[];
  /** 'accept' (default) lets any well-formed C/G/D ID through; 'reject' answers channel_not_found. */
  unknownChannels?: 'accept' | 'reject';
  /** Per-method rules merged over {@link DEFAULT_RATE_LIMITS}; `false` turns rate limiting off. */
  rateLimits?: false | Record<string, RateLimitRule>;
  randomFailures?: RandomFailureOptions;
  /** Clock for ts values, rate limits and trigger expiry (default Date.now). */
  now?: () => number;
  /** How long an issued trigger_id stays usable (Slack: 3 s). */
  triggerTtlMs?: number;
  /** IANA zone for synthesized users (default 'UTC'). */
  defaultTz?: string;
}

/** The JSON body of a Web API answer. */
export type SlackApiBody = { ok: boolean; error?: string; [key: string]: unknown };

/** One request to `/api/<method>`, as the fake saw and answered it. */
export interface RecordedCall {
  seq: number;
  method: string;
  /** Arguments with JSON-encoded fields (blocks, attachments, view, metadata) decoded. */
  args: Record<string, unknown>;
  token: string | undefined;
  contentType: string;
  /** Clock time (ms) when the call arrived. */
  at: number;
  status: number;
  response: SlackApiBody;
  retryAfter?: number;
  /** Set when the failure came from failNext or random failures rather than the method itself. */
  injected?: 'failNext' | 'random';
  /** True when blocks were sent without a top-level `text` fallback (Slack accepts, but notifications go blank). */
  missingTextFallback: boolean;
  /** Things Slack would accept but a reviewer should know about (e.g. 'missing_text_fallback'). */
  warnings: string[];
}

/** Counts for one method: successes, Slack errors, 429s and 5xx answers. */
export interface CallStats {
  total: number;
  ok: number;
  errors: number;
  rateLimited: number;
  serverErrors: number;
}

/** One POST to a response_url minted by {@link FakeSlackApi.responseUrl}. */
export interface ResponseUrlPost {
  seq: number;
  id: string;
  url: string;
  body: Record<string, unknown>;
  at: number;
  status: number;
  response: SlackApiBody;
  missingTextFallback: boolean;
}

/** A message the bot posted, as the workspace would now show it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  /** Set for chat.postEphemeral: only this user sees it. */
  ephemeralTo?: string;
  metadata?: unknown;
  deleted: boolean;
  /** How many chat.update calls changed it. */
  edits: number;
  /** Ids of the files shared with this message (files.completeUploadExternal). */
  files?: string[];
}

/**
 * A file uploaded through Slack's external upload flow: `files.getUploadURLExternal` (name and
 * declared length), a POST of the bytes to the returned `upload_url`, then
 * `files.completeUploadExternal` (title, where it is shared, the comment introducing it).
 */
export interface FakeFile {
  /** `F…`, as files.getUploadURLExternal returned it. */
  id: string;
  filename: string;
  /** The length declared to files.getUploadURLExternal. */
  length: number;
  altText?: string;
  snippetType?: string;
  /** The URL the bytes go to. */
  uploadUrl: string;
  /** The bytes received at the upload URL; undefined until they arrive. */
  bytes?: Buffer;
  /** Content-Type of the upload request (raw bytes) or of the multipart file part. */
  uploadContentType?: string;
  /** Set by files.completeUploadExternal. */
  completed: boolean;
  title?: string;
  /** Channels the file was shared in (D… for a DM); empty when completed privately. */
  channels: string[];
  initialComment?: string;
  threadTs?: string;
  /** Clock time (ms) of files.getUploadURLExternal. */
  createdAt: number;
}

/** A modal or App Home view the bot opened, pushed, updated or published. */
export interface FakeView {
  id: string;
  type: 'modal' | 'home';
  userId?: string;
  /** The view object as Slack returns it (ids, hash, state, ...). */
  view: Record<string, unknown>;
  /** How many times views.update / views.publish replaced it. */
  updates: number;
}

/** Custom behaviour for a method: return a body (ok or not), or undefined to fall through to the built-in one. */
export type MethodOverride = (args: Record<string, unknown>, call: { token: string | undefined; at: number }) => SlackApiBody | undefined;

/** The running fake plus everything a test needs to drive and inspect it. */
export interface FakeSlackApi {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** `${url}/api/` — what WebClient calls `slackApiUrl`. */
  readonly apiUrl: string;
  /** Pass straight to Bolt's `clientOptions` or WebClient's options. */
  readonly clientOptions: { slackApiUrl: string };
  /** The first valid bot token. */
  readonly token: string;
  readonly team: { id: string; name: string; domain: string };
  readonly app: { appId: string; botId: string; botUserId: string; botName: string };
  readonly calls: readonly RecordedCall[];
  readonly responsePosts: readonly ResponseUrlPost[];
  readonly messages: readonly FakeMessage[];
  readonly views: ReadonlyMap<string, FakeView>;
  /** Every upload started with files.getUploadURLExternal, completed or not. */
  readonly files: readonly FakeFile[];
  /** Completed files shared in a channel; a user ID resolves to the bot's DM with them. */
  filesIn(channel: string): FakeFile[];
  callsTo(method: string): RecordedCall[];
  lastCall(method?: string): RecordedCall | undefined;
  /** Per-method totals by outcome, for benchmark reports. */
  stats(): Record<string, CallStats>;
  /** Live (not deleted) messages in a channel; user IDs resolve to the bot's DM with them. */
  messagesIn(channel: string): FakeMessage[];
  /** The App Home view currently published for a user. */
  homeView(userId: string): FakeView | undefined;
  /** The DM channel ID conversations.open returns for this user (stable). */
  dmChannelFor(userId: string): string;
  /** Mints a response_url served by this fake (`${url}/response/<id>`). */
  responseUrl(id?: string): string;
  responsePostsTo(urlOrId: string): ResponseUrlPost[];
  /** A trigger_id views.open accepts once, within triggerTtlMs. */
  issueTriggerId(userId?: string): string;
  addUser(user: FakeSlackUser): void;
  addChannel(channel: FakeSlackChannel): void;
  addToken(token: string): void;
  /** Later calls with this token answer `token_revoked`. */
  revokeToken(token: string): void;
  /** The next call(s) to `method` ('*' for any) fail as described. */
  failNext(method: string, spec?: FailureSpec): void;
  setRandomFailures(options: RandomFailureOptions | undefined): void;
  /** Turns rate limiting on or off without losing configured rules. */
  setRateLimiting(enabled: boolean): void;
  configureRateLimits(rules: Record<string, RateLimitRule>): void;
  override(method: string, handler: MethodOverride | undefined): void;
  /**
   * Answers calls to `method` ('*' for any) `ms` late, after the call took effect: a slow Slack
   * whose post has landed while the caller still waits (0 turns it off).
   */
  setLatency(method: string, ms: number): void;
  /** Called after every recorded call; returns an unsubscribe function. */
  onCall(listener: (call: RecordedCall) => void): () => void;
  /** Resolves with the first call to `method` (already recorded or future) matching `predicate`. */
  waitFor(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  waitForResponsePost(predicate?: (post: ResponseUrlPost) => boolean, timeoutMs?: number): Promise<ResponseUrlPost>;
  /** Forgets calls, messages, views, files, triggers, failures, revocations and rate-limit state; keeps users, channels and rules. */
  reset(): void;
  close(): Promise<void>;
}
