import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;

/**
 * What Circulate needs to know about a Slack user, from `users.info`. Cached per
 * workspace and user: every command and every DM needs it, and `users.info` is
 * rate-limited (Tier 4), so a burst of commands must not cost a call each.
 */
export interface SlackUser {
  id: string;
  displayName: string;
  timeZone: string | null;
  isBot: boolean;
  deleted: boolean;
  /** Workspace admins and owners act as Circulate moderators. */
  isAdmin: boolean;
  /** Shared with users:read.email; used only for breakout-room CSVs. */
  email: string | null;
}

interface UsersInfoUser {
  id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  profile?: { display_name?: string; real_name?: string; email?: string };
}

/** Picks the name people see in Slack: display name, then real name, then handle. */
export function toSlackUser(u: UsersInfoUser, fallbackId: string): SlackUser {
  const name = u.profile?.display_name?.trim() || u.profile?.real_name?.trim() || u.real_name?.trim() || u.name?.trim() || fallbackId;
  return {
    id: u.id ?? fallbackId,
    displayName: name.slice(0, 80),
    timeZone: u.tz ?? null,
    isBot: Boolean(u.is_bot) || fallbackId === 'USLACKBOT',
    deleted: Boolean(u.deleted),
    isAdmin: Boolean(u.is_admin || u.is_owner),
    email: u.profile?.email?.trim() || null,
  };
}

/** Thrown by the directory when Slack says the user does not exist. */
export class UnknownSlackUser extends Error {
  override readonly name = 'UnknownSlackUser';
}

/**
 * How old a cached `users.info` answer may be when it decides moderator power:
 * an admin demoted in Slack loses Circulate's moderator tools (and, at their next
 * command, the reports) within this long.
 */
export const MODERATOR_RECHECK_MS = 5 * 60_000;

/** A `users.info` cache with a time to live and a size bound; concurrent lookups share one call. */
export class UserDirectory {
  private readonly cache = new Map<string, { user: SlackUser; expires: number; fetchedAt: number }>();
  private readonly inflight = new Map<string, Promise<SlackUser>>();

  constructor(
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /**
   * The user, from cache or `users.info`. Throws {@link UnknownSlackUser} for
   * `user_not_found`; other Web API errors propagate for the caller to classify.
   */
  /**
   * `beforeCall` runs only when Slack is actually asked (a cache miss), e.g. to pace users.info.
   * `maxAgeMs` asks for an answer no older than that (e.g. {@link MODERATOR_RECHECK_MS} when
   * the answer decides moderator power), however long the cache would keep it.
   */
  async get(client: WebClient, token: string | undefined, teamId: string, userId: string, beforeCall?: () => Promise<void>, maxAgeMs?: number): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now && (maxAgeMs === undefined || now - hit.fetchedAt < maxAgeMs)) return hit.user;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const call = (async () => {
      try {
        await beforeCall?.();
        const res = await client.users.info({ user: userId, ...(token ? { token } : {}) });
        const user = toSlackUser((res.user ?? {}) as UsersInfoUser, userId);
        this.remember(key, user, now);
        return user;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error === 'user_not_found') throw new UnknownSlackUser(userId);
        throw error;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, call);
    return call;
  }

  /** Forgets a user, e.g. after `user_change`, so the next lookup is fresh. */
  forget(teamId: string, userId: string): void {
    this.cache.delete(`${teamId}:${userId}`);
  }

  private remember(key: string, user: SlackUser, now: number): void {
    const max = this.options.maxEntries ?? 10_000;
    if (this.cache.size >= max) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.delete(key);
    this.cache.set(key, { user, expires: now + (this.options.ttlMs ?? 60 * 60_000), fetchedAt: now });
  }
}
