import {
  ChannelType,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  REST,
  Routes,
  ThreadAutoArchiveDuration,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
} from 'discord.js';
import { createHash } from 'node:crypto';
import { CONVERSATION_UNAVAILABLE, DeliveryError, type DeliveryReceipt, type Logger, MEMBERS_GONE, type Message, type PlatformPort, type PlatformUser, type SendOptions } from '../../src/index.ts';
import type { DiscordOptions } from './options.ts';
import { messageBodies, messageRequests, renderMessage } from './render.ts';

/** Discord's "Cannot send messages to this user" (closed DMs, blocked bot, no shared server). */
export const CANNOT_DM = 50007;

/**
 * A REST path with ids and tokens replaced (`/channels/:id/messages`), so logs
 * name the route without leaking interaction or webhook tokens.
 */
export function routeOf(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Already a path.
  }
  return path
    .replace(/^\/api(\/v\d+)?/, '')
    .replace(/\/(webhooks|interactions)\/(\d+)\/[^/]+/, '/$1/:id/:token')
    .replace(/\d{15,25}/g, ':id');
}

/**
 * Classifies a REST failure for the outbox. discord.js's queue has already
 * waited out 429s and retried 5xx and timeouts, so what reaches here is final
 * for this attempt: 5xx, timeouts and network errors are retryable; 4xx are
 * permanent, with 50007 naming the member who cannot be reached.
 */
export function classifyDiscordError(error: unknown, userId?: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof DiscordAPIError) {
    const code = String(error.code);
    const route = `${error.method.toUpperCase()} ${routeOf(error.url)}`;
    if (error.status === 429) {
      return new DeliveryError(`${route}: rate limited`, { retryable: true, code: '429' });
    }
    const retryable = error.status >= 500 || error.status === 408;
    return new DeliveryError(`${route}: ${error.status} ${code} ${error.message}`, {
      retryable,
      code,
      ...(error.code === CANNOT_DM && userId ? { unreachableUserId: userId } : {}),
    });
  }
  if (error instanceof HTTPError) {
    return new DeliveryError(`${error.method.toUpperCase()} ${routeOf(error.url)}: HTTP ${error.status}`, {
      retryable: error.status >= 500 || error.status === 408 || error.status === 429,
      code: `http_${error.status}`,
    });
  }
  if (error instanceof RateLimitError) {
    return new DeliveryError(`${error.method.toUpperCase()} ${routeOf(error.url)}: rate limited`, {
      retryable: true,
      code: '429',
      retryAfterMs: error.retryAfter,
    });
  }
  const e = error as { name?: string; code?: string; message?: string };
  return new DeliveryError(`request failed: ${e.message ?? String(error)}`, { retryable: true, code: e.code ?? e.name ?? 'network_error' });
}

/** The community's own intros channel (set with `/network-admin setup intro_channel:`), or null. */
export type IntroChannelLookup = (guildId: string) => Promise<string | null>;

/** What the port needs; `rest` should be the gateway client's so both share one rate-limit queue. */
export interface DiscordPortOptions {
  rest: REST;
  log: Logger;
  /** The deployment's intros channel (DISCORD_INTRO_CHANNEL_ID), for communities that set none of their own. */
  introChannelId?: string;
  /** The community's own intros channel; see {@link DiscordPort.useIntroChannelLookup}. */
  introChannelFor?: IntroChannelLookup;
  /** The guild a channel belongs to, when known (the gateway cache); see {@link DiscordPort.attachGuildLookup}. */
  guildOfChannel?: (channelId: string) => string | null | undefined;
  /** DISCORD_MODERATOR_ROLE_ID: members with this role moderate, as do those with Manage Server. */
  moderatorRoleId?: string;
}

/** Administrator and Manage Server, the permissions that make a member a moderator. */
const MODERATOR_PERMISSIONS = (1n << 3n) | (1n << 5n);

/**
 * The Create Message `nonce` for an outbox key: at most 25 characters, one per
 * rendered part. A UUID's 16 bytes in base64url (22 characters), else a hash.
 */
export function nonceFor(key: string, part: number): string {
  const hex = key.replace(/-/g, '');
  const bytes = /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : createHash('sha256').update(key).digest().subarray(0, 16);
  return `${bytes.toString('base64url')}${part.toString(36)}`.slice(0, 25);
}

/** The checkpoint an introduction saves once its thread exists: `thread:<id>`. */
const THREAD_STATE = 'thread:';

/** Adding to a thread fails with these when the user has left the server (or no longer exists). */
const NOT_A_MEMBER = new Set([10007, 10013]);

/** Thread-creation failures that mean "this channel cannot hold introductions": unknown channel, missing access or permissions. */
const CHANNEL_UNUSABLE = new Set([10003, 50001, 50013]);

/**
 * Circulate's Discord platform port; the outbox delivers through it. Private
 * messages go to the member's DM with the bot, introductions to a private
 * thread in the community's intros channel (its setting, else the
 * deployment's) with both members added. When a community has no usable
 * intros channel, `openConversation` throws {@link CONVERSATION_UNAVAILABLE}
 * and the core's dispatcher sends each member their own DM, each exactly once.
 * Without any channel source at all (no default, no lookup) `openConversation`
 * is absent, which the dispatcher treats the same way.
 */
export class DiscordPort implements PlatformPort {
  readonly platform = 'discord';
  readonly rest: REST;
  openConversation?: PlatformPort['openConversation'];
  private readonly log: Logger;
  private readonly defaultIntroChannelId: string | undefined;
  private introChannelFor: IntroChannelLookup | undefined;
  private guildOfChannel: DiscordPortOptions['guildOfChannel'];
  private readonly moderatorRoleId: string | undefined;
  private readonly dmChannels = new Map<string, string>();
  /** Threads created for an introduction whose message is not delivered yet: a retry reuses them. */
  private readonly pendingThreads = new Map<string, string>();

  constructor(options: DiscordPortOptions) {
    this.rest = options.rest;
    this.log = options.log;
    this.guildOfChannel = options.guildOfChannel;
    this.moderatorRoleId = options.moderatorRoleId;
    this.defaultIntroChannelId = options.introChannelId;
    this.introChannelFor = options.introChannelFor;
    this.enableConversations();
  }

  /** Lets the port check, from the gateway cache, that the intros channel is in the community's guild. */
  attachGuildLookup(lookup: NonNullable<DiscordPortOptions['guildOfChannel']>): void {
    this.guildOfChannel = lookup;
  }

  /**
   * Lets the port read each community's intros channel. The port is built
   * before the app (the app needs its ports), so `startDiscord` binds this late.
   */
  useIntroChannelLookup(lookup: IntroChannelLookup): void {
    this.introChannelFor = lookup;
    this.enableConversations();
  }

  private enableConversations(): void {
    if (this.openConversation || (!this.defaultIntroChannelId && !this.introChannelFor)) return;
    this.openConversation = (guildId, userIds, title, message, send) => this.introduce(guildId, userIds, title, message, send);
  }

  /** The channel introductions of this guild go to: the community's, else the deployment's, if it is in this guild. */
  private async introChannelOf(guildId: string): Promise<string | null> {
    let own: string | null = null;
    try {
      own = (await this.introChannelFor?.(guildId)) ?? null;
    } catch (error) {
      // A failed settings read is worth a retry, not a fallback to DMs.
      throw new DeliveryError(`intros channel lookup failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, code: 'settings_unavailable' });
    }
    const channelId = own ?? this.defaultIntroChannelId ?? null;
    if (!channelId) return null;
    const channelGuild = this.guildOfChannel?.(channelId);
    // One deployment, several servers: another server's channel is no place for this one's members.
    return channelGuild && channelGuild !== guildId ? null : channelId;
  }

  async postToChannel(guildId: string, channelId: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    return this.post(channelId, message, guildId, undefined, send);
  }

  async sendPrivate(guildId: string, platformUserId: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    const channelId = await this.dmChannel(platformUserId);
    return this.post(channelId, message, guildId, platformUserId, send);
  }

  async updateMessage(guildId: string, receipt: DeliveryReceipt, message: Message): Promise<void> {
    // An edit changes the text and buttons; the attachments sent first stay as they were.
    const [body] = messageBodies(renderMessage({ blocks: message.blocks }, { guildId, maxParts: 1 }));
    try {
      await this.rest.patch(Routes.channelMessage(receipt.channelId, receipt.messageId), { body });
    } catch (error) {
      throw this.failed(error, guildId);
    }
  }

  async lookupUser(guildId: string, platformUserId: string): Promise<PlatformUser | null> {
    try {
      const member = (await this.rest.get(Routes.guildMember(guildId, platformUserId))) as APIGuildMember;
      if (member.user.bot) return null;
      return { platformUserId, displayName: member.nick ?? member.user.global_name ?? member.user.username, timeZone: null };
    } catch {
      return null;
    }
  }

  /**
   * Recomputes moderator power from the guild's roles: the owner, anyone whose
   * roles (with @everyone) grant Administrator or Manage Server, or who has the
   * moderator role. A member who left moderates nothing; a failed call tells nothing.
   */
  async moderatorStatus(guildId: string, platformUserId: string): Promise<boolean | undefined> {
    try {
      const guild = (await this.rest.get(Routes.guild(guildId))) as APIGuild;
      if (guild.owner_id === platformUserId) return true;
      const member = (await this.rest.get(Routes.guildMember(guildId, platformUserId))) as APIGuildMember;
      if (this.moderatorRoleId && member.roles.includes(this.moderatorRoleId)) return true;
      const held = new Set([guildId, ...member.roles]);
      const granted = guild.roles.filter((role) => held.has(role.id)).reduce((bits, role) => bits | BigInt(role.permissions), 0n);
      return (granted & MODERATOR_PERMISSIONS) !== 0n;
    } catch (error) {
      return error instanceof DiscordAPIError && error.code === 10007 ? false : undefined;
    }
  }

  private async introduce(guildId: string, userIds: string[], title: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    const introChannelId = await this.introChannelOf(guildId);
    if (!introChannelId) throw new DeliveryError('no intros channel', { retryable: false, code: CONVERSATION_UNAVAILABLE });
    const key = `${guildId}:${[...userIds].sort().join(',')}:${title}`;
    const name = title.trim().slice(0, 100) || 'Introduction';
    let threadId = this.pendingThreads.get(key);
    const missing: string[] = [];
    try {
      // A restart forgot the thread an earlier attempt opened; the outbox kept it: reuse it rather than open a second.
      if (!threadId && send?.resume?.startsWith(THREAD_STATE)) threadId = send.resume.slice(THREAD_STATE.length);
      if (!threadId) {
        const thread = (await this.rest.post(Routes.threads(introChannelId), {
          body: {
            name,
            type: ChannelType.PrivateThread,
            invitable: false,
            auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
          },
        })) as APIChannel;
        threadId = thread.id;
        this.pendingThreads.set(key, threadId);
        // Durable before anyone is added or anything posted, so a crash from here on resumes in this thread.
        await send?.checkpoint?.(`${THREAD_STATE}${threadId}`);
      }
      for (const userId of new Set(userIds)) {
        try {
          await this.rest.put(Routes.threadMembers(threadId, userId));
        } catch (error) {
          // One member who left must not sink the others' introduction: leave them out and say so.
          if (!(error instanceof DiscordAPIError && NOT_A_MEMBER.has(Number(error.code)))) throw error;
          missing.push(userId);
        }
      }
    } catch (error) {
      const failed = this.failed(error, guildId);
      if (!threadId && error instanceof DiscordAPIError && CHANNEL_UNUSABLE.has(Number(error.code))) {
        // The channel is gone or closed to the bot: the members still get their introduction, by DM.
        throw new DeliveryError(`intros channel unusable: ${failed.message}`, { retryable: false, code: CONVERSATION_UNAVAILABLE });
      }
      throw failed;
    }
    if (new Set(userIds).size - missing.length < 2) {
      // No thread for one person: the core tells whoever remains privately instead.
      this.pendingThreads.delete(key);
      await this.rest.delete(Routes.channel(threadId)).catch((error: unknown) => void this.failed(error, guildId));
      throw new DeliveryError(`members left the server: ${missing.join(', ')}`, { retryable: false, code: MEMBERS_GONE, missingUserIds: missing });
    }
    const receipt = await this.post(threadId, message, guildId, undefined, send);
    this.pendingThreads.delete(key);
    return missing.length > 0 ? { ...receipt, missing } : receipt;
  }

  private async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    try {
      const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      this.dmChannels.set(userId, channel.id);
      return channel.id;
    } catch (error) {
      throw this.failed(error, undefined, userId);
    }
  }

  /**
   * Posts the rendered parts in order; the receipt names the last one, which carries the buttons.
   * With an outbox key each part carries its own enforced nonce, so a retry of a part Discord
   * already has returns that message instead of posting it again.
   */
  private async post(channelId: string, message: Message, guildId: string, userId?: string, send?: SendOptions): Promise<DeliveryReceipt> {
    let last: APIMessage | null = null;
    try {
      let part = 0;
      for (const request of messageRequests(renderMessage(message, { guildId }))) {
        const body = send ? { ...(request.body as object), nonce: nonceFor(send.key, part), enforce_nonce: true } : request.body;
        part++;
        last = (await this.rest.post(Routes.channelMessages(channelId), request.files ? { body, files: request.files } : { body })) as APIMessage;
      }
    } catch (error) {
      throw this.failed(error, guildId, userId);
    }
    return { channelId: last?.channel_id ?? channelId, messageId: last?.id ?? '' };
  }

  private failed(error: unknown, guildId?: string, userId?: string): DeliveryError {
    const classified = classifyDiscordError(error, userId);
    const route = error instanceof DiscordAPIError || error instanceof HTTPError ? `${error.method.toUpperCase()} ${routeOf(error.url)}` : undefined;
    this.log.warn(
      { platform: 'discord', guild: guildId, route, code: classified.options.code, retryable: classified.options.retryable, unreachableUserId: classified.options.unreachableUserId },
      'discord delivery failed',
    );
    return classified;
  }
}

/** A REST client for the bot: the token set, the base URL overridden for tests (DISCORD_API_URL). */
export function discordRest(options: Pick<DiscordOptions, 'token' | 'apiUrl'>): REST {
  return new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
}

/**
 * Builds the port from the adapter's options. Create it before the app (the app
 * needs its ports) and hand it to `startDiscord`, which shares its REST queue
 * with the gateway client, lets it see which guild a channel is in, and binds
 * the lookup of each community's intros channel from the app's database
 * (or pass `introChannelFor` here when it is known up front).
 */
export function createDiscordPort(args: { options: DiscordOptions; log: Logger; rest?: REST; introChannelFor?: IntroChannelLookup }): DiscordPort {
  return new DiscordPort({
    rest: args.rest ?? discordRest(args.options),
    log: args.log,
    ...(args.options.introChannelId ? { introChannelId: args.options.introChannelId } : {}),
    ...(args.options.moderatorRoleId ? { moderatorRoleId: args.options.moderatorRoleId } : {}),
    ...(args.introChannelFor ? { introChannelFor: args.introChannelFor } : {}),
  });
}
