/**
 * The fake workspace's shared state and the helpers every method group needs: who exists, which
 * conversations exist, what was posted, and the errors Slack answers with. The method groups in
 * methods/ each receive one {@link SlackState}, so a message posted by chat.postMessage is the
 * one conversations.history lists and a DM opened by conversations.open is the one chat.* resolves.
 */
import { EventEmitter } from 'node:events';
import { validateBlocks, BLOCK_KIT_LIMITS } from './block-kit.ts';
import { FAKE_APP, FAKE_BOT_TOKEN, FAKE_TEAM, formatTs, stableId } from './defaults.ts';
import type {
  FakeFile,
  FakeMessage,
  FakeSlackApiOptions,
  FakeSlackChannel,
  FakeSlackUser,
  FakeView,
  RecordedCall,
  ResponseUrlPost,
  SlackApiBody,
} from './types.ts';

/** A Slack error answer (`{ok:false,error:code,...extra}` with HTTP 200), thrown by method handlers. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** Slack's shape for validation failures; invalid_blocks also lists the bare messages under `errors`. */
export function invalidArguments(messages: string[], code = 'invalid_arguments'): ApiError {
  return new ApiError(code, {
    ...(code === 'invalid_blocks' ? { errors: messages } : {}),
    response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) },
  });
}

export function missing(name: string): ApiError {
  return invalidArguments([`missing required field: ${name}`]);
}

export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** A form-encoded or JSON argument as a string (Slack accepts `"5"`, `5` and `true` alike). */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function nonEmpty(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined || s.trim() === '' ? undefined : s;
}

/** One Web API method: decoded arguments and the arrival time in, a body out (or a thrown {@link ApiError}). */
export type MethodHandler = (args: Record<string, unknown>, at: number) => SlackApiBody;

/** The methods a route group serves, by name (`chat.postMessage`, ...). */
export type MethodTable = Record<string, MethodHandler>;

/** Everything the fake remembers between calls; {@link reset} forgets what one test did. */
export class SlackState {
  /** http://127.0.0.1:<port>, set once the server listens (upload and response URLs point here). */
  url = '';
  readonly team: { id: string; name: string; domain: string };
  readonly app: { appId: string; botId: string; botUserId: string; botName: string };
  readonly now: () => number;
  /** 'call' after every recorded API call, 'response' after every response_url post. */
  readonly events = new EventEmitter();

  readonly calls: RecordedCall[] = [];
  readonly responsePosts: ResponseUrlPost[] = [];
  readonly messages: FakeMessage[] = [];
  readonly views = new Map<string, FakeView>();
  readonly files: FakeFile[] = [];
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  readonly openedIms = new Set<string>();
  readonly triggers = new Map<string, { issuedAt: number; userId?: string; used: boolean }>();
  readonly responseUrls = new Map<string, { createdAt: number; uses: number }>();
  readonly tokens: Set<string>;
  readonly revoked = new Set<string>();
  readonly firstToken: string;
  /** Shared by API calls and response_url posts, so the two can be ordered. */
  seq = 0;
  idCounter = 0;
  private lastTsMicros = 0;

  constructor(readonly opts: FakeSlackApiOptions) {
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
  }

  /** Forgets what a test did; keeps users, channels and tokens. */
  reset(): void {
    this.calls.length = 0;
    this.responsePosts.length = 0;
    this.messages.length = 0;
    this.views.clear();
    this.files.length = 0;
    this.triggers.clear();
    this.responseUrls.clear();
    this.revoked.clear();
    this.openedIms.clear();
  }

  /** A message ts after every earlier one, even when the clock stands still. */
  nextTs(at: number): string {
    this.lastTsMicros = Math.max(at * 1000, this.lastTsMicros + 1);
    return formatTs(this.lastTsMicros);
  }

  nextId(prefix: string): string {
    this.idCounter += 1;
    return stableId(prefix, `${this.team.id}:${prefix}:${this.idCounter}:${this.now()}`);
  }

  dmChannelFor(userId: string): string {
    return stableId('D', `${this.team.id}:im:${userId}`);
  }

  /** A user ID resolves to the bot's DM with that user, as Slack does for chat.* channels. */
  channelOrDm(channel: string): string {
    return USER_ID.test(channel) ? this.dmChannelFor(channel) : channel;
  }

  homeView(userId: string): FakeView | undefined {
    return [...this.views.values()].find((v) => v.type === 'home' && v.userId === userId);
  }

  user(id: string): FakeSlackUser | undefined {
    const known = this.users.get(id);
    if (known) return known;
    if (this.opts.unknownUsers === 'reject' || !USER_ID.test(id)) return undefined;
    return { id };
  }

  resolveChannel(raw: unknown): FakeSlackChannel {
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

  imChannel(userId: string): FakeSlackChannel {
    const id = this.dmChannelFor(userId);
    const existing = this.channels.get(id);
    if (existing) return existing;
    const channel = { id, members: [userId, this.app.botUserId], is_private: true };
    this.channels.set(id, channel);
    return channel;
  }

  checkMessageContent(args: Record<string, unknown>, requireContent: boolean): void {
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

  withBlockIds(blocks: unknown): unknown[] | undefined {
    if (!Array.isArray(blocks)) return undefined;
    return blocks.map((b: unknown) => {
      if (typeof b !== 'object' || b === null) return b;
      const block = b as Record<string, unknown>;
      // Slack fills in a short random block_id when the app gives none.
      return block.block_id === undefined ? { ...block, block_id: Math.random().toString(36).slice(2, 7) } : block;
    });
  }
}
