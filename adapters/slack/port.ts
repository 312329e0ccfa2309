import { webApi } from '@slack/bolt';
import { DeliveryError, type DeliveryReceipt, type LaneRule, type Logger, MEMBERS_GONE, type Message, type PlatformPort, type PlatformUser, RateLimiter, type SendOptions } from '../../src/index.ts';
import { FileUploadError, prepareFiles, shareFiles, type PreparedFile } from './files.ts';
import { renderMessage } from './render.ts';
import { MODERATOR_RECHECK_MS, UnknownSlackUser, UserDirectory, type SlackUser } from './users.ts';

type WebClient = webApi.WebClient;

/**
 * Slack errors that will not go away by trying again: the outbox records them
 * for moderators instead of retrying for days.
 */
export const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'user_not_found',
  'users_not_found',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'invalid_auth',
  'not_authed',
  'missing_scope',
  'cannot_dm_bot',
  'user_disabled',
  'messages_tab_disabled',
  'restricted_action',
  'team_access_not_granted',
  'no_permission',
  'org_login_required',
  'ekm_access_denied',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'too_many_users',
  'file_uploads_disabled',
  'file_upload_size_restricted',
  'file_type_not_allowed',
  'file_not_found',
  'alt_txt_too_large',
]);

/** `metadata.event_type` of every message the outbox posts; its payload's `key` is the outbox row id. */
export const OUTBOX_EVENT_TYPE = 'circulate_outbox';

/** History searched before an unconfirmed attempt: clocks differ, and the claim precedes the post. */
const HISTORY_MARGIN_MS = 60_000;

/** At most this many pages of 200 messages are searched for a key. */
const HISTORY_PAGES = 5;

/** A conversation member who answers with these has left the workspace: the others are introduced without them. */
const LEFT_WORKSPACE = new Set(['user_not_found', 'account_inactive']);

/** Errors meaning this one member cannot be reached; they hear about it at their next command. */
const USER_UNREACHABLE = new Set(['user_not_found', 'account_inactive', 'cannot_dm_bot', 'user_disabled', 'messages_tab_disabled']);

/**
 * Classifies a Web API failure as the outbox understands it. Rate limits carry
 * Retry-After; 5xx, timeouts and network errors are retryable; Slack's named
 * errors are permanent when listed in {@link PERMANENT_ERRORS} and otherwise
 * retried (unknown errors are more often transient than not).
 */
export function classifySlackError(error: unknown, method: string, userId?: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof FileUploadError) {
    // The upload URL answered: 5xx, 408 and 429 may pass; another 4xx means the bytes themselves were refused.
    const status = error.status;
    const retryable = status === undefined || status >= 500 || status === 408 || status === 429;
    return new DeliveryError(`${method}: ${error.message}`, { retryable, code: status === undefined ? 'upload_failed' : `upload_http_${status}` });
  }
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryError(`${method}: ratelimited`, { retryable: true, code: 'ratelimited', retryAfterMs: (e.retryAfter ?? 1) * 1000 });
    case webApi.ErrorCode.HTTPError:
      return new DeliveryError(`${method}: HTTP ${e.statusCode}`, {
        retryable: (e.statusCode ?? 500) >= 500 || e.statusCode === 408,
        code: `http_${e.statusCode}`,
      });
    case webApi.ErrorCode.RequestError:
      return new DeliveryError(`${method}: request failed (${e.message ?? 'network'})`, { retryable: true, code: 'request_error' });
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      const permanent = PERMANENT_ERRORS.has(code);
      return new DeliveryError(`${method}: ${code}`, {
        retryable: !permanent,
        code,
        ...(permanent && userId && USER_UNREACHABLE.has(code) ? { unreachableUserId: userId } : {}),
      });
    }
    default:
      return new DeliveryError(`${method}: ${e.message ?? String(error)}`, { retryable: true, code: 'unknown_error' });
  }
}

/** Where the port gets a workspace's bot token: one fixed token, or the OAuth installation store. */
export type TokenSource = (teamId: string) => Promise<string>;

/** What {@link createSlackPort} needs; `client` is built from `apiUrl` when not given. */
export interface SlackPortOptions {
  log: Logger;
  /** One workspace: its bot token (SLACK_BOT_TOKEN). */
  botToken?: string;
  /** Many workspaces: tokens from the installation store; `startSlack` attaches it when OAuth is configured. */
  tokenFor?: TokenSource;
  /** Web API base URL (SLACK_API_URL), e.g. a fake in tests. */
  apiUrl?: string;
  client?: WebClient;
  users?: UserDirectory;
  /** Per-call timeout; a timeout is retried by the outbox. */
  timeoutMs?: number;
  /**
   * Paces calls per method (and chat.postMessage per channel) so a fan-out runs
   * at Slack's rates instead of bouncing off 429s. Defaults to Slack's tiers.
   */
  limiter?: RateLimiter;
}

/** Slack's published limits for the methods deliveries use (per workspace). */
export const SLACK_LANES: Record<string, LaneRule> = {
  'users.info': { perSecond: 100 / 60, burst: 100 },
  'conversations.open': { perSecond: 50 / 60, burst: 50 },
  'chat.update': { perSecond: 50 / 60, burst: 50 },
  // Tier 3: only used to look for a message whose delivery was never confirmed.
  'conversations.history': { perSecond: 50 / 60, burst: 50 },
  // Files: both steps are Tier 4 (files.getUploadURLExternal, files.completeUploadExternal).
  'files.getUploadURLExternal': { perSecond: 100 / 60, burst: 100 },
  'files.completeUploadExternal': { perSecond: 100 / 60, burst: 100 },
  // chat.postMessage: about one message a second per channel, short bursts allowed.
  'chat.postMessage': { perSecond: 1, burst: 3 },
};

/** Lanes: "method" or, for chat.postMessage, "chat.postMessage:CHANNEL". */
export function slackLaneRule(lane: string): LaneRule | null {
  const [method, channel] = lane.split(':') as [string, string | undefined];
  if (method === 'chat.postMessage') return channel ? SLACK_LANES[method]! : null;
  return SLACK_LANES[method] ?? null;
}

/**
 * A WebClient for outbox deliveries. It never waits or retries by itself: a 429
 * surfaces at once with its Retry-After so the outbox can schedule the retry
 * durably instead of holding a pass (and every conversation behind it) asleep.
 */
export function deliveryClient(apiUrl: string | undefined, timeoutMs = 10_000): WebClient {
  return new webApi.WebClient(undefined, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logLevel: webApi.LogLevel.ERROR,
  });
}

/**
 * Circulate's Slack platform port: the outbox delivers through it. Private
 * messages go to the user's DM with the bot, introductions to one group DM
 * with both members; bots and deactivated users are never messaged.
 */
export class SlackPort implements PlatformPort {
  readonly platform = 'slack';
  private readonly client: WebClient;
  readonly users: UserDirectory;
  private tokenFor: TokenSource | undefined;

  private readonly limiter: RateLimiter;

  constructor(private readonly options: SlackPortOptions) {
    this.client = options.client ?? deliveryClient(options.apiUrl, options.timeoutMs);
    this.limiter = options.limiter ?? new RateLimiter(slackLaneRule);
    this.users = options.users ?? new UserDirectory();
    const fixed = options.botToken;
    this.tokenFor = options.tokenFor ?? (fixed ? async () => fixed : undefined);
  }

  /** Switches to per-workspace tokens (OAuth installs); the port exists before the database that holds them. */
  useTokens(source: TokenSource): void {
    this.tokenFor = source;
  }

  async postToChannel(teamId: string, channelId: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    return this.post(teamId, channelId, message, undefined, send);
  }

  async sendPrivate(teamId: string, platformUserId: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    await this.requireHuman(teamId, platformUserId);
    // Posting to a user id lands in the app's DM with them and answers with the D… channel for later updates.
    return this.post(teamId, platformUserId, message, platformUserId, send);
  }

  async openConversation(
    teamId: string,
    platformUserIds: string[],
    _title: string,
    message: Message,
    send?: SendOptions,
  ): Promise<DeliveryReceipt> {
    // A member who has left (deactivated, gone) must not sink the others' introduction: leave them out and say so.
    const distinct = [...new Set(platformUserIds)];
    const checks = await Promise.allSettled(distinct.map((id) => this.requireHuman(teamId, id)));
    const missing: string[] = [];
    for (const [index, check] of checks.entries()) {
      if (check.status === 'fulfilled') continue;
      const error: unknown = check.reason;
      if (error instanceof DeliveryError && LEFT_WORKSPACE.has(error.options.code ?? '')) missing.push(distinct[index]!);
      else throw error;
    }
    if (missing.length > 0 && distinct.length - missing.length < 2) {
      throw new DeliveryError(`members left the workspace: ${missing.join(', ')}`, { retryable: false, code: MEMBERS_GONE, missingUserIds: missing });
    }
    const token = await this.token(teamId);
    const users = distinct.filter((id) => !missing.includes(id)).join(',');
    let channel: string | undefined;
    try {
      await this.limiter.acquire('conversations.open');
      const res = await this.client.conversations.open({ token, users });
      channel = (res.channel as { id?: string } | undefined)?.id;
    } catch (error) {
      throw this.fail(error, 'conversations.open', teamId);
    }
    if (!channel) throw new DeliveryError('conversations.open: no channel', { retryable: true, code: 'no_channel' });
    const receipt = await this.post(teamId, channel, message, undefined, send);
    return missing.length > 0 ? { ...receipt, missing } : receipt;
  }

  async updateMessage(teamId: string, receipt: DeliveryReceipt, message: Message): Promise<void> {
    const token = await this.token(teamId);
    try {
      await this.limiter.acquire('chat.update');
      await this.client.chat.update({ token, channel: receipt.channelId, ts: receipt.messageId, ...renderMessage(message) });
    } catch (error) {
      throw this.fail(error, 'chat.update', teamId);
    }
  }

  async lookupUser(teamId: string, platformUserId: string): Promise<PlatformUser | null> {
    const user = await this.user(teamId, platformUserId).catch(() => null);
    if (!user || user.isBot || user.deleted) return null;
    return { platformUserId, displayName: user.displayName, timeZone: user.timeZone };
  }

  /**
   * Posts a message and shares its files after it, in the same conversation.
   * The files' bytes go up first (nothing shows until they are shared), so a
   * failed upload fails the delivery before anything was posted; only a failed
   * share, after the message, can make the outbox's retry post the text twice.
   *
   * Every message carries the outbox key in its metadata; when an earlier
   * attempt was never confirmed, the channel's history since then is searched
   * for that key first, and a message found there is the delivery.
   */
  private async post(teamId: string, channel: string, message: Message, userId?: string, send?: SendOptions): Promise<DeliveryReceipt> {
    const token = await this.token(teamId);
    if (send?.unconfirmedSince && message.blocks.length > 0) {
      const found = await this.findKeyed(teamId, token, channel, send.key, send.unconfirmedSince, userId);
      if (found) return found;
    }
    const prepared = await this.prepareFiles(teamId, token, message, userId);
    let receipt: DeliveryReceipt;
    if (message.blocks.length === 0 && prepared.length > 0) {
      // Files alone: share them where a message would have gone; a user id means the DM with them.
      receipt = { channelId: /^[UW]/.test(channel) ? await this.dmWith(teamId, token, channel) : channel, messageId: '' };
    } else {
      try {
        await this.limiter.acquire(`chat.postMessage:${channel}`);
        const res = await this.client.chat.postMessage({
          token,
          channel,
          ...renderMessage(message),
          unfurl_links: false,
          unfurl_media: false,
          ...(send ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: send.key } } } : {}),
        });
        receipt = { channelId: res.channel ?? channel, messageId: res.ts ?? '' };
      } catch (error) {
        throw this.fail(error, 'chat.postMessage', teamId, userId);
      }
    }
    if (prepared.length > 0) {
      try {
        await shareFiles(this.client, receipt.channelId, prepared, { token, beforeCall: (method) => this.limiter.acquire(method) });
      } catch (error) {
        throw this.fail(error, 'files.completeUploadExternal', teamId, userId);
      }
    }
    return receipt;
  }

  /**
   * The message this bot already posted with this outbox key, if any: reads
   * the conversation's history from a minute before the unconfirmed attempt
   * (a few pages at most). A failed lookup fails the attempt (retried later)
   * rather than risk a duplicate.
   */
  private async findKeyed(teamId: string, token: string, channel: string, key: string, since: Date, userId?: string): Promise<DeliveryReceipt | null> {
    const channelId = /^[UW]/.test(channel) ? await this.dmWith(teamId, token, channel) : channel;
    const oldest = ((since.getTime() - HISTORY_MARGIN_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    try {
      for (let page = 0; page < HISTORY_PAGES; page++) {
        await this.limiter.acquire('conversations.history');
        const res = await this.client.conversations.history({
          token,
          channel: channelId,
          oldest,
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const m of res.messages ?? []) {
          const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown } } | undefined;
          if (meta?.event_type === OUTBOX_EVENT_TYPE && meta.event_payload?.key === key && m.ts) {
            this.options.log.info({ team: teamId, channel: channelId, key }, 'Slack message already posted before a restart; not sending it again');
            return { channelId, messageId: m.ts };
          }
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor || !res.has_more) break;
      }
    } catch (error) {
      const failed = classifySlackError(error, 'conversations.history', userId);
      if (failed.options.code === 'missing_scope') {
        // An install from before the history scopes: post again (at least once) rather than never.
        this.options.log.warn({ team: teamId, key }, 'cannot read history to check an unconfirmed delivery (missing_scope); posting again');
        return null;
      }
      throw this.logged(failed, 'conversations.history', teamId);
    }
    return null;
  }

  private async prepareFiles(teamId: string, token: string, message: Message, userId?: string): Promise<PreparedFile[]> {
    if (!message.files?.length) return [];
    try {
      return await prepareFiles(this.client, message.files, { token, timeoutMs: this.options.timeoutMs, beforeCall: (method) => this.limiter.acquire(method) });
    } catch (error) {
      throw this.fail(error, 'files.getUploadURLExternal', teamId, userId);
    }
  }

  private async dmWith(teamId: string, token: string, userId: string): Promise<string> {
    try {
      await this.limiter.acquire('conversations.open');
      const res = await this.client.conversations.open({ token, users: userId });
      const id = (res.channel as { id?: string } | undefined)?.id;
      if (id) return id;
    } catch (error) {
      throw this.fail(error, 'conversations.open', teamId, userId);
    }
    throw new DeliveryError('conversations.open: no channel', { retryable: true, code: 'no_channel' });
  }

  async moderatorStatus(teamId: string, platformUserId: string): Promise<boolean | undefined> {
    try {
      const user = await this.user(teamId, platformUserId, MODERATOR_RECHECK_MS);
      return user.isAdmin && !user.deleted;
    } catch (error) {
      // A user Slack no longer knows moderates nothing; a failed call tells nothing.
      return error instanceof UnknownSlackUser ? false : undefined;
    }
  }

  private async user(teamId: string, userId: string, maxAgeMs?: number): Promise<SlackUser> {
    const token = await this.token(teamId);
    // Cached users cost no call; only a real users.info waits for the lane.
    return this.users.get(this.client, token, teamId, userId, () => this.limiter.acquire('users.info'), maxAgeMs);
  }

  /** Refuses, permanently, to message bots, deactivated or unknown users. */
  private async requireHuman(teamId: string, userId: string): Promise<void> {
    let user: SlackUser;
    try {
      user = await this.user(teamId, userId);
    } catch (error) {
      if (error instanceof UnknownSlackUser) {
        throw this.logged(new DeliveryError(`users.info: user_not_found`, { retryable: false, code: 'user_not_found' }), 'users.info', teamId);
      }
      throw this.fail(error, 'users.info', teamId);
    }
    if (user.isBot) throw this.logged(new DeliveryError('refusing to message a bot', { retryable: false, code: 'user_is_bot' }), 'users.info', teamId);
    if (user.deleted) {
      throw this.logged(new DeliveryError('user is deactivated', { retryable: false, code: 'account_inactive' }), 'users.info', teamId);
    }
  }

  private async token(teamId: string): Promise<string> {
    try {
      if (!this.tokenFor) throw new Error('no bot token or installation store configured');
      return await this.tokenFor(teamId);
    } catch (error) {
      throw this.logged(
        new DeliveryError(`no Slack installation for team ${teamId}: ${String(error)}`, { retryable: false, code: 'not_installed' }),
        'installation',
        teamId,
      );
    }
  }

  private fail(error: unknown, method: string, teamId: string, userId?: string): DeliveryError {
    return this.logged(classifySlackError(error, method, userId), method, teamId);
  }

  private logged(error: DeliveryError, method: string, teamId: string): DeliveryError {
    const entry = { method, code: error.options.code, team: teamId, retryable: error.options.retryable, retryAfterMs: error.options.retryAfterMs };
    if (error.options.retryable) this.options.log.warn(entry, 'Slack call failed; the outbox will retry');
    else this.options.log.error(entry, 'Slack call failed permanently; recorded for moderators');
    return error;
  }
}

/** The port the outbox delivers Slack messages through. */
export function createSlackPort(options: SlackPortOptions): SlackPort {
  return new SlackPort(options);
}
