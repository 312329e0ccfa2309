/**
 * The fake's public types: what tests pass in (users, guilds, options, interaction inits) and
 * what they read back (recorded calls, interactions, identifies, guild state). Kept apart from
 * the server so the route groups and the gateway can share them without importing the server.
 */
import type { APIGuildMember, APIRole, APIUser } from 'discord.js';
import type { Pings } from './mentions.ts';
import type { Obj } from './validation.ts';

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
