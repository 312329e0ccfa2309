import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database, OutboxRow } from '../db/tables.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryReceipt, Destination, Message } from '../messages/model.ts';
import { DeliveryError, type PlatformPort, type SendOptions } from '../platform.ts';
import { introPartnersLeft, membersLeftNote } from '../messages/copy/intro.ts';
import { pendingRow } from './outbox.ts';

/** How hard the dispatcher tries before recording a failure for moderators. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A claimed row whose instance died becomes deliverable again after this. */
  leaseMs: number;
  /** Conversations delivered at once; the platform client paces each method. */
  concurrency?: number;
  /** Rows read per pass. */
  batchSize?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 10 * 60_000, leaseMs: 60_000, concurrency: 32 };

/**
 * What a port's `openConversation` throws when this community has no shared
 * conversations (e.g. no intros channel set): the row becomes one DM per member.
 */
export const CONVERSATION_UNAVAILABLE = 'conversation_unavailable';

/**
 * What `openConversation` throws when fewer than two of its members are still
 * in the community (`missingUserIds` names those who left): no conversation
 * for one person; whoever remains is told privately instead.
 */
export const MEMBERS_GONE = 'members_gone';

/** Exponential backoff with a cap; `Retry-After` from the platform wins when longer. */
export function backoffMs(policy: RetryPolicy, attempts: number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(exp, retryAfterMs ?? 0);
}

/**
 * Delivers outbox rows through the platform ports. A row is claimed with a lease
 * before delivery and marked delivered after, so a process that stops between a
 * commit and its delivery delivers on restart, and two instances never both send
 * the same row. Messages to one conversation go out strictly in order.
 *
 * Exactly once in practice: the row id travels with the message as its
 * idempotency key, and a row whose sending started but was never confirmed
 * (the process died mid-call, a timeout) is sent with `unconfirmedSince`, so
 * the port first looks for the keyed message on the platform (Slack) or lets
 * the platform drop the duplicate (Discord's enforced nonce).
 */
export class Dispatcher {
  private running: Promise<number> | null = null;
  private readonly communities = new Map<string, { platform: string; platform_id: string }>();
  private again = false;
  /** Set by {@link releaseClaims}: a shutting-down instance claims nothing more. */
  private closing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ports: ReadonlyMap<string, PlatformPort>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly instanceId: string = newId(),
  ) {}

  /**
   * Delivers everything due now. Concurrent calls coalesce into one pass plus
   * one more, so a burst of commands never runs parallel passes over one row.
   */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          total += await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  /** Resolves when no pass is running (the sends in flight have been recorded). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => 0);
  }

  /** When the earliest pending row becomes deliverable; null when nothing is pending. */
  async nextAttemptAt(): Promise<Date | null> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.next ? new Date(String(row.next)) : null;
  }

  /**
   * Keeps delivering in the background: drains, then sleeps until the next row is
   * due (a Retry-After, a backoff) or at most `maxSleepMs`, so retries go out on
   * time rather than at the next poll. Returns a stop function.
   */
  runContinuously(maxSleepMs = 1000): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const loop = async (): Promise<void> => {
      if (stopped) return;
      try {
        await this.drain();
      } catch (error) {
        this.log.error({ err: error }, 'outbox drain failed');
      }
      const next = await this.nextAttemptAt().catch(() => null);
      const wait = next ? Math.min(maxSleepMs, Math.max(5, next.getTime() - this.clock.now().getTime())) : maxSleepMs;
      if (!stopped) {
        timer = setTimeout(() => void loop(), wait);
        timer.unref();
      }
    };
    void loop();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  private async pass(): Promise<number> {
    let delivered = 0;
    for (;;) {
      if (this.closing) return delivered;
      const now = this.clock.now().toISOString();
      const platforms = [...this.ports.keys()];
      if (platforms.length === 0) return delivered;
      // Only rows this instance can deliver: another instance may hold the other platforms.
      const pending = await this.db
        .selectFrom('outbox')
        .innerJoin('communities', 'communities.id', 'outbox.community_id')
        .selectAll('outbox')
        .where('outbox.status', '=', 'pending')
        .where('communities.platform', 'in', platforms)
        .orderBy('outbox.seq')
        .limit(this.policy.batchSize ?? 500)
        .execute();
      const seenKeys = new Set<string>();
      const eligible: OutboxRow[] = [];
      for (const row of pending) {
        // Only the oldest pending row of a conversation may go: order within it matters.
        if (seenKeys.has(row.conversation_key)) continue;
        seenKeys.add(row.conversation_key);
        if (row.next_attempt_at > now) continue;
        if (row.claimed_until && row.claimed_until > now) continue;
        eligible.push(row);
      }
      let progressed = 0;
      // Different conversations go out in parallel; each conversation stays strictly ordered.
      await forEachLimit(eligible, this.policy.concurrency ?? 8, async (row) => {
        if (this.closing || !(await this.claim(row, now))) return;
        progressed++;
        if (await this.deliver(row)) delivered++;
      });
      if (progressed === 0) return delivered;
    }
  }

  /**
   * For a graceful shutdown: this instance claims nothing more, and gives back
   * its claims on rows it has not started sending, so another instance (or the
   * next start) delivers them at once instead of after the lease. Returns how
   * many rows were released. Rows already being sent keep their lease; await
   * {@link idle} afterwards to let them finish (each is bounded by the port's
   * timeout). Call it after stopping `runContinuously`.
   */
  async releaseClaims(): Promise<number> {
    this.closing = true;
    const result = await this.db
      .updateTable('outbox')
      .set({ claimed_until: null, claimed_by: null })
      .where('status', '=', 'pending')
      .where('claimed_by', '=', this.instanceId)
      .where('send_started_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private async claim(row: OutboxRow, now: string): Promise<boolean> {
    const until = new Date(Date.parse(now) + this.policy.leaseMs).toISOString();
    const result = await this.db
      .updateTable('outbox')
      .set({ claimed_until: until, claimed_by: this.instanceId })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    const community = await this.communityOf(row.community_id);
    const port = community ? this.ports.get(community.platform) : undefined;
    if (!community || !port) {
      await this.release(row, 'community or platform adapter missing', false);
      return false;
    }
    const destination = JSON.parse(row.destination) as Destination;
    const message = JSON.parse(row.message) as Message;
    if (destination.kind === 'conversation' && !port.openConversation) {
      await this.expandConversation(row, destination);
      return false;
    }
    const send: SendOptions = { key: row.id, checkpoint: (state) => this.checkpoint(row.id, state) };
    if (row.send_started_at) send.unconfirmedSince = new Date(row.send_started_at);
    if (row.progress) send.resume = row.progress;
    try {
      if (!row.send_started_at) {
        // Written before the first call: after a crash, the row says it may already be on the platform.
        // Only while the claim is still ours: a shutdown may have given it back a moment ago.
        const started = await this.db
          .updateTable('outbox')
          .set({ send_started_at: this.clock.now().toISOString() })
          .where('id', '=', row.id)
          .where('claimed_by', '=', this.instanceId)
          .executeTakeFirst();
        if (Number(started.numUpdatedRows) === 0) return false;
      }
      const receipt = await sendTo(port, community.platform_id, destination, message, send);
      const left = destination.kind === 'conversation' && receipt.missing?.length ? receipt.missing : null;
      const note = left ? pendingRow(row.community_id, { kind: 'channel', channelId: receipt.channelId }, JSON.stringify(membersLeftNote(await this.namesOf(row.community_id, left))), this.clock.now().toISOString()) : null;
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('outbox')
          .set({
            status: 'delivered',
            delivered_at: this.clock.now().toISOString(),
            receipt: JSON.stringify(receipt),
            attempts: row.attempts + 1,
            claimed_until: null,
            claimed_by: null,
          })
          .where('id', '=', row.id)
          .execute();
        // The others hear, in their conversation, who could not be added and why.
        if (note) await trx.insertInto('outbox').values(note).execute();
      });
      return true;
    } catch (error) {
      const known = error instanceof DeliveryError ? error : null;
      if (known?.options.code === CONVERSATION_UNAVAILABLE && destination.kind === 'conversation') {
        await this.expandConversation(row, destination);
        return false;
      }
      if (known?.options.code === MEMBERS_GONE && destination.kind === 'conversation') {
        await this.tellRemaining(row, destination, known.options.missingUserIds ?? []);
        return false;
      }
      const retryable = known ? known.options.retryable : true;
      this.log.warn(
        { outboxId: row.id, destination: destination.kind, code: known?.options.code, attempt: row.attempts + 1, err: String(error) },
        'delivery failed',
      );
      if (known?.options.unreachableUserId) await this.noteUnreachable(row.community_id, known.options.unreachableUserId);
      // A rate limit answered before anything was posted: a first attempt refused so leaves nothing to look for.
      const notSent = !row.send_started_at && known?.options.retryAfterMs !== undefined;
      await this.release(row, String(known?.options.code ?? error), retryable, known?.options.retryAfterMs, notSent);
      return false;
    }
  }

  /** Saves a port's progress on a row while this instance still holds its claim. */
  private async checkpoint(id: string, state: string): Promise<void> {
    const saved = await this.db.updateTable('outbox').set({ progress: state }).where('id', '=', id).where('claimed_by', '=', this.instanceId).executeTakeFirst();
    if (Number(saved.numUpdatedRows) === 0) throw new DeliveryError('the outbox claim was lost mid-delivery', { retryable: true, code: 'claim_lost' });
  }

  /** A community's platform and platform id never change, so one lookup serves every row. */
  private async communityOf(id: string): Promise<{ platform: string; platform_id: string } | undefined> {
    const cached = this.communities.get(id);
    if (cached) return cached;
    const row = await this.db.selectFrom('communities').select(['platform', 'platform_id']).where('id', '=', id).executeTakeFirst();
    if (row) this.communities.set(id, row);
    return row;
  }

  private async release(row: OutboxRow, reason: string, retryable: boolean, retryAfterMs?: number, notSent = false): Promise<void> {
    const attempts = row.attempts + 1;
    const giveUp = !retryable || attempts >= this.policy.maxAttempts;
    const next = new Date(this.clock.now().getTime() + backoffMs(this.policy, attempts, retryAfterMs)).toISOString();
    await this.db
      .updateTable('outbox')
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        last_error: reason.slice(0, 500),
        next_attempt_at: next,
        claimed_until: null,
        claimed_by: null,
        ...(notSent ? { send_started_at: null } : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (giveUp) this.log.error({ outboxId: row.id, reason, attempts }, 'delivery failed for good; recorded for moderators');
  }

  /**
   * Without shared conversations each member gets their own copy. Splitting the
   * row into one private row per member keeps every copy exactly-once on its own:
   * a failure for one member never resends to the other.
   */
  private async expandConversation(row: OutboxRow, to: Extract<Destination, { kind: 'conversation' }>): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({ status: 'delivered', delivered_at: now, claimed_until: null, claimed_by: null, last_error: 'split into private copies' })
        .where('id', '=', row.id)
        .execute();
      await trx
        .insertInto('outbox')
        .values(
          to.platformUserIds.map((platformUserId, index) =>
            pendingRow(row.community_id, { kind: 'private', platformUserId, memberId: to.memberIds[index] ?? '' }, row.message, now),
          ),
        )
        .execute();
    });
  }

  /**
   * Everyone else in the conversation has left: no conversation for one person.
   * Whoever remains gets a short private note instead, in the row's place.
   */
  private async tellRemaining(row: OutboxRow, to: Extract<Destination, { kind: 'conversation' }>, left: string[]): Promise<void> {
    const now = this.clock.now().toISOString();
    const gone = new Set(left);
    const remaining = to.platformUserIds.map((id, index) => ({ id, memberId: to.memberIds[index] ?? '' })).filter((m) => !gone.has(m.id));
    const note = JSON.stringify(introPartnersLeft(await this.namesOf(row.community_id, left)));
    this.log.info({ outboxId: row.id, left: left.length, remaining: remaining.length }, 'conversation members left; telling the rest privately');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({ status: 'delivered', delivered_at: now, claimed_until: null, claimed_by: null, last_error: `${MEMBERS_GONE}: ${left.length} left` })
        .where('id', '=', row.id)
        .execute();
      if (remaining.length > 0) {
        await trx
          .insertInto('outbox')
          .values(remaining.map((m) => pendingRow(row.community_id, { kind: 'private', platformUserId: m.id, memberId: m.memberId }, note, now)))
          .execute();
      }
    });
  }

  /** Display names of these platform users in the community, in order; "A member" for anyone unknown. */
  private async namesOf(communityId: string, platformUserIds: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('members')
      .select(['platform_user_id', 'display_name'])
      .where('community_id', '=', communityId)
      .where('platform_user_id', 'in', platformUserIds)
      .execute();
    const byId = new Map(rows.map((r) => [r.platform_user_id, r.display_name]));
    return platformUserIds.map((id) => byId.get(id) ?? 'A member');
  }

  /** A member we could not DM hears about it privately at their next command. */
  private async noteUnreachable(communityId: string, platformUserId: string): Promise<void> {
    const member = await this.db
      .selectFrom('members')
      .select('id')
      .where('community_id', '=', communityId)
      .where('platform_user_id', '=', platformUserId)
      .executeTakeFirst();
    if (!member) return;
    const existing = await this.db
      .selectFrom('pending_notices')
      .select('id')
      .where('community_id', '=', communityId)
      .where('member_id', '=', member.id)
      .where('text', '=', 'dm_refused')
      .executeTakeFirst();
    if (existing) return;
    await this.db
      .insertInto('pending_notices')
      .values({
        id: newId(),
        community_id: communityId,
        member_id: member.id,
        text: 'dm_refused',
        created_at: this.clock.now().toISOString(),
      })
      .execute();
  }
}

/** Routes one destination to the port, with the core's fallback for shared conversations. */
async function sendTo(
  port: PlatformPort,
  communityPlatformId: string,
  to: Destination,
  message: Message,
  send: SendOptions,
): Promise<DeliveryReceipt> {
  switch (to.kind) {
    case 'channel':
      return port.postToChannel(communityPlatformId, to.channelId, message, send);
    case 'private':
      return port.sendPrivate(communityPlatformId, to.platformUserId, message, send);
    case 'conversation':
      // Ports without shared conversations never get here: deliver() splits those rows.
      return port.openConversation!(communityPlatformId, to.platformUserIds, to.title, message, send);
  }
}

/** Runs `fn` over items with at most `limit` in flight. */
async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
