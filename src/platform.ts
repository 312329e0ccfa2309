import type { PlatformUser } from './db/members.ts';
import type { DeliveryReceipt, Message } from './messages/model.ts';

/**
 * The one interface the core uses to reach a platform. Adapters implement it;
 * optional methods are capabilities some platforms lack, and the core supplies
 * the fallback (a DM to each member instead of a shared conversation).
 */
export interface PlatformPort {
  /** "slack", "discord" or "console": matches `communities.platform`. */
  readonly platform: string;

  /** Posts a message in a channel of the community. */
  postToChannel(communityPlatformId: string, channelId: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt>;

  /** Sends a message only this member sees: a DM, or the platform's closest equivalent. */
  sendPrivate(communityPlatformId: string, platformUserId: string, message: Message, send?: SendOptions): Promise<DeliveryReceipt>;

  /** Opens one conversation between these members (group DM, private thread) and posts there. */
  openConversation?(
    communityPlatformId: string,
    platformUserIds: string[],
    title: string,
    message: Message,
    send?: SendOptions,
  ): Promise<DeliveryReceipt>;

  /** Replaces a message sent earlier, e.g. to remove buttons once answered. */
  updateMessage?(communityPlatformId: string, receipt: DeliveryReceipt, message: Message): Promise<void>;

  /** Looks up a user's display name and time zone for first contact. */
  lookupUser?(communityPlatformId: string, platformUserId: string): Promise<PlatformUser | null>;

  /**
   * Whether the platform still gives this user moderator power (Slack admin or
   * owner; Discord Manage Server or the moderator role), or undefined when it
   * cannot tell. Lets the core drop a demoted moderator who never comes back,
   * so reports stop reaching them.
   */
  moderatorStatus?(communityPlatformId: string, platformUserId: string): Promise<boolean | undefined>;
}

/**
 * How the outbox asks a port to deliver one row exactly once in practice:
 * `key` (the outbox row id) travels with the message (Slack metadata, a
 * Discord nonce derived from it); `unconfirmedSince` is set when an earlier
 * attempt started at that time and was never confirmed, so the message may
 * already be there and the port must look before posting again.
 */
export interface SendOptions {
  key: string;
  unconfirmedSince?: Date;
  /** What an earlier attempt saved with `checkpoint` (e.g. the thread it opened): resume from it. */
  resume?: string;
  /** Saves progress durably before the next step, so a retry after a crash resumes instead of repeating it. */
  checkpoint?: (state: string) => Promise<void>;
}

/**
 * A failed delivery, classified by the adapter. Retryable failures (rate limits,
 * timeouts, 5xx) go back to the outbox with backoff; permanent ones (closed DMs,
 * missing channels, revoked tokens) are recorded for moderators and not retried.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    message: string,
    readonly options: {
      retryable: boolean;
      /** Platform error code, e.g. "channel_not_found" or 50007. */
      code?: string;
      /** Wait at least this long before the next try (Retry-After). */
      retryAfterMs?: number;
      /** The member who could not be reached, so they can be told at their next command. */
      unreachableUserId?: string;
      /** Members who have left the community: a conversation could not hold them (see MEMBERS_GONE). */
      missingUserIds?: string[];
    },
  ) {
    super(message);
  }
}
