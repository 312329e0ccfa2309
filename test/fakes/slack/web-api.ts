import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateBlocks, validateView, BLOCK_KIT_LIMITS } from './block-kit.ts';
import {
  FAKE_APP,
  FAKE_BOT_TOKEN,
  FAKE_TEAM,
  TRIGGER_ID_PATTERN,
  formatTs,
  makeTriggerId,
  stableId,
} from './defaults.ts';
import { DEFAULT_RATE_LIMITS, RateLimiter, seededRandom, type RateLimitRule } from './rate-limit.ts';

/**
 * A fake of Slack's Web API (https://slack.com/api/<method>) on a real local HTTP server, so the
 * real @slack/web-api WebClient inside Bolt talks to it unchanged: same content types, same
 * `{ok, error}` bodies with HTTP 200, same 429 + Retry-After, same Block Kit rejections. Point a
 * client at it with `new App({ ..., clientOptions: fake.clientOptions })`.
 */

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

class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** Slack's shape for validation failures; invalid_blocks also lists the bare messages under `errors`. */
function invalidArguments(messages: string[], code = 'invalid_arguments'): ApiError {
  return new ApiError(code, {
    ...(code === 'invalid_blocks' ? { errors: messages } : {}),
    response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) },
  });
}

function missing(name: string): ApiError {
  return invalidArguments([`missing required field: ${name}`]);
}

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'files'];
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function nonEmpty(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined || s.trim() === '' ? undefined : s;
}

function tzOffsetSeconds(tz: string, atMs: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date(atMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = part?.match(/GMT([+-])(\d{2}):(\d{2})/);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

function tzLabel(tz: string, atMs: number): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(new Date(atMs))
      .find((p) => p.type === 'timeZoneName')?.value ?? tz
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The file part of a multipart/form-data body (the part with a filename, else the first one),
 * or undefined when the body is not well-formed multipart.
 */
function multipartFile(body: Buffer, contentType: string): { bytes: Buffer; contentType?: string } | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2]?.trim();
  if (!mark) return undefined;
  const delimiter = Buffer.from(`--${mark}`);
  const parts: { headers: string; bytes: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    parts.push({ headers: part.subarray(0, split).toString('utf8'), bytes: part.subarray(split + 4) });
    at = next;
  }
  const file = parts.find((p) => /filename=/i.test(p.headers)) ?? parts[0];
  if (!file) return undefined;
  const type = /content-type:\s*([^\r\n]+)/i.exec(file.headers)?.[1]?.trim();
  return { bytes: Buffer.from(file.bytes), ...(type ? { contentType: type } : {}) };
}

class FakeSlackApiServer implements FakeSlackApi {
  url = '';
  apiUrl = '';
  clientOptions = { slackApiUrl: '' };
  readonly team: { id: string; name: string; domain: string };
  readonly app: { appId: string; botId: string; botUserId: string; botName: string };

  readonly calls: RecordedCall[] = [];
  readonly responsePosts: ResponseUrlPost[] = [];
  readonly messages: FakeMessage[] = [];
  readonly views = new Map<string, FakeView>();
  readonly files: FakeFile[] = [];

  private readonly server: Server;
  private readonly events = new EventEmitter();
  private readonly now: () => number;
  private readonly tokens: Set<string>;
  private readonly revoked = new Set<string>();
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly channels = new Map<string, FakeSlackChannel>();
  private readonly openedIms = new Set<string>();
  private readonly triggers = new Map<string, { issuedAt: number; userId?: string; used: boolean }>();
  private readonly responseUrls = new Map<string, { createdAt: number; uses: number }>();
  private readonly failures = new Map<string, Required<Pick<FailureSpec, 'count'>> & FailureSpec>();
  private readonly overrides = new Map<string, MethodOverride>();
  private readonly latency = new Map<string, number>();
  private readonly limiter: RateLimiter;
  private rateLimiting: boolean;
  private random: { opts: RandomFailureOptions; next: () => number } | undefined;
  private seq = 0;
  private lastTsMicros = 0;
  private idCounter = 0;
  private readonly firstToken: string;

  constructor(private readonly opts: FakeSlackApiOptions) {
    this.now = opts.now ?? Date.now;
    this.team = opts.team ?? { ...FAKE_TEAM };
    this.app = opts.app ?? { ...FAKE_APP };
    const tokens = opts.tokens ?? [FAKE_BOT_TOKEN];
    this.firstToken = tokens[0] ?? FAKE_BOT_TOKEN;
    this.tokens = new Set(tokens);
    for (const u of opts.users ?? []) this.users.set(u.id, u);
    if (!this.users.has(this.app.botUserId)) {
      this.users.set(this.app.botUserId, { id: this.app.botUserId, name: this.app.botName, real_name: this.app.botName, is_bot: true });
    }
    for (const c of opts.channels ?? []) this.channels.set(c.id, c);
    this.rateLimiting = opts.rateLimits !== false;
    this.limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...(opts.rateLimits || {}) });
    if (opts.randomFailures) this.setRandomFailures(opts.randomFailures);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ok: false, error: 'fatal_error', detail: String(err) }));
      });
    });
  }

  get token(): string {
    return this.firstToken;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.clientOptions = { slackApiUrl: this.apiUrl };
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- inspection helpers

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method?: string): RecordedCall | undefined {
    const list = method === undefined ? this.calls : this.callsTo(method);
    return list[list.length - 1];
  }

  stats(): Record<string, CallStats> {
    const out: Record<string, CallStats> = {};
    for (const c of this.calls) {
      const s = (out[c.method] ??= { total: 0, ok: 0, errors: 0, rateLimited: 0, serverErrors: 0 });
      s.total += 1;
      if (c.status === 429) s.rateLimited += 1;
      else if (c.status >= 500) s.serverErrors += 1;
      else if (c.response.ok) s.ok += 1;
      else s.errors += 1;
    }
    return out;
  }

  messagesIn(channel: string): FakeMessage[] {
    const id = USER_ID.test(channel) ? this.dmChannelFor(channel) : channel;
    return this.messages.filter((m) => m.channel === id && !m.deleted);
  }

  filesIn(channel: string): FakeFile[] {
    const id = USER_ID.test(channel) ? this.dmChannelFor(channel) : channel;
    return this.files.filter((f) => f.completed && f.channels.includes(id));
  }

  homeView(userId: string): FakeView | undefined {
    return [...this.views.values()].find((v) => v.type === 'home' && v.userId === userId);
  }

  dmChannelFor(userId: string): string {
    return stableId('D', `${this.team.id}:im:${userId}`);
  }

  responseUrl(id?: string): string {
    const key = id ?? `${this.team.id}/${++this.idCounter}/${Math.random().toString(36).slice(2, 12)}`;
    if (!this.responseUrls.has(key)) this.responseUrls.set(key, { createdAt: this.now(), uses: 0 });
    return `${this.url}/response/${key}`;
  }

  responsePostsTo(urlOrId: string): ResponseUrlPost[] {
    return this.responsePosts.filter((p) => p.url === urlOrId || p.id === urlOrId);
  }

  issueTriggerId(userId?: string): string {
    const id = makeTriggerId(this.now());
    this.triggers.set(id, { issuedAt: this.now(), userId, used: false });
    return id;
  }

  // ---------------------------------------------------------------- configuration

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: FakeSlackChannel): void {
    this.channels.set(channel.id, channel);
  }

  addToken(token: string): void {
    this.tokens.add(token);
    this.revoked.delete(token);
  }

  revokeToken(token: string): void {
    this.revoked.add(token);
  }

  setLatency(method: string, ms: number): void {
    if (ms > 0) this.latency.set(method, ms);
    else this.latency.delete(method);
  }

  failNext(method: string, spec: FailureSpec = {}): void {
    this.failures.set(method, { ...spec, count: spec.count ?? 1 });
  }

  setRandomFailures(options: RandomFailureOptions | undefined): void {
    this.random = options ? { opts: options, next: seededRandom(options.seed) } : undefined;
  }

  setRateLimiting(enabled: boolean): void {
    this.rateLimiting = enabled;
    if (!enabled) this.limiter.reset();
  }

  configureRateLimits(rules: Record<string, RateLimitRule>): void {
    this.limiter.configure(rules);
  }

  override(method: string, handler: MethodOverride | undefined): void {
    if (handler) this.overrides.set(method, handler);
    else this.overrides.delete(method);
  }

  onCall(listener: (call: RecordedCall) => void): () => void {
    this.events.on('call', listener);
    return () => this.events.off('call', listener);
  }

  waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 3000): Promise<RecordedCall> {
    return this.waitOn('call', this.calls, (c: RecordedCall) => c.method === method && predicate(c), timeoutMs, `a ${method} call`);
  }

  waitForResponsePost(predicate: (post: ResponseUrlPost) => boolean = () => true, timeoutMs = 3000): Promise<ResponseUrlPost> {
    return this.waitOn('response', this.responsePosts, predicate, timeoutMs, 'a response_url post');
  }

  private waitOn<T>(event: string, existing: readonly T[], match: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = existing.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (item: T) => {
        if (!match(item)) return;
        clearTimeout(timer);
        this.events.off(event, listener);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.events.off(event, listener);
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.events.on(event, listener);
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.responsePosts.length = 0;
    this.messages.length = 0;
    this.views.clear();
    this.files.length = 0;
    this.triggers.clear();
    this.responseUrls.clear();
    this.failures.clear();
    this.revoked.clear();
    this.openedIms.clear();
    this.limiter.reset();
    if (this.random) this.random.next = seededRandom(this.random.opts.seed);
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    if (url.pathname.startsWith('/upload/v1/') && req.method === 'POST') return this.handleUpload(req, res, url, body);
    const raw = body.toString('utf8');
    if (url.pathname.startsWith('/api/')) return this.handleApi(req, res, url, raw);
    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      return this.handleResponseUrl(res, url.pathname.slice('/response/'.length), raw, req.headers['content-type'] ?? '');
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const at = this.now();
    const contentType = String(req.headers['content-type'] ?? '');
    const warnings: string[] = [];
    const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let formToken: string | undefined;
    let parseError: string | undefined;
    if (contentType.startsWith('application/json')) {
      if (!/charset/i.test(contentType)) warnings.push('missing_charset');
      if (raw.trim() !== '') {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
          else parseError = 'invalid_json';
        } catch {
          parseError = 'invalid_json';
        }
      }
      // Slack ignores a token inside a JSON body: JSON callers must use the Authorization header.
    } else if (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
      formToken = str(args.token);
    } else if (raw !== '') {
      parseError = 'invalid_form_data';
    }
    if (formToken === undefined) formToken = str(url.searchParams.get('token') ?? undefined);
    delete args.token;
    const jsonErrors: Record<string, boolean> = {};
    for (const field of JSON_FIELDS) {
      const v = args[field];
      if (typeof v === 'string' && v !== '') {
        try {
          args[field] = JSON.parse(v);
        } catch {
          jsonErrors[field] = true;
        }
      }
    }
    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
    const token = bearer || formToken;

    const record = (status: number, response: SlackApiBody, extra: Partial<RecordedCall> = {}): void => {
      const blocks = args.blocks;
      const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
      const textFallbackMethods = ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage'];
      const missingTextFallback = textFallbackMethods.includes(method) && hasBlocks && nonEmpty(args.text) === undefined;
      if (missingTextFallback) warnings.push('missing_text_fallback');
      const call: RecordedCall = {
        seq: ++this.seq,
        method,
        args,
        token,
        contentType,
        at,
        status,
        response,
        missingTextFallback,
        warnings,
        ...extra,
      };
      this.calls.push(call);
      const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
      if (call.retryAfter !== undefined) headers['Retry-After'] = String(call.retryAfter);
      const answer = (): void => {
        res.writeHead(status, headers);
        res.end(JSON.stringify(response));
      };
      const late = this.latency.get(method) ?? this.latency.get('*') ?? 0;
      if (late > 0) setTimeout(answer, late);
      else answer();
      this.events.emit('call', call);
    };

    // 1. Injected failures stand in for outages, so they win over everything else.
    const injected = this.takeInjectedFailure(method);
    if (injected) return record(injected.status, injected.body, { retryAfter: injected.retryAfter, injected: injected.source });

    // 2. Unknown method, malformed body, authentication.
    const handler = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!handler && !this.overrides.has(method)) return record(200, { ok: false, error: 'unknown_method', req_method: method });
    if (parseError) return record(200, { ok: false, error: parseError });
    if (!token) return record(200, { ok: false, error: 'not_authed' });
    if (this.revoked.has(token)) return record(200, { ok: false, error: 'token_revoked' });
    if (!this.tokens.has(token)) return record(200, { ok: false, error: 'invalid_auth' });

    // 3. Rate limits (per token, per method, per channel for chat.postMessage).
    if (this.rateLimiting) {
      const decision = this.limiter.take(method, token, str(args.channel), at);
      if (!decision.allowed) {
        return record(429, { ok: false, error: 'ratelimited' }, { retryAfter: decision.retryAfterSeconds });
      }
    }

    // 4. The method itself.
    try {
      const override = this.overrides.get(method);
      const overridden = override?.(args, { token, at });
      if (overridden) return record(200, overridden);
      if (!handler) return record(200, { ok: false, error: 'unknown_method', req_method: method });
      if (jsonErrors.blocks) throw new ApiError('invalid_blocks_format');
      if (jsonErrors.attachments) throw new ApiError('invalid_attachments');
      if (jsonErrors.view) throw invalidArguments(['failed to parse view as JSON [json-pointer:/view]']);
      if (jsonErrors.files) throw invalidArguments(['failed to parse files as JSON [json-pointer:/files]']);
      const body = handler(args, at);
      if (warnings.includes('missing_charset')) {
        body.warning = 'missing_charset';
        body.response_metadata = { ...((body.response_metadata as object | undefined) ?? {}), warnings: ['missing_charset'] };
      }
      return record(200, body);
    } catch (err) {
      if (err instanceof ApiError) return record(200, { ok: false, error: err.code, ...err.extra });
      throw err;
    }
  }

  private takeInjectedFailure(
    method: string,
  ): { status: number; body: SlackApiBody; retryAfter?: number; source: 'failNext' | 'random' } | undefined {
    const key = this.failures.has(method) ? method : this.failures.has('*') ? '*' : undefined;
    if (key !== undefined) {
      const spec = this.failures.get(key)!;
      spec.count -= 1;
      if (spec.count <= 0) this.failures.delete(key);
      return { ...this.failureBody(spec.status, spec.error, spec.retryAfter), source: 'failNext' };
    }
    if (this.random && (!this.random.opts.methods || this.random.opts.methods.includes(method))) {
      const roll = this.random.next();
      if (roll < this.random.opts.rate) {
        const statuses = this.random.opts.statuses;
        const status = statuses[Math.floor(this.random.next() * statuses.length)] ?? 500;
        return { ...this.failureBody(status, undefined, this.random.opts.retryAfter), source: 'random' };
      }
    }
    return undefined;
  }

  private failureBody(status: number | undefined, error: string | undefined, retryAfter: number | undefined) {
    if (status === 429) return { status, body: { ok: false, error: 'ratelimited' }, retryAfter: retryAfter ?? 1 };
    if (status !== undefined && status >= 500) {
      return { status, body: { ok: false, error: error ?? (status === 503 ? 'service_unavailable' : 'internal_error') } };
    }
    return { status: 200, body: { ok: false, error: error ?? 'internal_error' } };
  }

  /**
   * An upload URL from files.getUploadURLExternal. Slack takes raw bytes or a multipart form and
   * answers 200 when the upload worked, anything else when it did not. The fake also refuses
   * (400) bytes whose length differs from the declared `length`, and (410) a second upload to a
   * URL, so an adapter that miscounts bytes or reuses URLs fails here rather than in production.
   */
  private async handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const fileId = url.pathname.split('/')[3] ?? '';
    const file = this.files.find((f) => f.id === fileId && new URL(f.uploadUrl).pathname === url.pathname);
    const answer = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (!file) return answer(404, 'not found');
    if (file.bytes !== undefined || file.completed) return answer(410, 'upload url already used');
    const contentType = String(req.headers['content-type'] ?? '');
    const part = /^multipart\/form-data/i.test(contentType) ? multipartFile(body, contentType) : { bytes: body, contentType };
    if (!part) return answer(400, 'malformed multipart body');
    if (part.bytes.length !== file.length) return answer(400, `length mismatch: declared ${file.length}, received ${part.bytes.length}`);
    file.bytes = part.bytes;
    if (part.contentType) file.uploadContentType = part.contentType;
    answer(200, `OK - ${part.bytes.length}`);
  }

  private async handleResponseUrl(res: ServerResponse, id: string, raw: string, contentType: string): Promise<void> {
    const at = this.now();
    let body: Record<string, unknown> = {};
    let response: SlackApiBody = { ok: true };
    let status = 200;
    try {
      if (contentType.startsWith('application/x-www-form-urlencoded')) {
        const payload = new URLSearchParams(raw).get('payload');
        body = payload ? (JSON.parse(payload) as Record<string, unknown>) : {};
      } else {
        body = raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      }
    } catch {
      response = { ok: false, error: 'invalid_payload' };
      status = 400;
    }
    const entry = this.responseUrls.get(id) ?? { createdAt: at, uses: 0 };
    this.responseUrls.set(id, entry);
    if (status === 200) {
      entry.uses += 1;
      const blocks = body.blocks;
      const blockErrors = blocks === undefined ? [] : validateBlocks(blocks, 'message');
      if (at - entry.createdAt > 30 * 60 * 1000) {
        status = 404;
        response = { ok: false, error: 'expired_url' };
      } else if (entry.uses > 5) {
        status = 404;
        response = { ok: false, error: 'used_url' };
      } else if (blockErrors.length > 0) {
        response = { ok: false, error: 'invalid_blocks', errors: blockErrors };
      } else if (body.delete_original !== true && nonEmpty(body.text) === undefined && !Array.isArray(blocks)) {
        response = { ok: false, error: 'no_text' };
      }
    }
    const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
    const post: ResponseUrlPost = {
      seq: ++this.seq,
      id,
      url: `${this.url}/response/${id}`,
      body,
      at,
      status,
      response,
      missingTextFallback: hasBlocks && nonEmpty(body.text) === undefined,
    };
    this.responsePosts.push(post);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(response));
    this.events.emit('response', post);
  }

  // ---------------------------------------------------------------- domain helpers

  private nextTs(at: number): string {
    this.lastTsMicros = Math.max(at * 1000, this.lastTsMicros + 1);
    return formatTs(this.lastTsMicros);
  }

  private nextId(prefix: string): string {
    this.idCounter += 1;
    return stableId(prefix, `${this.team.id}:${prefix}:${this.idCounter}:${this.now()}`);
  }

  private user(id: string): FakeSlackUser | undefined {
    const known = this.users.get(id);
    if (known) return known;
    if (this.opts.unknownUsers === 'reject' || !USER_ID.test(id)) return undefined;
    return { id };
  }

  private resolveChannel(raw: unknown): FakeSlackChannel {
    const name = nonEmpty(raw);
    if (name === undefined) throw new ApiError('channel_not_found');
    if (USER_ID.test(name)) {
      if (!this.user(name)) throw new ApiError('channel_not_found');
      return this.imChannel(name);
    }
    const byId = this.channels.get(name);
    const byName = byId ?? [...this.channels.values()].find((c) => c.name !== undefined && c.name === name.replace(/^#/, ''));
    const channel = byName ?? (this.opts.unknownChannels !== 'reject' && CHANNEL_ID.test(name) ? { id: name } : undefined);
    if (!channel) throw new ApiError('channel_not_found');
    return channel;
  }

  private imChannel(userId: string): FakeSlackChannel {
    const id = this.dmChannelFor(userId);
    const existing = this.channels.get(id);
    if (existing) return existing;
    const channel = { id, members: [userId, this.app.botUserId], is_private: true };
    this.channels.set(id, channel);
    return channel;
  }

  private checkMessageContent(args: Record<string, unknown>, requireContent: boolean): void {
    const text = str(args.text);
    const blocks = args.blocks;
    const attachments = args.attachments;
    const hasContent = nonEmpty(text) !== undefined || (Array.isArray(blocks) && blocks.length > 0) || Array.isArray(attachments);
    if (requireContent && !hasContent) throw new ApiError('no_text');
    if (text !== undefined && text.length > BLOCK_KIT_LIMITS.messageText) throw new ApiError('msg_too_long');
    if (blocks !== undefined && blocks !== '') {
      if (!Array.isArray(blocks)) throw new ApiError('invalid_blocks_format');
      const errors = validateBlocks(blocks, 'message');
      if (errors.length > 0) throw invalidArguments(errors, 'invalid_blocks');
    }
  }

  private messageObject(m: FakeMessage): Record<string, unknown> {
    return {
      type: 'message',
      subtype: 'bot_message',
      text: m.text,
      user: this.app.botUserId,
      bot_id: this.app.botId,
      app_id: this.app.appId,
      team: this.team.id,
      ts: m.ts,
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.attachments ? { attachments: m.attachments } : {}),
      ...(m.metadata ? { metadata: m.metadata } : {}),
      ...(m.edits > 0 ? { edited: { user: this.app.botUserId, ts: m.ts } } : {}),
      bot_profile: { id: this.app.botId, app_id: this.app.appId, name: this.app.botName, team_id: this.team.id, deleted: false },
    };
  }

  private withBlockIds(blocks: unknown): unknown[] | undefined {
    if (!Array.isArray(blocks)) return undefined;
    return blocks.map((b: unknown) => {
      if (typeof b !== 'object' || b === null) return b;
      const block = b as Record<string, unknown>;
      // Slack fills in a short random block_id when the app gives none.
      return block.block_id === undefined ? { ...block, block_id: Math.random().toString(36).slice(2, 7) } : block;
    });
  }

  private checkTrigger(args: Record<string, unknown>, at: number): string | undefined {
    const trigger = nonEmpty(args.trigger_id) ?? nonEmpty(args.interactivity_pointer);
    if (trigger === undefined) throw missing('trigger_id');
    if (!TRIGGER_ID_PATTERN.test(trigger)) throw new ApiError('invalid_trigger_id');
    const entry = this.triggers.get(trigger);
    if (entry?.used) throw new ApiError('exchanged_trigger_id');
    if (entry && at - entry.issuedAt > (this.opts.triggerTtlMs ?? 3000)) throw new ApiError('expired_trigger_id');
    this.triggers.set(trigger, { issuedAt: entry?.issuedAt ?? at, userId: entry?.userId, used: true });
    return entry?.userId;
  }

  private viewArg(args: Record<string, unknown>, expected: 'modal' | 'home'): Record<string, unknown> {
    const view = args.view;
    if (view === undefined || view === '') throw missing('view');
    const errors = validateView(view, expected);
    if (errors.length > 0) throw invalidArguments(errors);
    return view as Record<string, unknown>;
  }

  private materializeView(
    input: Record<string, unknown>,
    id: string,
    extra: { previousViewId?: string | null; rootViewId?: string } = {},
  ): Record<string, unknown> {
    const hash = `${Math.floor(this.now() / 1000)}.${Math.random().toString(36).slice(2, 10)}`;
    return {
      id,
      team_id: this.team.id,
      type: input.type,
      title: input.title ?? null,
      submit: input.submit ?? null,
      close: input.close ?? null,
      blocks: this.withBlockIds(input.blocks) ?? [],
      private_metadata: str(input.private_metadata) ?? '',
      callback_id: str(input.callback_id) ?? '',
      external_id: str(input.external_id) ?? '',
      state: { values: {} },
      hash,
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      previous_view_id: extra.previousViewId ?? null,
      root_view_id: extra.rootViewId ?? id,
      app_id: this.app.appId,
      app_installed_team_id: this.team.id,
      bot_id: this.app.botId,
    };
  }

  private checkExternalId(view: Record<string, unknown>, exceptId?: string): void {
    const ext = nonEmpty(view.external_id);
    if (ext === undefined) return;
    for (const v of this.views.values()) {
      if (v.id !== exceptId && v.view.external_id === ext) throw new ApiError('duplicate_external_id');
    }
  }

  private userObject(u: FakeSlackUser, at: number): Record<string, unknown> {
    const tz = u.tz ?? this.opts.defaultTz ?? 'UTC';
    const name = u.name ?? `user_${u.id.toLowerCase()}`;
    const realName = u.real_name ?? name;
    const display = u.display_name ?? '';
    return {
      id: u.id,
      team_id: this.team.id,
      name,
      deleted: u.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz,
      tz_label: tzLabel(tz, at),
      tz_offset: tzOffsetSeconds(tz, at),
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: display,
        display_name_normalized: display,
        ...(u.email !== undefined ? { email: u.email } : {}),
        team: this.team.id,
        ...(u.is_bot ? { bot_id: u.id === this.app.botUserId ? this.app.botId : stableId('B', u.id) } : {}),
      },
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: u.is_bot ?? false,
      is_app_user: false,
      updated: Math.floor(at / 1000),
    };
  }

  // ---------------------------------------------------------------- methods

  private readonly handlers: Record<string, (args: Record<string, unknown>, at: number) => SlackApiBody> = {
    'auth.test': () => ({
      ok: true,
      url: `https://${this.team.domain}.slack.com/`,
      team: this.team.name,
      user: this.app.botName,
      team_id: this.team.id,
      user_id: this.app.botUserId,
      bot_id: this.app.botId,
      is_enterprise_install: false,
    }),

    'team.info': () => ({
      ok: true,
      team: {
        id: this.team.id,
        name: this.team.name,
        url: `https://${this.team.domain}.slack.com/`,
        domain: this.team.domain,
        email_domain: '',
        icon: { image_default: true },
        is_verified: false,
      },
    }),

    'users.info': (args, at) => {
      const id = nonEmpty(args.user);
      const u = id === undefined ? undefined : this.user(id);
      if (!u) throw new ApiError('user_not_found');
      return { ok: true, user: this.userObject(u, at) };
    },

    'conversations.open': (args, at) => {
      const channelArg = nonEmpty(args.channel);
      if (channelArg !== undefined) {
        const channel = this.resolveChannel(channelArg);
        return { ok: true, channel: { id: channel.id } };
      }
      const users = (str(args.users) ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== '');
      if (users.length === 0) throw new ApiError('users_list_not_supplied');
      if (users.length > 8) throw new ApiError('too_many_users');
      for (const u of users) if (!this.user(u)) throw new ApiError('user_not_found');
      const distinct = [...new Set(users)].sort();
      let channel: FakeSlackChannel;
      if (distinct.length === 1) channel = this.imChannel(distinct[0]!);
      else {
        const id = stableId('G', `${this.team.id}:mpim:${distinct.join(',')}`);
        channel = this.channels.get(id) ?? { id, members: [...distinct, this.app.botUserId], is_private: true };
        this.channels.set(id, channel);
      }
      const already = this.openedIms.has(channel.id);
      this.openedIms.add(channel.id);
      const body: SlackApiBody = { ok: true, channel: { id: channel.id } };
      if (already) Object.assign(body, { no_op: true, already_open: true });
      if (args.return_im === true || args.return_im === 'true') {
        body.channel = {
          id: channel.id,
          created: Math.floor(at / 1000),
          is_im: distinct.length === 1,
          is_mpim: distinct.length > 1,
          is_open: true,
          ...(distinct.length === 1 ? { user: distinct[0] } : {}),
        };
      }
      return body;
    },

    'conversations.members': (args) => {
      const id = nonEmpty(args.channel);
      const channel = id === undefined ? undefined : this.channels.get(id);
      if (!channel) throw new ApiError('channel_not_found');
      const members = channel.members ?? [];
      const limit = Math.max(1, Math.min(1000, Number(args.limit ?? 100) || 100));
      const cursor = nonEmpty(args.cursor);
      let start = 0;
      if (cursor !== undefined) {
        const after = Buffer.from(cursor, 'base64').toString('utf8').replace(/^user:/, '');
        const idx = members.indexOf(after);
        if (idx < 0) throw new ApiError('invalid_cursor');
        start = idx;
      }
      const page = members.slice(start, start + limit);
      const next = members[start + limit];
      return {
        ok: true,
        members: page,
        response_metadata: { next_cursor: next === undefined ? '' : Buffer.from(`user:${next}`).toString('base64') },
      };
    },

    'chat.postMessage': (args, at) => {
      const channel = this.resolveChannel(args.channel);
      if (channel.is_archived) throw new ApiError('is_archived');
      this.checkMessageContent(args, true);
      const blocks = this.withBlockIds(args.blocks);
      const message: FakeMessage = {
        channel: channel.id,
        ts: this.nextTs(at),
        text: nonEmpty(args.text) ?? (blocks ? "This content can't be displayed." : ''),
        ...(blocks ? { blocks } : {}),
        ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
        ...(nonEmpty(args.thread_ts) ? { thread_ts: str(args.thread_ts) } : {}),
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        deleted: false,
        edits: 0,
      };
      this.messages.push(message);
      return { ok: true, channel: channel.id, ts: message.ts, message: this.messageObject(message) };
    },

    // Newest first; `oldest`/`latest` exclusive unless `inclusive`; metadata only with include_all_metadata.
    'conversations.history': (args) => {
      const channel = this.resolveChannel(args.channel);
      const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
      const oldest = Number(args.oldest ?? 0) || 0;
      const latest = args.latest === undefined ? Infinity : Number(args.latest);
      const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
      const limit = Math.max(1, Math.min(999, Number(args.limit ?? 100) || 100));
      const cursor = nonEmpty(args.cursor);
      const before = cursor === undefined ? Infinity : Number(Buffer.from(cursor, 'base64').toString('utf8').replace(/^next_ts:/, ''));
      const inRange = this.messages
        .filter((m) => m.channel === channel.id && !m.deleted && !m.ephemeralTo && !m.thread_ts)
        .filter((m) => {
          const ts = Number(m.ts);
          return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest) && (cursor === undefined || ts <= before);
        })
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      const page = inRange.slice(0, limit);
      const next = inRange[limit];
      return {
        ok: true,
        messages: page.map((m) => {
          const { metadata, ...shown } = this.messageObject(m);
          return withMetadata && metadata !== undefined ? { ...shown, metadata } : shown;
        }),
        has_more: next !== undefined,
        pin_count: 0,
        response_metadata: { next_cursor: next === undefined ? '' : Buffer.from(`next_ts:${next.ts}`).toString('base64') },
      };
    },

    'chat.postEphemeral': (args, at) => {
      const channel = this.resolveChannel(args.channel);
      const userId = nonEmpty(args.user);
      if (userId === undefined) throw missing('user');
      if (!this.user(userId)) throw new ApiError('user_not_found');
      if (channel.is_archived) throw new ApiError('is_archived');
      if (channel.members && !channel.members.includes(userId)) throw new ApiError('user_not_in_channel');
      this.checkMessageContent(args, true);
      const blocks = this.withBlockIds(args.blocks);
      const message: FakeMessage = {
        channel: channel.id,
        ts: this.nextTs(at),
        text: nonEmpty(args.text) ?? '',
        ...(blocks ? { blocks } : {}),
        ...(nonEmpty(args.thread_ts) ? { thread_ts: str(args.thread_ts) } : {}),
        ephemeralTo: userId,
        deleted: false,
        edits: 0,
      };
      this.messages.push(message);
      return { ok: true, message_ts: message.ts };
    },

    'chat.update': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      if (ts === undefined) throw new ApiError('message_not_found');
      const message = this.messages.find((m) => m.channel === channel.id && m.ts === ts && !m.deleted && !m.ephemeralTo);
      if (!message) throw new ApiError('message_not_found');
      this.checkMessageContent(args, true);
      const blocks = this.withBlockIds(args.blocks);
      if (nonEmpty(args.text) !== undefined) message.text = str(args.text)!;
      if (blocks) message.blocks = blocks;
      if (Array.isArray(args.attachments)) message.attachments = args.attachments;
      message.edits += 1;
      return { ok: true, channel: channel.id, ts, text: message.text, message: this.messageObject(message) };
    },

    'chat.delete': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const message = this.messages.find((m) => m.channel === channel.id && m.ts === ts && !m.deleted && !m.ephemeralTo);
      if (!message) throw new ApiError('message_not_found');
      message.deleted = true;
      return { ok: true, channel: channel.id, ts: message.ts };
    },

    'files.getUploadURLExternal': (args, at) => {
      const filename = nonEmpty(args.filename);
      if (filename === undefined) throw missing('filename');
      const rawLength = str(args.length);
      if (rawLength === undefined || rawLength === '') throw missing('length');
      if (!/^\d+$/.test(rawLength.trim()) || Number(rawLength) < 1) {
        throw invalidArguments([`invalid value for length: must be a positive integer [json-pointer:/length]`]);
      }
      const altText = str(args.alt_txt) ?? str(args.alt_text);
      if (altText !== undefined && altText.length > 1000) throw new ApiError('alt_txt_too_large');
      const id = this.nextId('F');
      const uploadUrl = `${this.url}/upload/v1/${id}/${Math.random().toString(36).slice(2, 12)}`;
      const snippetType = nonEmpty(args.snippet_type);
      this.files.push({
        id,
        filename,
        length: Number(rawLength),
        ...(altText !== undefined ? { altText } : {}),
        ...(snippetType !== undefined ? { snippetType } : {}),
        uploadUrl,
        completed: false,
        channels: [],
        createdAt: at,
      });
      return { ok: true, upload_url: uploadUrl, file_id: id };
    },

    'files.completeUploadExternal': (args, at) => {
      const list = args.files;
      if (list === undefined || list === '') throw missing('files');
      if (!Array.isArray(list) || list.length === 0) throw invalidArguments(['files must be a non-empty array [json-pointer:/files]']);
      const entries = list.map((entry: unknown, i) => {
        const e = entry as { id?: unknown; title?: unknown } | null;
        const id = typeof e === 'object' && e !== null ? nonEmpty(e.id) : undefined;
        if (id === undefined) throw invalidArguments([`missing required field: id [json-pointer:/files/${i}/id]`]);
        return { id, title: typeof e?.title === 'string' ? e.title : undefined };
      });
      // Uploads not started here, not finished (no bytes), or already completed are all unknown to Slack.
      const files = entries.map(({ id }) => {
        const file = this.files.find((f) => f.id === id);
        if (!file || file.completed || file.bytes === undefined) throw new ApiError('file_not_found');
        return file;
      });
      const channelIds = [
        ...(nonEmpty(args.channel_id) !== undefined ? [str(args.channel_id)!] : []),
        ...(str(args.channels) ?? '').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      ];
      if (channelIds.length > 100) throw new ApiError('channels_limit_exceeded');
      const threadTs = nonEmpty(args.thread_ts);
      if (threadTs !== undefined && channelIds.length !== 1) throw invalidArguments(['thread_ts needs exactly one channel [json-pointer:/thread_ts]']);
      const channels = channelIds.map((c) => {
        const channel = this.resolveChannel(c);
        if (channel.is_archived) throw new ApiError('is_archived');
        return channel;
      });
      const comment = str(args.initial_comment);
      if (comment !== undefined && comment.length > BLOCK_KIT_LIMITS.messageText) throw new ApiError('msg_too_long');
      entries.forEach(({ title }, i) => {
        const file = files[i]!;
        file.completed = true;
        file.title = title ?? file.filename;
        file.channels = channels.map((c) => c.id);
        if (comment !== undefined) file.initialComment = comment;
        if (threadTs !== undefined) file.threadTs = threadTs;
      });
      // Sharing posts one message per channel carrying the files, introduced by the comment.
      for (const channel of channels) {
        this.messages.push({
          channel: channel.id,
          ts: this.nextTs(at),
          text: comment ?? '',
          ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
          files: files.map((f) => f.id),
          deleted: false,
          edits: 0,
        });
      }
      return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
    },

    'views.open': (args, at) => {
      const view = this.viewArg(args, 'modal');
      const userId = this.checkTrigger(args, at);
      this.checkExternalId(view);
      const id = this.nextId('V');
      const out = this.materializeView(view, id);
      this.views.set(id, { id, type: 'modal', userId, view: out, updates: 0 });
      return { ok: true, view: out };
    },

    'views.push': (args, at) => {
      const view = this.viewArg(args, 'modal');
      const userId = this.checkTrigger(args, at);
      this.checkExternalId(view);
      const id = this.nextId('V');
      const out = this.materializeView(view, id);
      this.views.set(id, { id, type: 'modal', userId, view: out, updates: 0 });
      return { ok: true, view: out };
    },

    'views.update': (args) => {
      const viewId = nonEmpty(args.view_id);
      const externalId = nonEmpty(args.external_id);
      if (viewId === undefined && externalId === undefined) throw missing('view_id');
      if (args.view === undefined || args.view === '') throw missing('view');
      const existing =
        viewId !== undefined ? this.views.get(viewId) : [...this.views.values()].find((v) => v.view.external_id === externalId);
      if (!existing) throw new ApiError('not_found');
      const view = this.viewArg(args, existing.type);
      const hash = nonEmpty(args.hash);
      if (hash !== undefined && hash !== existing.view.hash) throw new ApiError('hash_conflict');
      this.checkExternalId(view, existing.id);
      existing.view = this.materializeView(view, existing.id, {
        previousViewId: existing.view.previous_view_id as string | null,
        rootViewId: existing.view.root_view_id as string,
      });
      existing.updates += 1;
      return { ok: true, view: existing.view };
    },

    'views.publish': (args) => {
      const userId = nonEmpty(args.user_id);
      if (userId === undefined) throw missing('user_id');
      const view = this.viewArg(args, 'home');
      if (!this.user(userId)) throw new ApiError('user_not_found');
      const existing = this.homeView(userId);
      const hash = nonEmpty(args.hash);
      if (existing && hash !== undefined && hash !== existing.view.hash) throw new ApiError('hash_conflict');
      const id = existing?.id ?? stableId('V', `${this.team.id}:home:${userId}`);
      const out = this.materializeView(view, id);
      if (existing) {
        existing.view = out;
        existing.updates += 1;
      } else this.views.set(id, { id, type: 'home', userId, view: out, updates: 0 });
      return { ok: true, view: out };
    },
  };
}

/**
 * Starts the fake Web API on 127.0.0.1 at a free port. Always `await fake.close()` in afterAll.
 */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const fake = new FakeSlackApiServer(options);
  await fake.listen();
  return fake;
}
