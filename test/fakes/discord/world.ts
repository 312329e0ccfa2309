/**
 * The fake's world: users, guilds, channels, threads, messages, commands and dispatched
 * interactions, shared by every REST route group (routes/), the gateway and the interaction
 * builders. FakeDiscord extends it, so tests keep reading `fake.messages`, `fake.user('alice')`
 * and so on from one object, while the groups receive only the state they act on.
 */
import { EventEmitter } from 'node:events';
import type { APIRole, APIUser } from 'discord.js';
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
import { Gateway } from './gateway.ts';
import type {
  FakeDiscordOptions,
  FakeGuildInit,
  FakeMemberInit,
  FakeUserInit,
  GuildState,
  IdentifyRecord,
  InteractionRecord,
  RecordedCall,
} from './types.ts';
import type { Obj } from './validation.ts';

const INTENT_GUILD_MEMBERS = 1 << 1;

/** The world and its lookups; throws on unknown references, so a test that names a missing user fails loudly. */
export class DiscordWorld extends EventEmitter {
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

  // Shared with the route groups, the gateway and the builders; tests use the methods below.
  readonly opts: Required<Pick<FakeDiscordOptions, 'heartbeatInterval' | 'interactionAckDeadlineMs' | 'requireAllowedMentions' | 'botPermissions'>> & {
    privilegedIntents: number | 'all';
  };
  readonly users = new Map<string, APIUser>();
  readonly refusesDMs = new Set<string>();
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, Obj>();
  readonly dmByUser = new Map<string, string>();
  readonly threadMembers = new Map<string, Set<string>>();
  /** `channel:author:nonce` → message id and when, for `enforce_nonce`. */
  readonly nonces = new Map<string, { id: string; at: number }>();
  /** How long an enforced nonce returns its message instead of a new one (Discord: "the past few minutes"). */
  nonceWindowMs = 5 * 60_000;
  readonly interactions = new Map<string, InteractionRecord>();
  readonly modalsByCustomId = new Map<string, { modal: Obj; message: Obj | null }>();
  /** Gateway sessions and connections; dispatches events to them. */
  readonly gateway: Gateway;

  constructor(port: number, options: FakeDiscordOptions) {
    super();
    this.gateway = new Gateway(this);
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
  }

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
  dmChannelOf(userRef: string): Obj {
    const user = this.user(userRef);
    const existing = this.dmByUser.get(user.id);
    if (existing) return this.channels.get(existing) as Obj;
    const ch: Obj = { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [user] };
    this.channels.set(ch.id as string, ch);
    this.dmByUser.set(user.id, ch.id as string);
    return ch;
  }

  /** The member leaves the guild (REST sees it at once): later member lookups and thread adds answer 10007. */
  memberLeave(guildRef: string, userRef: string): void {
    const g = this.guild(guildRef);
    const userId = this.user(userRef).id;
    g.members.delete(userId);
    this.dispatch('GUILD_MEMBER_REMOVE', { guild_id: g.id, user: this.users.get(userId) });
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

  /** Dispatches an event (op 0) with the next sequence number to every live session; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    return this.gateway.dispatch(t, d);
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

  /** Forgets a guild and its channels and threads. */
  removeGuild(guildId: string): void {
    const g = this.guilds.get(guildId);
    if (!g) return;
    for (const id of [...g.channelIds, ...g.threadIds]) this.channels.delete(id);
    this.guilds.delete(guildId);
  }
}
