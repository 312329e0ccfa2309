/**
 * Object factories for the fake Discord: snowflakes, permission bits and the
 * raw (snake_case, API v10) shapes of users, roles, members, channels, guilds
 * and messages. They live apart from the server so that tests can build
 * payloads (e.g. an `interaction.message`) without starting a server.
 */
import type { APIGuildMember, APIRole, APIUser } from 'discord.js';

/** Discord epoch (2015-01-01T00:00:00Z); snowflakes encode ms since it. */
export const DISCORD_EPOCH = 1420070400000n;

let increment = 0n;

/**
 * A real-looking snowflake (18–19 digits). The length matters: @discordjs/rest
 * only recognises `\d{17,19}` as a major parameter when bucketing routes, and
 * discord.js derives `createdTimestamp` from the id.
 */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** Permission bits (subset) as bigint, named like discord.js `PermissionFlagsBits`. */
export const Perm = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
  ModerateMembers: 1n << 40n,
} as const;

/** Every permission bit Discord currently defines (used for owners/administrators). */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What a fresh guild's @everyone role gets: enough to use a bot's commands and read/write. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Perm.CreateInstantInvite |
  Perm.AddReactions |
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.EmbedLinks |
  Perm.AttachFiles |
  Perm.ReadMessageHistory |
  Perm.UseApplicationCommands |
  Perm.CreatePublicThreads |
  Perm.CreatePrivateThreads |
  Perm.SendMessagesInThreads;

/** What the bot's managed role gets by default: what Circulate's invite link asks for. */
export const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS | Perm.ManageThreads | Perm.ManageMessages | Perm.MentionEveryone;

/** Raw user object (API v10). */
export function makeUser(init: Partial<APIUser> & { id?: string; username: string }): APIUser {
  return {
    id: init.id ?? snowflake(),
    username: init.username,
    discriminator: init.discriminator ?? '0',
    global_name: init.global_name ?? null,
    avatar: init.avatar ?? null,
    ...(init.bot ? { bot: true } : {}),
    ...(init.system ? { system: true } : {}),
    public_flags: (init.public_flags ?? 0) as APIUser['public_flags'],
    flags: (init.flags ?? 0) as APIUser['flags'],
    ...(init.avatar_decoration_data !== undefined ? { avatar_decoration_data: init.avatar_decoration_data } : {}),
  };
}

/** Raw role object (API v10); `permissions` is a decimal string as on the wire. */
export function makeRole(init: Partial<APIRole> & { id: string; name: string }): APIRole {
  return {
    id: init.id,
    name: init.name,
    color: init.color ?? 0,
    colors: init.colors ?? { primary_color: init.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: init.hoist ?? false,
    icon: init.icon ?? null,
    unicode_emoji: init.unicode_emoji ?? null,
    position: init.position ?? 0,
    permissions: init.permissions ?? '0',
    managed: init.managed ?? false,
    mentionable: init.mentionable ?? false,
    flags: (init.flags ?? 0) as APIRole['flags'],
    ...(init.tags ? { tags: init.tags } : {}),
  };
}

/** Raw guild member object (API v10), without the interaction-only `permissions`. */
export function makeMember(user: APIUser, roles: string[] = [], joinedAt = new Date().toISOString()): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as APIGuildMember['flags'],
    pending: false,
    communication_disabled_until: null,
  };
}

/** Raw guild text channel (type 0), as a loose object so callers can override `type`. */
export function makeTextChannel(init: { id?: string; name: string; guild_id: string; position?: number; parent_id?: string | null; topic?: string | null }): Record<string, unknown> {
  return {
    id: init.id ?? snowflake(),
    type: 0,
    guild_id: init.guild_id,
    name: init.name,
    position: init.position ?? 0,
    permission_overwrites: [],
    parent_id: init.parent_id ?? null,
    topic: init.topic ?? null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: null,
    flags: 0,
  };
}

/** Encodes a bigint permission set the way the API does (decimal string). */
export function permString(bits: bigint): string {
  return bits.toString();
}
