/**
 * A faithful, in-process fake of Discord (REST API v10 + Gateway v10) that the
 * REAL discord.js 14 client can log into. Circulate's Discord adapter is tested
 * end-to-end against it: the adapter runs unmodified, and tests drive it by
 * dispatching gateway events (interactions, guild joins/leaves) and asserting
 * on the REST calls it made (what was posted, to whom, who would be pinged).
 *
 * Point discord.js at it with:
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restBase } });
 * await client.login(fake.token);
 * ```
 * `GET /gateway/bot` tells @discordjs/ws to connect to `fake.gatewayUrl`.
 *
 * Fidelity choices (see README.md): payload limits, error codes/shapes,
 * interaction acknowledgement rules, 429 headers and allowed_mentions
 * semantics follow Discord's docs. Not modelled: real rate-limit buckets
 * (only injected 429s), per-channel permission overwrites, ETF encoding.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { APIGuildMember, APIRole, APIUser } from 'discord.js';
import {
  ALL_PERMISSIONS,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  makeMember,
  makeRole,
  makeTextChannel,
  makeUser,
  Perm,
  snowflake,
} from './fixtures.ts';
import { computePings, type Pings } from './mentions.ts';
import {
  FormErrors,
  isObj,
  MessageFlag,
  validateAutocompleteResult,
  validateCommand,
  validateCommandList,
  validateMessageBody,
  validateModal,
  type DiscordErrorBody,
  type Obj,
} from './validation.ts';

export { snowflake, Perm, ALL_PERMISSIONS } from './fixtures.ts';
export { computePings, hasMentionSyntax, parseMentionSyntax, type Pings } from './mentions.ts';
export type { DiscordErrorBody, Obj } from './validation.ts';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** A user known to the fake. `refusesDMs` makes messages to their DM channel fail with 50007. */
export interface FakeUserInit {
  id?: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
  refusesDMs?: boolean;
}

/** A guild role; `permissions` as bigint bits or decimal string. */
export interface FakeRoleInit {
  id?: string;
  name: string;
  permissions?: bigint | string;
  mentionable?: boolean;
}

/** A guild member: `user` and `roles` may be ids or names. */
export interface FakeMemberInit {
  user: string;
  roles?: string[];
  nick?: string | null;
}

/** A guild channel (default type 0, text). */
export interface FakeChannelInit {
  id?: string;
  name: string;
  type?: number;
  parent_id?: string | null;
  topic?: string | null;
}

/** A guild the bot is in. Members default to every non-bot user; the bot is always added. */
export interface FakeGuildInit {
  id?: string;
  name: string;
  /** Owner user (id or username); defaults to the first member. */
  owner?: string;
  everyonePermissions?: bigint;
  roles?: FakeRoleInit[];
  channels?: FakeChannelInit[];
  members?: FakeMemberInit[];
  preferred_locale?: string;
}

/** Options for {@link startFakeDiscord}. Everything has a sensible default. */
export interface FakeDiscordOptions {
  /** Bot token expected in `Authorization: Bot <token>` and IDENTIFY. */
  token?: string;
  applicationId?: string;
  botUsername?: string;
  /** Users; default: owner, mod, alice, bob, carol (carol refuses DMs). */
  users?: FakeUserInit[];
  /** Guilds; default: one "Circulate Test Guild" with #general and #introductions and a Moderators role (Manage Server). */
  guilds?: FakeGuildInit[];
  /** HELLO heartbeat_interval in ms (Discord sends 41250). */
  heartbeatInterval?: number;
  /** Callbacks later than this after dispatch get 10062 Unknown interaction (Discord: 3000). 0 disables. */
  interactionAckDeadlineMs?: number;
  /** Privileged intents the "developer portal" enabled (bits); default 'all'. Others close with 4014. */
  privilegedIntents?: number | 'all';
  /** Reject (400) message-creating calls whose content has mention syntax but no allowed_mentions. */
  requireAllowedMentions?: boolean;
  /** Permissions of the bot's managed role. */
  botPermissions?: bigint;
}

/** A file uploaded with a multipart request. */
export interface RecordedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

/** One REST request the bot made, with the fake's answer. */
export interface RecordedCall {
  seq: number;
  at: number;
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/channels/123/messages` or `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Path as sent (fetch percent-encodes `@` as `%40`). */
  rawPath: string;
  /** Route template, e.g. `/channels/:channel/messages`, or null when unhandled. */
  route: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body (or `payload_json` of multipart bodies). */
  body: unknown;
  files: RecordedFile[];
  status: number;
  response: unknown;
  /** Set when the answer came from {@link FakeDiscord.injectRateLimit} / {@link FakeDiscord.injectError}. */
  injected?: 'rate-limit' | 'error';
  /** No route matched: the adapter called something the fake does not implement. */
  unhandled?: boolean;
  /** For message-creating calls: who would be notified. */
  pings?: Pings;
  /** Set when content has mention syntax but the payload carries no allowed_mentions. */
  mentionWarning?: string;
  /** For interaction callbacks / interaction webhooks: the interaction id. */
  interactionId?: string;
  /** Message created or edited by this call. */
  messageId?: string;
}

/** Tracking of one dispatched interaction. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  raw: Obj;
  dispatchedAt: number;
  acknowledged: boolean;
  /** Interaction response type used in the (successful) callback. */
  responseType: number | null;
  callbacks: RecordedCall[];
  originalMessageId: string | null;
  followupIds: string[];
  /** For type-9 responses: the modal shown. */
  modal: Obj | null;
}

/** An IDENTIFY the fake accepted. */
export interface IdentifyRecord {
  sessionId: string;
  intents: number;
  shard: [number, number];
  properties: unknown;
  compress: boolean;
  at: number;
}

/** Common inputs of the interaction builders. */
export interface InteractionInit {
  /** Invoking user: id, username or user object (default: alice). */
  user?: string | APIUser;
  /** Guild id, or null for a DM interaction (default: first guild). */
  guild_id?: string | null;
  /** Channel id or name (default: the guild's first text channel or the user's DM). */
  channel_id?: string;
  /** Adds Manage Server (0x20) to the member's permissions. */
  moderator?: boolean;
  /** Overrides the member's computed permissions. */
  permissions?: bigint | string;
  locale?: string;
  id?: string;
  token?: string;
}

/** A raw INTERACTION_CREATE payload as built by the fake's builders (typed where tests need it). */
export type FakeInteraction = Obj & { id: string; token: string; type: number; application_id: string; channel_id: string; guild_id?: string };

/** Option value sugar for builders; `{ user }` becomes a USER (6) option with resolved data. */
export type OptionValue = string | number | boolean | { user: string };
/** Builder options: raw API options, or a name → value record. */
export type OptionsInit = Obj[] | Record<string, OptionValue>;

interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RequestCtx {
  call: RecordedCall;
  params: Record<string, string>;
  body: Obj;
  rawBody: unknown;
  query: URLSearchParams;
}

interface Route {
  method: string;
  template: string;
  re: RegExp;
  keys: string[];
  auth: boolean;
  handler: (ctx: RequestCtx) => RouteResult | Promise<RouteResult>;
}

interface Injection {
  kind: 'rate-limit' | 'error';
  method: string | null;
  route: RegExp;
  remaining: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Conn {
  ws: WebSocket;
  session: Session | null;
  deflate: zlib.Deflate | null;
  chunks: Buffer[];
  chain: Promise<void>;
}

interface Session {
  id: string;
  conn: Conn | null;
  seq: number;
  intents: number;
  shard: [number, number];
  buffer: Array<{ s: number; payload: Obj }>;
}

/** The fake's view of a guild (roles, channels, members). */
export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  channelIds: string[];
  threadIds: string[];
  members: Map<string, APIGuildMember>;
  joinedAt: string;
  preferredLocale: string;
}

const GATEWAY_VERSION = 10;
const CALLBACK_ROUTE = '/interactions/:interaction/:token/callback';
const KNOWN_INTENTS = (1 << 26) - 1;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const INTENT_GUILD_MEMBERS = 1 << 1;
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;

const err = (status: number, code: number, message: string, extra: Obj = {}): RouteResult => ({
  status,
  body: { message, code, ...extra },
});
const bad = (body: DiscordErrorBody): RouteResult => ({ status: 400, body });
const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const noContent: RouteResult = { status: 204 };

function routeRe(template: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = template.replace(/:(\w+)/g, (_m, k: string) => {
    keys.push(k);
    return '([^/]+)';
  });
  return { re: new RegExp(`^${src}$`), keys };
}

// ---------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------

/**
 * A running fake Discord. Emits `call` (RecordedCall), `identify`
 * (IdentifyRecord), `resume`, `heartbeat` and `connection` events for tests
 * that want to observe the protocol directly.
 */
export class FakeDiscord extends EventEmitter {
  /** Pass as discord.js `rest.api` (or `new REST({ api })`). */
  readonly restBase: string;
  /** Where `GET /gateway/bot` sends clients. */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** Every REST call, in arrival order. Cleared by {@link reset}. */
  readonly calls: RecordedCall[] = [];
  /** Every accepted IDENTIFY (intents, shard, properties). Cleared by {@link reset}. */
  readonly identifies: IdentifyRecord[] = [];
  /** Heartbeats received (op 1). */
  heartbeats = 0;
  /** Application commands by scope (`'global'` or guild id), as stored after PUT/POST. */
  readonly commands = new Map<string, Obj[]>();
  /** Messages by id (channel messages, interaction responses, follow-ups). */
  readonly messages = new Map<string, Obj>();

  private readonly opts: Required<Pick<FakeDiscordOptions, 'heartbeatInterval' | 'interactionAckDeadlineMs' | 'requireAllowedMentions' | 'botPermissions'>> & {
    privilegedIntents: number | 'all';
  };
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly routes: Route[] = [];
  private readonly users = new Map<string, APIUser>();
  private readonly refusesDMs = new Set<string>();
  private readonly guilds = new Map<string, GuildState>();
  private readonly channels = new Map<string, Obj>();
  private readonly dmByUser = new Map<string, string>();
  private readonly threadMembers = new Map<string, Set<string>>();
  /** `channel:author:nonce` → message id and when, for `enforce_nonce`. */
  private readonly nonces = new Map<string, { id: string; at: number }>();
  /** How long an enforced nonce returns its message instead of a new one (Discord: "the past few minutes"). */
  nonceWindowMs = 5 * 60_000;
  /** Late answers: see {@link setLatency}. */
  private latencies: { route: RegExp; method: string | null; ms: number }[] = [];
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly modalsByCustomId = new Map<string, { modal: Obj; message: Obj | null }>();
  private readonly sessions = new Map<string, Session>();
  private readonly conns = new Set<Conn>();
  private injections: Injection[] = [];
  private seq = 0;

  /** @internal use {@link startFakeDiscord} */
  constructor(server: http.Server, wss: WebSocketServer, port: number, options: FakeDiscordOptions) {
    super();
    this.server = server;
    this.wss = wss;
    this.port = port;
    this.restBase = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.token = options.token ?? 'fake-bot-token.circulate.test';
    this.applicationId = options.applicationId ?? snowflake();
    this.opts = {
      heartbeatInterval: options.heartbeatInterval ?? 41250,
      interactionAckDeadlineMs: options.interactionAckDeadlineMs ?? 3000,
      requireAllowedMentions: options.requireAllowedMentions ?? false,
      botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      privilegedIntents: options.privilegedIntents ?? 'all',
    };
    this.botUser = makeUser({ id: this.applicationId, username: options.botUsername ?? 'Circulate', bot: true });
    this.users.set(this.botUser.id, this.botUser);
    const users = options.users ?? [
      { username: 'owner' },
      { username: 'mod' },
      { username: 'alice', global_name: 'Alice Archivist' },
      { username: 'bob', global_name: 'Bob Bibliographer' },
      { username: 'carol', global_name: 'Carol Cataloguer', refusesDMs: true },
    ];
    for (const u of users) this.addUser(u);
    const guilds = options.guilds ?? [
      {
        name: 'Circulate Test Guild',
        owner: 'owner',
        roles: [{ name: 'Moderators', permissions: DEFAULT_EVERYONE_PERMISSIONS | Perm.ManageGuild }],
        channels: [{ name: 'general' }, { name: 'introductions' }],
        members: users.filter((u) => !u.bot).map((u) => ({ user: u.username, roles: u.username === 'mod' ? ['Moderators'] : [] })),
      },
    ];
    for (const g of guilds) this.addGuild(g);
    this.installRoutes();
    server.on('request', (req, res) => void this.handleHttp(req, res));
    wss.on('connection', (ws, req) => this.handleConnection(ws, req));
  }

  /** Client options that point discord.js at this fake: spread into `new Client({...})`. */
  clientOptions(): { rest: { api: string } } {
    return { rest: { api: this.restBase } };
  }

  // -------------------------------------------------------------------------
  // World state
  // -------------------------------------------------------------------------

  /** Adds a user (returns the raw user object). */
  addUser(init: FakeUserInit): APIUser {
    const user = makeUser({ id: init.id, username: init.username, global_name: init.global_name ?? null, bot: init.bot });
    this.users.set(user.id, user);
    if (init.refusesDMs) this.refusesDMs.add(user.id);
    return user;
  }

  /** Makes a user refuse (or accept) DMs from the bot: sends fail with 403/50007. */
  setRefusesDMs(userRef: string, refuses = true): void {
    const id = this.user(userRef).id;
    if (refuses) this.refusesDMs.add(id);
    else this.refusesDMs.delete(id);
  }

  /** Looks a user up by id or username (throws if unknown: tests should fail loudly). */
  user(ref: string): APIUser {
    const u = this.users.get(ref) ?? [...this.users.values()].find((x) => x.username === ref);
    if (!u) throw new Error(`FakeDiscord: unknown user ${ref}`);
    return u;
  }

  /** Guild state by id or name; default: the first guild. */
  guild(ref?: string): GuildState {
    const g = ref === undefined ? this.guilds.values().next().value : (this.guilds.get(ref) ?? [...this.guilds.values()].find((x) => x.name === ref));
    if (!g) throw new Error(`FakeDiscord: unknown guild ${ref ?? '(default)'}`);
    return g;
  }

  /** Channel object by id, or by name within the default guild; default: the first guild's first text channel. */
  channel(ref?: string): Obj {
    if (ref !== undefined) {
      const byId = this.channels.get(ref);
      if (byId) return byId;
    }
    const g = this.guild();
    const found = g.channelIds.map((id) => this.channels.get(id)).find((c) => c && (ref === undefined ? c.type === 0 : c.name === ref));
    if (!found) throw new Error(`FakeDiscord: unknown channel ${ref ?? '(default)'}`);
    return found;
  }

  /** Role by id or name in a guild (default guild). */
  role(ref: string, guildRef?: string): APIRole {
    const r = this.guild(guildRef).roles.find((x) => x.id === ref || x.name === ref);
    if (!r) throw new Error(`FakeDiscord: unknown role ${ref}`);
    return r;
  }

  /** Adds a guild to the world (does not dispatch; see {@link guildCreate}). */
  addGuild(init: FakeGuildInit): GuildState {
    const id = init.id ?? snowflake();
    const everyone = makeRole({ id, name: '@everyone', permissions: (init.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS).toString() });
    const botRole = makeRole({
      id: snowflake(),
      name: this.botUser.username,
      permissions: this.opts.botPermissions.toString(),
      managed: true,
      position: 1,
      tags: { bot_id: this.botUser.id },
    });
    const roles = [everyone, botRole];
    (init.roles ?? []).forEach((r, i) =>
      roles.push(
        makeRole({
          id: r.id ?? snowflake(),
          name: r.name,
          permissions: (r.permissions ?? 0n).toString(),
          mentionable: r.mentionable ?? false,
          position: i + 2,
        }),
      ),
    );
    const state: GuildState = {
      id,
      name: init.name,
      ownerId: '',
      roles,
      channelIds: [],
      threadIds: [],
      members: new Map(),
      joinedAt: new Date().toISOString(),
      preferredLocale: init.preferred_locale ?? 'en-US',
    };
    this.guilds.set(id, state);
    (init.channels ?? [{ name: 'general' }]).forEach((c, i) => {
      const ch = { ...makeTextChannel({ id: c.id, name: c.name, guild_id: id, position: i, parent_id: c.parent_id, topic: c.topic }), type: c.type ?? 0 } as Obj;
      this.channels.set(ch.id as string, ch);
      state.channelIds.push(ch.id as string);
    });
    const memberInits: FakeMemberInit[] = init.members ?? [...this.users.values()].filter((u) => !u.bot).map((u) => ({ user: u.id }));
    for (const m of memberInits) {
      const user = this.user(m.user);
      const member = makeMember(user, (m.roles ?? []).map((r) => roles.find((x) => x.id === r || x.name === r)?.id ?? r));
      member.nick = m.nick ?? null;
      state.members.set(user.id, member);
    }
    state.members.set(this.botUser.id, makeMember(this.botUser, [botRole.id]));
    state.ownerId = init.owner ? this.user(init.owner).id : (memberInits[0] ? this.user(memberInits[0].user).id : this.botUser.id);
    return state;
  }

  /** Permissions of a member in a guild (role union; owner/Administrator → all). */
  memberPermissions(guildId: string, userId: string): bigint {
    const g = this.guild(guildId);
    if (g.ownerId === userId) return ALL_PERMISSIONS;
    const member = g.members.get(userId);
    let bits = BigInt(g.roles.find((r) => r.id === g.id)?.permissions ?? '0');
    for (const rid of member?.roles ?? []) bits |= BigInt(g.roles.find((r) => r.id === rid)?.permissions ?? '0');
    return bits & Perm.Administrator ? ALL_PERMISSIONS : bits;
  }

  /** The raw GUILD_CREATE payload for a guild (what discord.js caches). */
  guildPayload(guildId: string, intents = 0): Obj {
    const g = this.guild(guildId);
    const allMembers = [...g.members.values()];
    const members = intents & INTENT_GUILD_MEMBERS ? allMembers : allMembers.filter((m) => m.user.id === this.botUser.id);
    return {
      id: g.id,
      name: g.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: g.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: g.roles,
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: g.channelIds[0] ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: g.preferredLocale,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
      hub_type: null,
      // Gateway-only GUILD_CREATE fields:
      joined_at: g.joinedAt,
      large: false,
      unavailable: false,
      member_count: allMembers.length,
      voice_states: [],
      members,
      channels: g.channelIds.map((id) => this.channels.get(id)),
      threads: g.threadIds.map((id) => this.channels.get(id)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      lazy: true,
    };
  }

  /** The DM channel between the bot and a user (created on demand, like POST /users/@me/channels). */
  /** The member leaves the guild (REST sees it at once): later member lookups and thread adds answer 10007. */
  memberLeave(guildRef: string, userRef: string): void {
    const g = this.guild(guildRef);
    const userId = this.user(userRef).id;
    g.members.delete(userId);
    this.dispatch('GUILD_MEMBER_REMOVE', { guild_id: g.id, user: this.users.get(userId) });
  }

  dmChannelOf(userRef: string): Obj {
    const user = this.user(userRef);
    const existing = this.dmByUser.get(user.id);
    if (existing) return this.channels.get(existing) as Obj;
    const ch: Obj = { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [user] };
    this.channels.set(ch.id as string, ch);
    this.dmByUser.set(user.id, ch.id as string);
    return ch;
  }

  /** Messages in a channel (id or name), oldest first. */
  messagesIn(channelRef: string): Obj[] {
    const id = this.channel(channelRef).id;
    return [...this.messages.values()].filter((m) => m.channel_id === id);
  }

  /** Messages the bot delivered to a user's DMs, oldest first. */
  dmsTo(userRef: string): Obj[] {
    const id = this.dmByUser.get(this.user(userRef).id);
    return id ? [...this.messages.values()].filter((m) => m.channel_id === id) : [];
  }

  /** Members of a thread (user ids), as added by the bot. */
  threadMembersOf(threadId: string): string[] {
    return [...(this.threadMembers.get(threadId) ?? [])];
  }

  /** Tracking record of a dispatched interaction. */
  interaction(id: string): InteractionRecord | undefined {
    return this.interactions.get(id);
  }

  /** The current original response message of an interaction (after callbacks and @original edits). */
  originalResponse(interactionId: string): Obj | null {
    const rec = this.interactions.get(interactionId);
    return rec?.originalMessageId ? (this.messages.get(rec.originalMessageId) ?? null) : null;
  }

  // -------------------------------------------------------------------------
  // Call log helpers
  // -------------------------------------------------------------------------

  /** Calls with this method whose path matches `route` (regex on the path after `/api/v10`). */
  callsTo(method: string, route: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method.toUpperCase() && route.test(c.path));
  }

  /** Calls no route handled: the adapter used an endpoint the fake lacks (or a wrong path). */
  unhandledCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.unhandled);
  }

  /** Calls that created a message (channel messages, follow-ups, type-4 callbacks), with pings. */
  messageCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.pings !== undefined);
  }

  /**
   * Who a message-creating call would notify, following allowed_mentions
   * rules; computed from the call's body when it was not a message call.
   */
  pingsOf(call: RecordedCall): Pings {
    if (call.pings) return call.pings;
    const body = isObj(call.body) ? (isObj(call.body.data) ? call.body.data : call.body) : {};
    return computePings(body, this.repliedAuthor(body));
  }

  /** Forgets recorded calls, identifies, heartbeats and pending injections (world state — users, guilds, messages, commands — stays). */
  reset(): void {
    this.calls.length = 0;
    this.identifies.length = 0;
    this.heartbeats = 0;
    this.injections = [];
  }

  /**
   * Resolves with the first call (already recorded or future) matching
   * `predicate`, after the fake has answered it. Rejects after `timeoutMs`.
   */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall): void => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(new Error(`FakeDiscord.waitForCall: no matching call within ${timeoutMs}ms; calls: ${this.calls.map((c) => `${c.method} ${c.path} → ${c.status}`).join(', ') || '(none)'}`));
      }, timeoutMs);
      this.on('call', onCall);
    });
  }

  /** Resolves with the bot's (first) interaction callback for `interactionId`. */
  waitForCallback(interactionId: string, timeoutMs = 5000): Promise<RecordedCall> {
    return this.waitForCall((c) => c.route === CALLBACK_ROUTE && c.params.interaction === interactionId, timeoutMs);
  }

  /** Resolves with the next accepted IDENTIFY (or the latest one if already received). */
  waitForIdentify(timeoutMs = 5000): Promise<IdentifyRecord> {
    const last = this.identifies.at(-1);
    if (last) return Promise.resolve(last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('FakeDiscord.waitForIdentify timed out')), timeoutMs);
      this.once('identify', (r: IdentifyRecord) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  // -------------------------------------------------------------------------
  // Fault injection
  // -------------------------------------------------------------------------

  /**
   * Answers the next `times` matching requests with 429, Discord-style: body
   * `{message, retry_after, global}` and headers `Retry-After` (whole seconds,
   * rounded up, as Discord sends), `X-RateLimit-Limit/Remaining(0)/Reset/
   * Reset-After/Bucket/Scope` (+ `X-RateLimit-Global` when global).
   * @discordjs/rest waits for Reset-After (sequential buckets) or Retry-After
   * (interaction callbacks) and retries transparently.
   */
  injectRateLimit(opts: { route: RegExp; method?: string; times?: number; retryAfter?: number; global?: boolean; scope?: 'user' | 'global' | 'shared' }): void {
    const retryAfter = opts.retryAfter ?? 0.5;
    const global = opts.global ?? false;
    const headers: Record<string, string> = {
      'Retry-After': String(Math.ceil(retryAfter)),
      'X-RateLimit-Limit': '5',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': retryAfter.toFixed(3),
      'X-RateLimit-Bucket': randomBytes(16).toString('hex'),
      'X-RateLimit-Scope': opts.scope ?? (global ? 'global' : 'user'),
      ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
    };
    this.injections.push({
      kind: 'rate-limit',
      method: opts.method?.toUpperCase() ?? null,
      route: opts.route,
      remaining: opts.times ?? 1,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
      headers,
    });
  }

  /**
   * Answers the next `times` matching requests with `status` (default 500).
   * Note @discordjs/rest retries 5xx up to `retries` (3) times before throwing
   * HTTPError, so `times <= 3` is invisible to the bot except for latency.
   */
  /**
   * Answers matching calls `ms` late, after they took effect: a slow Discord whose message
   * exists while the caller still waits. `ms` 0 removes the rule for that route.
   */
  setLatency(opts: { route: RegExp; method?: string; ms: number }): void {
    this.latencies = this.latencies.filter((l) => l.route.source !== opts.route.source || l.method !== (opts.method ?? null));
    if (opts.ms > 0) this.latencies.push({ route: opts.route, method: opts.method ?? null, ms: opts.ms });
  }

  injectError(opts: { route: RegExp; method?: string; times?: number; status?: number; body?: unknown }): void {
    const status = opts.status ?? 500;
    this.injections.push({
      kind: 'error',
      method: opts.method?.toUpperCase() ?? null,
      route: opts.route,
      remaining: opts.times ?? 1,
      status,
      body: opts.body ?? (status >= 500 ? { message: '500: Internal Server Error', code: 0 } : { message: 'Error', code: 0 }),
      headers: {},
    });
  }

  // -------------------------------------------------------------------------
  // Gateway: dispatching
  // -------------------------------------------------------------------------

  /** Dispatches an event (op 0) with the next sequence number to every live session; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      this.dispatchTo(s, t, d);
      n++;
    }
    return n;
  }

  /** Registers and dispatches INTERACTION_CREATE; returns the raw interaction for assertions. */
  sendInteraction<T extends Obj>(interaction: T): T {
    const id = interaction.id as string;
    this.interactions.set(id, {
      id,
      token: interaction.token as string,
      type: interaction.type as number,
      raw: interaction,
      dispatchedAt: Date.now(),
      acknowledged: false,
      responseType: null,
      callbacks: [],
      originalMessageId: null,
      followupIds: [],
      modal: null,
    });
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Adds (if new) and dispatches GUILD_CREATE: the bot joined a guild, or a guild became available. */
  guildCreate(guild: FakeGuildInit | string): Obj {
    const id = typeof guild === 'string' ? this.guild(guild).id : this.addGuild(guild).id;
    let payload: Obj = this.guildPayload(id);
    for (const s of this.sessions.values()) {
      payload = this.guildPayload(id, s.intents);
      this.dispatchTo(s, 'GUILD_CREATE', payload);
    }
    return payload;
  }

  /**
   * Dispatches GUILD_DELETE. `unavailable: true` models an outage (discord.js
   * emits guildUnavailable); otherwise the bot was removed (guildDelete) and the
   * guild leaves the world.
   */
  guildDelete(guildId: string, { unavailable = false }: { unavailable?: boolean } = {}): void {
    if (unavailable) {
      this.dispatch('GUILD_DELETE', { id: guildId, unavailable: true });
      return;
    }
    this.removeGuild(guildId);
    this.dispatch('GUILD_DELETE', { id: guildId });
  }

  /** Sends op 7 RECONNECT: clients should reconnect and RESUME. */
  requestReconnect(): void {
    for (const c of this.conns) this.sendPayload(c, { op: 7, d: null, s: null, t: null });
  }

  /** Closes every gateway connection with `code` (4000 = resumable unknown error). Sessions stay resumable. */
  dropConnections(code = 4000, reason = 'fake: dropped'): void {
    for (const c of this.conns) c.ws.close(code, reason);
  }

  /** Sends op 9 INVALID_SESSION to all; non-resumable sessions are forgotten. */
  invalidateSessions(resumable = false): void {
    for (const c of this.conns) this.sendPayload(c, { op: 9, d: resumable, s: null, t: null });
    if (!resumable) {
      for (const c of this.conns) c.session = null;
      this.sessions.clear();
    }
  }

  /** Number of open gateway connections. */
  get connectionCount(): number {
    return this.conns.size;
  }

  // -------------------------------------------------------------------------
  // Interaction builders
  // -------------------------------------------------------------------------

  /** An APPLICATION_COMMAND (type 2) CHAT_INPUT interaction for `/name`. */
  chatInputInteraction(init: InteractionInit & { name: string; command_id?: string; options?: OptionsInit; subcommand?: string; subcommandGroup?: string }): FakeInteraction {
    const base = this.interactionBase(init, 2);
    const resolved: Obj = {};
    let options = this.buildOptions(init.options, base, resolved);
    if (init.subcommand) options = [{ type: 1, name: init.subcommand, options }];
    if (init.subcommandGroup) options = [{ type: 2, name: init.subcommandGroup, options }];
    const scoped = [...(this.commands.get(base.guild_id as string) ?? []), ...(this.commands.get('global') ?? [])];
    const cmd = scoped.find((c) => c.name === init.name);
    return {
      ...base,
      data: {
        id: init.command_id ?? (cmd?.id as string | undefined) ?? snowflake(),
        name: init.name,
        type: 1,
        ...(options.length ? { options } : {}),
        ...(Object.keys(resolved).length ? { resolved } : {}),
        ...(base.guild_id ? { guild_id: base.guild_id } : {}),
      },
    };
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction; `focused` names the option being typed. */
  autocompleteInteraction(init: InteractionInit & { name: string; focused: string; options?: Record<string, OptionValue>; subcommand?: string }): FakeInteraction {
    const cmd = this.chatInputInteraction({ ...init, options: init.options ?? { [init.focused]: '' } });
    const data = cmd.data as Obj;
    const mark = (opts: Obj[]): void => {
      for (const o of opts) {
        if (o.name === init.focused && o.type !== 1) {
          o.focused = true;
          o.type = 3;
          o.value = String(o.value ?? '');
        }
        if (Array.isArray(o.options)) mark(o.options as Obj[]);
      }
    };
    mark((data.options as Obj[] | undefined) ?? []);
    delete data.resolved;
    return { ...cmd, type: 4 };
  }

  /**
   * A MESSAGE_COMPONENT (type 3) button click. `message` defaults to the most
   * recent stored message carrying a component with this custom_id (i.e. the
   * bot's own message), else a synthesized bot message.
   */
  buttonInteraction(init: InteractionInit & { custom_id: string; message?: Obj | string }): FakeInteraction {
    return this.componentInteraction(init, { custom_id: init.custom_id, component_type: 2 });
  }

  /** A MESSAGE_COMPONENT (type 3) string-select submission. */
  stringSelectInteraction(init: InteractionInit & { custom_id: string; values: string[]; message?: Obj | string }): FakeInteraction {
    return this.componentInteraction(init, { custom_id: init.custom_id, component_type: 3, values: init.values });
  }

  /**
   * A MODAL_SUBMIT (type 5) interaction. Give `fields` (custom_id → value):
   * components mirror the modal the bot last showed with this custom_id
   * (action rows or Label components), falling back to action rows.
   */
  modalSubmitInteraction(init: InteractionInit & { custom_id: string; fields?: Record<string, string>; components?: Obj[]; message?: Obj }): FakeInteraction {
    const shown = this.modalsByCustomId.get(init.custom_id);
    const fields = init.fields ?? {};
    const textInput = (c: Obj): Obj => ({ type: 4, id: c.id, custom_id: c.custom_id, value: fields[c.custom_id as string] ?? '' });
    let components = init.components;
    if (!components && shown && Array.isArray(shown.modal.components)) {
      components = (shown.modal.components as Obj[]).map((c) => {
        if (c.type === 1) return { type: 1, id: c.id, components: ((c.components as Obj[]) ?? []).map(textInput) };
        if (c.type === 18 && isObj(c.component)) return { type: 18, id: c.id, component: textInput(c.component) };
        return { type: c.type, id: c.id };
      });
    }
    components ??= Object.entries(fields).map(([custom_id, value]) => ({ type: 1, components: [{ type: 4, custom_id, value }] }));
    const message = init.message ?? shown?.message ?? undefined;
    const base = this.interactionBase({ ...init, channel_id: init.channel_id ?? (message?.channel_id as string | undefined) }, 5);
    return { ...base, ...(message ? { message } : {}), data: { custom_id: init.custom_id, components } };
  }

  // -------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------

  /** Closes gateway connections and the HTTP server; safe to call twice. */
  async close(): Promise<void> {
    for (const c of this.conns) {
      c.deflate?.close();
      c.ws.terminate();
    }
    this.conns.clear();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.removeAllListeners();
  }

  // =========================================================================
  // Internals: interaction building
  // =========================================================================

  private interactionBase(init: InteractionInit, type: number): FakeInteraction {
    const user = typeof init.user === 'object' ? init.user : this.user(init.user ?? 'alice');
    const guildId = init.guild_id === undefined ? (this.guilds.values().next().value?.id ?? null) : init.guild_id;
    const id = init.id ?? snowflake();
    const token = init.token ?? Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
    const common = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      locale: init.locale ?? 'en-US',
      entitlements: [],
      attachment_size_limit: 10485760,
    };
    if (guildId === null) {
      const dm = init.channel_id ? this.channel(init.channel_id) : this.dmChannelOf(user.id);
      return {
        ...common,
        user,
        channel_id: dm.id as string,
        channel: dm,
        context: 1,
        authorizing_integration_owners: { '0': '0' },
        app_permissions: ALL_PERMISSIONS.toString(),
      };
    }
    const g = this.guild(guildId);
    let member = g.members.get(user.id);
    if (!member) {
      member = makeMember(user);
      g.members.set(user.id, member);
    }
    let perms = init.permissions !== undefined ? BigInt(init.permissions) : this.memberPermissions(g.id, user.id);
    if (init.moderator) perms |= Perm.ManageGuild;
    const channel = init.channel_id ? this.channel(init.channel_id) : this.channel();
    const appPerms = this.memberPermissions(g.id, this.botUser.id);
    return {
      ...common,
      guild_id: g.id,
      guild: { id: g.id, locale: g.preferredLocale, features: [] },
      guild_locale: g.preferredLocale,
      channel_id: channel.id as string,
      channel: { ...channel, permissions: appPerms.toString() },
      member: { ...member, permissions: perms.toString() },
      context: 0,
      authorizing_integration_owners: { '0': g.id },
      app_permissions: appPerms.toString(),
    };
  }

  private buildOptions(init: OptionsInit | undefined, base: Obj, resolved: Obj): Obj[] {
    if (!init) return [];
    if (Array.isArray(init)) return init;
    return Object.entries(init).map(([name, value]) => {
      if (typeof value === 'string') return { name, type: 3, value };
      if (typeof value === 'boolean') return { name, type: 5, value };
      if (typeof value === 'number') return { name, type: Number.isInteger(value) ? 4 : 10, value };
      const user = this.user(value.user);
      const users = (resolved.users ?? {}) as Obj;
      users[user.id] = user;
      resolved.users = users;
      const g = base.guild_id ? this.guilds.get(base.guild_id as string) : undefined;
      const member = g?.members.get(user.id);
      if (g && member) {
        const members = (resolved.members ?? {}) as Obj;
        const { user: _u, deaf: _d, mute: _m, ...rest } = member;
        members[user.id] = { ...rest, permissions: this.memberPermissions(g.id, user.id).toString() };
        resolved.members = members;
      }
      return { name, type: 6, value: user.id };
    });
  }

  private componentInteraction(init: InteractionInit & { custom_id: string; message?: Obj | string }, data: Obj): FakeInteraction {
    let message: Obj | undefined;
    if (typeof init.message === 'string') message = this.messages.get(init.message);
    else if (init.message) message = init.message;
    else message = [...this.messages.values()].reverse().find((m) => JSON.stringify(m.components ?? []).includes(JSON.stringify(init.custom_id)));
    const base0 = this.interactionBase(init, 3);
    if (!message) {
      message = this.storeMessage(base0.channel_id, {
        content: 'Synthesized bot message',
        components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Button', custom_id: init.custom_id }] }],
      });
    }
    const msgChannel = typeof message.channel_id === 'string' ? message.channel_id : base0.channel_id;
    const base: FakeInteraction =
      msgChannel !== base0.channel_id && this.channels.has(msgChannel)
        ? { ...base0, channel_id: msgChannel, channel: this.channels.get(msgChannel) }
        : base0;
    return { ...base, message, data };
  }

  // =========================================================================
  // Internals: messages
  // =========================================================================

  private repliedAuthor(body: Obj): string | null {
    const ref = isObj(body.message_reference) ? body.message_reference : null;
    const msg = ref && typeof ref.message_id === 'string' ? this.messages.get(ref.message_id) : undefined;
    return msg && isObj(msg.author) ? (msg.author.id as string) : null;
  }

  private storeMessage(channelId: string, body: Obj, extra: Obj = {}): Obj {
    const channel = this.channels.get(channelId);
    const pings = computePings(body, this.repliedAuthor(body));
    const files = (extra.__files as RecordedFile[] | undefined) ?? [];
    delete extra.__files;
    const msg: Obj = {
      id: snowflake(),
      type: isObj(body.message_reference) ? 19 : 0,
      channel_id: channelId,
      ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
      author: this.botUser,
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: pings.everyone,
      mentions: pings.users.map((id) => this.users.get(id) ?? { id, username: 'unknown', discriminator: '0', global_name: null, avatar: null }),
      mention_roles: pings.roles,
      attachments: files.map((f) => ({ id: snowflake(), filename: f.name, size: f.size, url: `https://cdn.example.invalid/${f.name}`, proxy_url: `https://cdn.example.invalid/${f.name}`, content_type: f.contentType })),
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      pinned: false,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      components: Array.isArray(body.components) ? body.components : [],
      ...(isObj(body.message_reference) ? { message_reference: { ...body.message_reference, channel_id: channelId } } : {}),
      ...extra,
    };
    this.messages.set(msg.id as string, msg);
    if (channel) channel.last_message_id = msg.id;
    return msg;
  }

  private editMessage(msg: Obj, body: Obj): Obj {
    for (const k of ['content', 'embeds', 'components', 'flags', 'attachments'] as const) {
      if (body[k] !== undefined && body[k] !== null) msg[k] = body[k];
    }
    if (typeof body.flags === 'number') msg.flags = (body.flags & ~128) | ((msg.flags as number) & MessageFlag.Ephemeral);
    const pings = computePings({ ...msg, allowed_mentions: body.allowed_mentions });
    msg.mention_everyone = pings.everyone;
    msg.mention_roles = pings.roles;
    msg.mentions = pings.users.map((id) => this.users.get(id) ?? { id });
    msg.edited_timestamp = new Date().toISOString();
    return msg;
  }

  /** Common checks for message-creating calls: limits, mention policy, pings. */
  private checkNewMessage(ctx: RequestCtx, body: Obj, path: string[] = []): RouteResult | null {
    const invalid = validateMessageBody(body, { path, creating: true, hasFiles: ctx.call.files.length > 0 });
    if (invalid) return bad(invalid);
    ctx.call.pings = computePings(body, this.repliedAuthor(body));
    if (ctx.call.pings.hasMentionSyntax && !ctx.call.pings.allowedMentionsPresent) {
      ctx.call.mentionWarning = 'content contains mention syntax but allowed_mentions is absent (everything would ping)';
      if (this.opts.requireAllowedMentions) {
        const errs = new FormErrors();
        errs.add([...path, 'allowed_mentions'], 'FAKE_ALLOWED_MENTIONS_REQUIRED', ctx.call.mentionWarning);
        return bad(errs.toBody());
      }
    }
    return null;
  }

  private interactionMetadata(rec: InteractionRecord): Obj {
    const raw = rec.raw;
    const user = (isObj(raw.member) ? raw.member.user : raw.user) as Obj;
    return {
      id: rec.id,
      type: rec.type,
      user,
      authorizing_integration_owners: raw.authorizing_integration_owners,
      ...(isObj(raw.data) && typeof raw.data.name === 'string' ? { name: raw.data.name, command_type: 1 } : {}),
    };
  }

  // =========================================================================
  // Internals: REST routing
  // =========================================================================

  private route(method: string, template: string, handler: Route['handler'], auth = true): void {
    this.routes.push({ method, template, ...routeRe(template), auth, handler });
  }

  private installRoutes(): void {
    const r = this.route.bind(this);

    // --- gateway / users -------------------------------------------------
    r('GET', '/gateway', () => ok({ url: this.gatewayUrl }), false);
    r('GET', '/gateway/bot', () =>
      ok({ url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }),
    );
    r('GET', '/users/@me', () => ok({ ...this.botUser, verified: true, mfa_enabled: true, locale: 'en-US', email: null }));
    r('GET', '/applications/@me', () =>
      ok({ id: this.applicationId, name: this.botUser.username, icon: null, description: '', bot_public: false, bot_require_code_grant: false, verify_key: 'f'.repeat(64), flags: 0, team: null, owner: this.user([...this.guilds.values()][0]?.ownerId ?? this.botUser.id), bot: this.botUser, approximate_guild_count: this.guilds.size }),
    );
    r('GET', '/users/:user', ({ params }) => {
      const u = this.users.get(params.user ?? '');
      return u ? ok(u) : err(404, 10013, 'Unknown User');
    });
    r('POST', '/users/@me/channels', ({ body }) => {
      const rid = typeof body.recipient_id === 'string' ? body.recipient_id : '';
      const u = this.users.get(rid);
      if (!u) return err(400, 50033, 'Invalid Recipient(s)');
      return ok(this.dmChannelOf(u.id));
    });
    r('DELETE', '/users/@me/guilds/:guild', ({ params }) => {
      if (!this.guilds.has(params.guild ?? '')) return err(404, 10004, 'Unknown Guild');
      this.guildDelete(params.guild as string);
      return noContent;
    });

    // --- application commands --------------------------------------------
    const scopeOf = (p: Record<string, string>): string | null => {
      if (p.app !== this.applicationId) return null;
      if (p.guild !== undefined && !this.guilds.has(p.guild)) return null;
      return p.guild ?? 'global';
    };
    const normalize = (cmd: Obj, scope: string, existing?: Obj): Obj => ({
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      type: cmd.type ?? 1,
      name: cmd.name,
      name_localizations: cmd.name_localizations ?? null,
      description: cmd.description ?? '',
      description_localizations: cmd.description_localizations ?? null,
      options: cmd.options ?? [],
      default_member_permissions: cmd.default_member_permissions ?? null,
      dm_permission: cmd.dm_permission ?? true,
      nsfw: cmd.nsfw ?? false,
      contexts: cmd.contexts ?? null,
      integration_types: cmd.integration_types ?? [0],
      ...(scope === 'global' ? {} : { guild_id: scope }),
    });
    for (const prefix of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
      const unknownScope = (p: Record<string, string>): RouteResult =>
        p.app !== this.applicationId ? err(403, 50001, 'Missing Access') : err(404, 10004, 'Unknown Guild');
      r('GET', prefix, ({ params }) => {
        const scope = scopeOf(params);
        return scope ? ok(this.commands.get(scope) ?? []) : unknownScope(params);
      });
      r('PUT', prefix, ({ params, rawBody }) => {
        const scope = scopeOf(params);
        if (!scope) return unknownScope(params);
        const invalid = validateCommandList(rawBody);
        if (invalid) return bad(invalid);
        const old = this.commands.get(scope) ?? [];
        const next = (rawBody as Obj[]).map((c) => normalize(c, scope, old.find((o) => o.name === c.name && o.type === (c.type ?? 1))));
        this.commands.set(scope, next);
        return ok(next);
      });
      r('POST', prefix, ({ params, body }) => {
        const scope = scopeOf(params);
        if (!scope) return unknownScope(params);
        const errs = new FormErrors();
        validateCommand(errs, [], body);
        if (!errs.empty) return bad(errs.toBody());
        const list = this.commands.get(scope) ?? [];
        const idx = list.findIndex((o) => o.name === body.name && o.type === (body.type ?? 1));
        const cmd = normalize(body, scope, idx >= 0 ? list[idx] : undefined);
        if (idx >= 0) list[idx] = cmd;
        else list.push(cmd);
        this.commands.set(scope, list);
        return ok(cmd, idx >= 0 ? 200 : 201);
      });
      const findCmd = (params: Record<string, string>): { list: Obj[]; idx: number; scope: string } | null => {
        const scope = scopeOf(params);
        if (!scope) return null;
        const list = this.commands.get(scope) ?? [];
        return { list, idx: list.findIndex((c) => c.id === params.command), scope };
      };
      r('GET', `${prefix}/:command`, ({ params }) => {
        const f = findCmd(params);
        return f && f.idx >= 0 ? ok(f.list[f.idx]) : err(404, 10063, 'Unknown application command');
      });
      r('PATCH', `${prefix}/:command`, ({ params, body }) => {
        const f = findCmd(params);
        if (!f || f.idx < 0) return err(404, 10063, 'Unknown application command');
        const merged = { ...f.list[f.idx], ...body };
        const errs = new FormErrors();
        validateCommand(errs, [], merged);
        if (!errs.empty) return bad(errs.toBody());
        f.list[f.idx] = normalize(merged, f.scope, f.list[f.idx]);
        return ok(f.list[f.idx]);
      });
      r('DELETE', `${prefix}/:command`, ({ params }) => {
        const f = findCmd(params);
        if (!f || f.idx < 0) return err(404, 10063, 'Unknown application command');
        f.list.splice(f.idx, 1);
        return noContent;
      });
    }

    // --- interactions ----------------------------------------------------
    r('POST', CALLBACK_ROUTE, (ctx) => this.handleCallback(ctx), false);

    const webhookInteraction = (params: Record<string, string>): InteractionRecord | null => {
      if (params.app !== this.applicationId) return null;
      const rec = [...this.interactions.values()].find((i) => i.token === params.token);
      return rec && rec.acknowledged ? rec : null;
    };
    const resolveWebhookMessage = (rec: InteractionRecord, mid: string): Obj | undefined => {
      const id = mid === '@original' ? rec.originalMessageId : rec.followupIds.includes(mid) || mid === rec.originalMessageId ? mid : null;
      return id ? this.messages.get(id) : undefined;
    };
    r(
      'POST',
      '/webhooks/:app/:token',
      (ctx) => {
        const rec = webhookInteraction(ctx.params);
        if (!rec) return err(404, 10015, 'Unknown Webhook');
        ctx.call.interactionId = rec.id;
        const problem = this.checkNewMessage(ctx, ctx.body);
        if (problem) return problem;
        const msg = this.storeMessage(rec.raw.channel_id as string, ctx.body, {
          webhook_id: this.applicationId,
          application_id: this.applicationId,
          interaction_metadata: this.interactionMetadata(rec),
          __files: ctx.call.files,
        });
        rec.followupIds.push(msg.id as string);
        ctx.call.messageId = msg.id as string;
        return ok(msg);
      },
      false,
    );
    r(
      'GET',
      '/webhooks/:app/:token/messages/:message',
      (ctx) => {
        const rec = webhookInteraction(ctx.params);
        if (!rec) return err(404, 10015, 'Unknown Webhook');
        const msg = resolveWebhookMessage(rec, ctx.params.message ?? '');
        return msg ? ok(msg) : err(404, 10008, 'Unknown Message');
      },
      false,
    );
    r(
      'PATCH',
      '/webhooks/:app/:token/messages/:message',
      (ctx) => {
        const rec = webhookInteraction(ctx.params);
        if (!rec) return err(404, 10015, 'Unknown Webhook');
        ctx.call.interactionId = rec.id;
        const msg = resolveWebhookMessage(rec, ctx.params.message ?? '');
        if (!msg) return err(404, 10008, 'Unknown Message');
        const invalid = validateMessageBody(ctx.body, { creating: false });
        if (invalid) return bad(invalid);
        const wasLoading = ((msg.flags as number) & 128) !== 0;
        if (wasLoading) {
          // The first edit of a deferred response is what users actually see arrive.
          const problem = this.checkNewMessage(ctx, { ...ctx.body, flags: msg.flags });
          if (problem) return problem;
          msg.flags = (msg.flags as number) & ~128;
        }
        this.editMessage(msg, ctx.body);
        ctx.call.messageId = msg.id as string;
        return ok(msg);
      },
      false,
    );
    r(
      'DELETE',
      '/webhooks/:app/:token/messages/:message',
      (ctx) => {
        const rec = webhookInteraction(ctx.params);
        if (!rec) return err(404, 10015, 'Unknown Webhook');
        const msg = resolveWebhookMessage(rec, ctx.params.message ?? '');
        if (!msg) return err(404, 10008, 'Unknown Message');
        this.messages.delete(msg.id as string);
        return noContent;
      },
      false,
    );

    // --- channels & messages ---------------------------------------------
    r('GET', '/channels/:channel', ({ params }) => {
      const ch = this.channels.get(params.channel ?? '');
      return ch ? ok(ch) : err(404, 10003, 'Unknown Channel');
    });
    // Delete Channel: for a thread, it leaves its guild's list and its parent; answers the channel.
    r('DELETE', '/channels/:channel', ({ params }) => {
      const ch = this.channels.get(params.channel ?? '');
      if (!ch) return err(404, 10003, 'Unknown Channel');
      this.channels.delete(ch.id as string);
      const g = this.guilds.get(ch.guild_id as string);
      if (g) g.threadIds = g.threadIds.filter((id) => id !== ch.id);
      this.threadMembers.delete(ch.id as string);
      return ok(ch);
    });
    r('POST', '/channels/:channel/messages', (ctx) => {
      const ch = this.channels.get(ctx.params.channel ?? '');
      if (!ch) return err(404, 10003, 'Unknown Channel');
      const problem = this.checkNewMessage(ctx, ctx.body);
      if (problem) return problem;
      // Create Message: nonce is an integer or a string of at most 25 characters; with enforce_nonce,
      // the same author's same nonce in the same channel within a few minutes returns that message.
      const nonce = ctx.body.nonce;
      if (nonce !== undefined && !(typeof nonce === 'number' && Number.isInteger(nonce)) && !(typeof nonce === 'string' && nonce.length <= 25)) {
        const errs = new FormErrors();
        errs.add(['nonce'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        return bad(errs.toBody());
      }
      const nonceKey = nonce !== undefined && ctx.body.enforce_nonce === true ? `${ch.id as string}:${this.botUser.id}:${String(nonce)}` : null;
      const seen = nonceKey ? this.nonces.get(nonceKey) : undefined;
      if (seen && Date.now() - seen.at <= this.nonceWindowMs && this.messages.has(seen.id)) {
        ctx.call.messageId = seen.id;
        return ok(this.messages.get(seen.id)!);
      }
      if (ch.type === 1) {
        const recipient = (ch.recipients as APIUser[])[0];
        if (recipient && (this.refusesDMs.has(recipient.id) || recipient.bot)) return err(403, 50007, 'Cannot send messages to this user');
      }
      if (isObj(ctx.body.message_reference) && typeof ctx.body.message_reference.message_id === 'string' && !this.messages.has(ctx.body.message_reference.message_id)) {
        const errs = new FormErrors();
        errs.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        return bad(errs.toBody());
      }
      const msg = this.storeMessage(ch.id as string, ctx.body, { __files: ctx.call.files, ...(nonce !== undefined ? { nonce } : {}) });
      ctx.call.messageId = msg.id as string;
      if (nonceKey) this.nonces.set(nonceKey, { id: msg.id as string, at: Date.now() });
      this.echoMessageCreate(msg, ch);
      return ok(msg);
    });
    r('GET', '/channels/:channel/messages', ({ params, query }) => {
      if (!this.channels.has(params.channel ?? '')) return err(404, 10003, 'Unknown Channel');
      const limit = Math.min(Number(query.get('limit') ?? 50), 100);
      return ok([...this.messages.values()].filter((m) => m.channel_id === params.channel).reverse().slice(0, limit));
    });
    r('GET', '/channels/:channel/messages/:message', ({ params }) => {
      const msg = this.messages.get(params.message ?? '');
      return msg && msg.channel_id === params.channel ? ok(msg) : err(404, 10008, 'Unknown Message');
    });
    r('PATCH', '/channels/:channel/messages/:message', (ctx) => {
      if (!this.channels.has(ctx.params.channel ?? '')) return err(404, 10003, 'Unknown Channel');
      const msg = this.messages.get(ctx.params.message ?? '');
      if (!msg || msg.channel_id !== ctx.params.channel) return err(404, 10008, 'Unknown Message');
      if (!isObj(msg.author) || msg.author.id !== this.botUser.id || msg.webhook_id) return err(403, 50005, 'Cannot edit a message authored by another user');
      const invalid = validateMessageBody(ctx.body, { creating: false });
      if (invalid) return bad(invalid);
      this.editMessage(msg, ctx.body);
      ctx.call.messageId = msg.id as string;
      return ok(msg);
    });
    r('DELETE', '/channels/:channel/messages/:message', ({ params }) => {
      const msg = this.messages.get(params.message ?? '');
      if (!msg || msg.channel_id !== params.channel) return err(404, 10008, 'Unknown Message');
      this.messages.delete(msg.id as string);
      return noContent;
    });

    // --- threads ---------------------------------------------------------
    r('POST', '/channels/:channel/threads', (ctx) => {
      const parent = this.channels.get(ctx.params.channel ?? '');
      if (!parent) return err(404, 10003, 'Unknown Channel');
      const type = typeof ctx.body.type === 'number' ? ctx.body.type : 12;
      const errs = new FormErrors();
      if (typeof ctx.body.name !== 'string' || [...ctx.body.name].length < 1 || [...ctx.body.name].length > 100) {
        errs.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (type !== 10 && type !== 11 && type !== 12) errs.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {10, 11, 12}.');
      const archive = ctx.body.auto_archive_duration ?? 4320;
      if (![60, 1440, 4320, 10080].includes(archive as number)) errs.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
      if (!errs.empty) return bad(errs.toBody());
      if (parent.type !== 0 && parent.type !== 5) return err(400, 50024, 'Cannot execute action on this channel type');
      if (type === 12 && parent.type !== 0) return err(400, 50024, 'Cannot execute action on this channel type');
      const now = new Date().toISOString();
      const id = snowflake();
      const thread: Obj = {
        id,
        type,
        guild_id: parent.guild_id,
        parent_id: parent.id,
        owner_id: this.botUser.id,
        name: ctx.body.name,
        last_message_id: null,
        rate_limit_per_user: ctx.body.rate_limit_per_user ?? 0,
        message_count: 0,
        member_count: 1,
        total_message_sent: 0,
        flags: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: archive,
          archive_timestamp: now,
          locked: false,
          create_timestamp: now,
          ...(type === 12 ? { invitable: ctx.body.invitable ?? true } : {}),
        },
        member: { id, user_id: this.botUser.id, join_timestamp: now, flags: 0 },
      };
      this.channels.set(id, thread);
      this.guilds.get(parent.guild_id as string)?.threadIds.push(id);
      this.threadMembers.set(id, new Set([this.botUser.id]));
      this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return ok(thread, 201);
    });
    const threadCheck = (params: Record<string, string>): { thread: Obj; userId: string } | RouteResult => {
      const thread = this.channels.get(params.channel ?? '');
      if (!thread) return err(404, 10003, 'Unknown Channel');
      if (thread.type !== 10 && thread.type !== 11 && thread.type !== 12) return err(400, 50024, 'Cannot execute action on this channel type');
      const userId = params.user === '@me' ? this.botUser.id : (params.user ?? '');
      if (!this.users.has(userId)) return err(404, 10013, 'Unknown User');
      if (!this.guilds.get(thread.guild_id as string)?.members.has(userId)) return err(404, 10007, 'Unknown Member');
      return { thread, userId };
    };
    r('PUT', '/channels/:channel/thread-members/:user', ({ params }) => {
      const c = threadCheck(params);
      if ('status' in c) return c;
      const set = this.threadMembers.get(c.thread.id as string) ?? new Set<string>();
      set.add(c.userId);
      this.threadMembers.set(c.thread.id as string, set);
      c.thread.member_count = set.size;
      return noContent;
    });
    r('DELETE', '/channels/:channel/thread-members/:user', ({ params }) => {
      const c = threadCheck(params);
      if ('status' in c) return c;
      this.threadMembers.get(c.thread.id as string)?.delete(c.userId);
      return noContent;
    });
    r('GET', '/channels/:channel/thread-members', ({ params }) => {
      const thread = this.channels.get(params.channel ?? '');
      if (!thread) return err(404, 10003, 'Unknown Channel');
      return ok(this.threadMembersOf(thread.id as string).map((uid) => ({ id: thread.id, user_id: uid, join_timestamp: new Date().toISOString(), flags: 0 })));
    });

    // --- guilds ----------------------------------------------------------
    r('GET', '/guilds/:guild', ({ params }) => {
      const g = this.guilds.get(params.guild ?? '');
      if (!g) return err(404, 10004, 'Unknown Guild');
      const p = this.guildPayload(g.id);
      for (const k of ['joined_at', 'large', 'unavailable', 'member_count', 'voice_states', 'members', 'channels', 'threads', 'presences', 'stage_instances', 'guild_scheduled_events', 'soundboard_sounds', 'lazy']) delete p[k];
      return ok(p);
    });
    r('GET', '/guilds/:guild/channels', ({ params }) => {
      const g = this.guilds.get(params.guild ?? '');
      return g ? ok(g.channelIds.map((id) => this.channels.get(id))) : err(404, 10004, 'Unknown Guild');
    });
    r('GET', '/guilds/:guild/roles', ({ params }) => {
      const g = this.guilds.get(params.guild ?? '');
      return g ? ok(g.roles) : err(404, 10004, 'Unknown Guild');
    });
    // Active threads the bot can see (it is a member of, or can manage), with the bot's own thread-member objects.
    r('GET', '/guilds/:guild/threads/active', ({ params }) => {
      const g = this.guilds.get(params.guild ?? '');
      if (!g) return err(404, 10004, 'Unknown Guild');
      const threads = g.threadIds
        .map((id) => this.channels.get(id))
        .filter((t): t is Obj => t !== undefined && !(isObj(t.thread_metadata) && t.thread_metadata.archived === true));
      const members = threads
        .filter((t) => this.threadMembers.get(t.id as string)?.has(this.botUser.id))
        .map((t) => ({ id: t.id, user_id: this.botUser.id, join_timestamp: new Date().toISOString(), flags: 0 }));
      return ok({ threads, members });
    });
    r('GET', '/guilds/:guild/members/:user', ({ params }) => {
      const g = this.guilds.get(params.guild ?? '');
      if (!g) return err(404, 10004, 'Unknown Guild');
      const m = g.members.get(params.user ?? '');
      return m ? ok(m) : err(404, 10007, 'Unknown Member');
    });
  }

  private handleCallback(ctx: RequestCtx): RouteResult {
    const { params, body, call } = ctx;
    const rec = this.interactions.get(params.interaction ?? '');
    if (!rec || rec.token !== params.token) return err(404, 10062, 'Unknown interaction');
    if (rec.acknowledged) return err(400, 40060, 'Interaction has already been acknowledged.');
    const deadline = this.opts.interactionAckDeadlineMs;
    if (deadline > 0 && Date.now() - rec.dispatchedAt > deadline) return err(404, 10062, 'Unknown interaction');
    const type = body.type;
    const allowed: Record<number, number[]> = {
      2: [4, 5, 9, 10, 12],
      3: [4, 5, 6, 7, 9, 10, 12],
      4: [8],
      5: rec.raw.message ? [4, 5, 6, 7, 10] : [4, 5, 10],
    };
    if (typeof type !== 'number' || !(allowed[rec.type] ?? []).includes(type)) {
      const errs = new FormErrors();
      errs.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Interaction response type ${String(type)} is not valid for interaction type ${rec.type}`);
      return bad(errs.toBody());
    }
    const data = isObj(body.data) ? body.data : {};
    const channelId = rec.raw.channel_id as string;
    const meta = { webhook_id: this.applicationId, application_id: this.applicationId, interaction_metadata: this.interactionMetadata(rec) };
    const component = isObj(rec.raw.message) ? this.messages.get(rec.raw.message.id as string) ?? (rec.raw.message as Obj) : null;
    let message: Obj | null = null;
    switch (type) {
      case 4: {
        const problem = this.checkNewMessage(ctx, data, ['data']);
        if (problem) return problem;
        message = this.storeMessage(channelId, data, { ...meta, type: rec.type === 2 ? 20 : 0, __files: call.files });
        break;
      }
      case 5: {
        const flags = typeof data.flags === 'number' ? data.flags & MessageFlag.Ephemeral : 0;
        message = this.storeMessage(channelId, { content: '', flags: flags | 128 }, { ...meta, type: rec.type === 2 ? 20 : 0 });
        break;
      }
      case 6:
        message = component;
        break;
      case 7: {
        const invalid = validateMessageBody(data, { path: ['data'], creating: false });
        if (invalid) return bad(invalid);
        if (component) {
          if (!this.messages.has(component.id as string)) this.messages.set(component.id as string, component);
          message = this.editMessage(component, data);
        }
        break;
      }
      case 8: {
        const invalid = validateAutocompleteResult(body.data);
        if (invalid) return bad(invalid);
        break;
      }
      case 9: {
        const invalid = validateModal(body.data);
        if (invalid) return bad(invalid);
        rec.modal = data;
        this.modalsByCustomId.set(data.custom_id as string, { modal: data, message: component });
        break;
      }
      default:
        break;
    }
    rec.acknowledged = true;
    rec.responseType = type;
    if (message) {
      rec.originalMessageId = message.id as string;
      call.messageId = message.id as string;
    }
    if (ctx.query.get('with_response') === 'true') {
      return ok({
        interaction: {
          id: rec.id,
          type: rec.type,
          ...(message ? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: (((message.flags as number) ?? 0) & MessageFlag.Ephemeral) !== 0 } : {}),
        },
        resource: { type, ...(message && (type === 4 || type === 7) ? { message } : {}) },
      });
    }
    return noContent;
  }

  /** Real Discord echoes the bot's own messages as MESSAGE_CREATE when the matching intent is on. */
  private echoMessageCreate(msg: Obj, channel: Obj): void {
    const needed = channel.type === 1 ? INTENT_DIRECT_MESSAGES : INTENT_GUILD_MESSAGES;
    for (const s of this.sessions.values()) if (s.intents & needed) this.dispatchTo(s, 'MESSAGE_CREATE', msg);
  }

  private removeGuild(guildId: string): void {
    const g = this.guilds.get(guildId);
    if (!g) return;
    for (const id of [...g.channelIds, ...g.threadIds]) this.channels.delete(id);
    this.guilds.delete(guildId);
  }

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const send = (result: RouteResult): void => {
      const headers: Record<string, string> = { ...(result.headers ?? {}) };
      if (result.status === 204 || result.body === undefined) {
        res.writeHead(result.status, headers);
        res.end();
      } else {
        res.writeHead(result.status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(result.body));
      }
    };
    const m = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
    if (!m) {
      send({ status: 404, body: { message: '404: Not Found', code: 0 } });
      return;
    }
    const rawPath = m[2] ?? '/';
    const path = rawPath.split('/').map((seg) => decodeURIComponent(seg)).join('/');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    let rawBody: unknown = undefined;
    const files: RecordedFile[] = [];
    const ct = req.headers['content-type'] ?? '';
    try {
      if (raw.length && ct.startsWith('application/json')) rawBody = JSON.parse(raw.toString('utf8'));
      else if (raw.length && ct.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': ct } }).formData();
        for (const [field, value] of form.entries()) {
          if (typeof value === 'string') {
            if (field === 'payload_json') rawBody = JSON.parse(value);
          } else {
            files.push({ field, name: value.name, size: value.size, contentType: value.type });
          }
        }
      }
    } catch {
      send({ status: 400, body: { message: '400: Bad Request', code: 50109 } });
      return;
    }
    const call: RecordedCall = {
      seq: ++this.seq,
      at: Date.now(),
      method,
      path,
      rawPath,
      route: null,
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers,
      body: rawBody,
      files,
      status: 0,
      response: undefined,
    };
    this.calls.push(call);
    const result = await this.answer(call, m[1], url.searchParams, rawBody);
    call.status = result.status;
    call.response = result.body;
    if (call.route === CALLBACK_ROUTE) {
      call.interactionId = call.params.interaction;
      this.interactions.get(call.params.interaction ?? '')?.callbacks.push(call);
    }
    const late = this.latencies.find((l) => (l.method === null || l.method === method) && l.route.test(path))?.ms ?? 0;
    if (late > 0) setTimeout(() => send(result), late);
    else send(result);
    this.emit('call', call);
  }

  private async answer(call: RecordedCall, version: string | undefined, query: URLSearchParams, rawBody: unknown): Promise<RouteResult> {
    if (version !== '10' && version !== '9') return err(400, 50041, 'Invalid API version provided');
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of this.routes) {
      if (candidate.method !== call.method) continue;
      match = candidate.re.exec(call.rawPath);
      if (match) {
        route = candidate;
        break;
      }
    }
    if (route && match) {
      call.route = route.template;
      route.keys.forEach((k, i) => (call.params[k] = decodeURIComponent(match[i + 1] ?? '')));
    }
    const inj = this.injections.find((i) => i.remaining > 0 && (i.method === null || i.method === call.method) && i.route.test(call.path));
    if (inj) {
      inj.remaining--;
      call.injected = inj.kind;
      return { status: inj.status, body: inj.body, headers: inj.headers };
    }
    if (!route) {
      const pathExists = this.routes.some((r) => r.re.test(call.rawPath));
      call.unhandled = !pathExists;
      return pathExists ? err(405, 0, '405: Method Not Allowed') : err(404, 0, '404: Not Found');
    }
    if (route.auth && call.headers.authorization !== `Bot ${this.token}`) return err(401, 0, '401: Unauthorized');
    return route.handler({ call, params: call.params, body: isObj(rawBody) ? rawBody : {}, rawBody, query });
  }

  // =========================================================================
  // Internals: gateway
  // =========================================================================

  private handleConnection(ws: WebSocket, req: http.IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const conn: Conn = { ws, session: null, deflate: null, chunks: [], chain: Promise.resolve() };
    this.conns.add(conn);
    ws.on('close', (code) => {
      this.conns.delete(conn);
      conn.deflate?.close();
      const s = conn.session;
      if (s && s.conn === conn) {
        s.conn = null;
        if (code === 1000 || code === 1001) this.sessions.delete(s.id);
      }
    });
    ws.on('error', () => undefined);
    this.emit('connection', Object.fromEntries(url.searchParams));
    if (url.searchParams.get('v') !== String(GATEWAY_VERSION)) {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if ((url.searchParams.get('encoding') ?? 'json') !== 'json') {
      ws.close(4002, 'Error while decoding payload (fake supports encoding=json only)');
      return;
    }
    const compress = url.searchParams.get('compress');
    if (compress === 'zlib-stream') {
      conn.deflate = zlib.createDeflate();
      conn.deflate.on('data', (chunk: Buffer) => conn.chunks.push(chunk));
    } else if (compress !== null) {
      ws.close(4002, `Unsupported compression ${compress}`);
      return;
    }
    ws.on('message', (data: RawData, isBinary: boolean) => this.onGatewayMessage(conn, data, isBinary));
    this.sendPayload(conn, { op: 10, d: { heartbeat_interval: this.opts.heartbeatInterval, _trace: ['["fake-discord",{"micros":0}]'] }, s: null, t: null });
  }

  private sendPayload(conn: Conn, payload: Obj): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(payload);
    const deflate = conn.deflate;
    if (!deflate) {
      conn.ws.send(text);
      return;
    }
    conn.chain = conn.chain.then(
      () =>
        new Promise<void>((resolve) => {
          deflate.write(text);
          deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            const out = Buffer.concat(conn.chunks);
            conn.chunks = [];
            if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(out);
            resolve();
          });
        }),
    );
  }

  private dispatchTo(s: Session, t: string, d: unknown): void {
    const payload = { op: 0, t, s: ++s.seq, d };
    s.buffer.push({ s: s.seq, payload });
    if (s.buffer.length > 1000) s.buffer.shift();
    if (s.conn) this.sendPayload(s.conn, payload);
  }

  private onGatewayMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    let payload: Obj;
    try {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data);
      const parsed: unknown = JSON.parse(text);
      if (!isObj(parsed)) throw new Error('not an object');
      payload = parsed;
    } catch {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = isObj(payload.d) ? payload.d : {};
    switch (payload.op) {
      case 1:
        this.heartbeats++;
        this.emit('heartbeat', payload.d);
        this.sendPayload(conn, { op: 11, d: null, s: null, t: null });
        return;
      case 2:
        this.onIdentify(conn, d);
        return;
      case 6:
        this.onResume(conn, d);
        return;
      case 3:
      case 4:
      case 8:
      case 31:
        if (!conn.session) conn.ws.close(4003, 'Not authenticated.');
        return;
      default:
        conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  private onIdentify(conn: Conn, d: Obj): void {
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const intents = typeof d.intents === 'number' ? d.intents : -1;
    if (intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      conn.ws.close(4013, 'Invalid intent(s).');
      return;
    }
    const privileged = intents & PRIVILEGED_INTENTS;
    if (this.opts.privilegedIntents !== 'all' && (privileged & ~this.opts.privilegedIntents) !== 0) {
      conn.ws.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard: [number, number] = Array.isArray(d.shard) && d.shard.length === 2 ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (shard[0] >= shard[1] || shard[1] < 1) {
      conn.ws.close(4010, 'Invalid shard.');
      return;
    }
    const session: Session = { id: randomBytes(16).toString('hex'), conn, seq: 0, intents, shard, buffer: [] };
    conn.session = session;
    this.sessions.set(session.id, session);
    const record: IdentifyRecord = { sessionId: session.id, intents, shard, properties: d.properties, compress: d.compress === true, at: Date.now() };
    this.identifies.push(record);
    const guildIds = [...this.guilds.keys()].filter((id) => Number((BigInt(id) >> 22n) % BigInt(shard[1])) === shard[0]);
    this.dispatchTo(session, 'READY', {
      v: GATEWAY_VERSION,
      user: { ...this.botUser, verified: true, mfa_enabled: true, email: null },
      user_settings: {},
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['us-east'],
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: this.applicationId, flags: 0 },
      auth: {},
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    for (const id of guildIds) this.dispatchTo(session, 'GUILD_CREATE', this.guildPayload(id, intents));
    this.emit('identify', record);
  }

  private onResume(conn: Conn, d: Obj): void {
    if (d.token !== this.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(String(d.session_id));
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (!session || seq > session.seq) {
      this.sendPayload(conn, { op: 9, d: false, s: null, t: null });
      return;
    }
    if (session.conn && session.conn !== conn) session.conn.ws.close(4000, 'Session resumed elsewhere');
    session.conn = conn;
    conn.session = session;
    for (const item of session.buffer) if (item.s > seq) this.sendPayload(conn, item.payload);
    this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord",{"micros":0}]'] });
    this.emit('resume', { sessionId: session.id, seq });
  }
}

/**
 * Starts a fake Discord on 127.0.0.1 (random port): REST under `/api/v10`
 * and the gateway (WebSocket upgrade) on the same port.
 */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = http.createServer();
  server.keepAliveTimeout = 1000;
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('FakeDiscord: no port');
  return new FakeDiscord(server, wss, address.port, options);
}
