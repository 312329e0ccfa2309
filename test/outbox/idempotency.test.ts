import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { ensureCommunity } from '../../src/db/communities.ts';
import type { Db } from '../../src/db/database.ts';
import { message, p } from '../../src/messages/build.ts';
import type { DeliveryReceipt, Destination, Message } from '../../src/messages/model.ts';
import { Dispatcher, type RetryPolicy } from '../../src/outbox/dispatcher.ts';
import { enqueue } from '../../src/outbox/outbox.ts';
import { DeliveryError, type PlatformPort, type SendOptions } from '../../src/platform.ts';
import { testDatabases } from '../support/databases.ts';
import { quietLog, START } from '../support/harness.ts';

/**
 * The dispatcher's half of "exactly once in practice": every send carries the
 * row id as its key, and a row whose sending started but was never confirmed
 * is sent again only with `unconfirmedSince`, so the port looks first.
 */

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000, leaseMs: 30_000, concurrency: 4 };

interface Sent {
  to: string;
  send: SendOptions | undefined;
}

/** A port that records what it was asked, can fail, or can hang forever (a process killed mid-call). */
class KeyedPort implements PlatformPort {
  readonly platform = 'console';
  readonly sent: Sent[] = [];
  hang = false;
  failWith: DeliveryError | null = null;
  /** When set, sends wait for it: a slow platform the test lets go. */
  gate: Promise<void> | null = null;

  private async deliver(to: string, send: SendOptions | undefined): Promise<DeliveryReceipt> {
    this.sent.push({ to, send });
    if (this.hang) return new Promise<DeliveryReceipt>(() => {});
    if (this.gate) await this.gate;
    if (this.failWith) {
      const error = this.failWith;
      this.failWith = null;
      throw error;
    }
    return { channelId: to, messageId: String(this.sent.length) };
  }

  postToChannel(_c: string, channelId: string, _m: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    return this.deliver(channelId, send);
  }

  sendPrivate(_c: string, userId: string, _m: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    return this.deliver(userId, send);
  }

  /** Like a port that opens a place first: saves it as the row's checkpoint, then posts. */
  async openConversation(_c: string, userIds: string[], _t: string, _m: Message, send?: SendOptions): Promise<DeliveryReceipt> {
    await send?.checkpoint?.(send.resume ?? `opened:${userIds.join('+')}`);
    return this.deliver(userIds.join('+'), send);
  }
}

describe.each(testDatabases)('outbox idempotency keys on $name', (testDb) => {
  let database: Db;
  let release: () => Promise<void>;
  let clock: ManualClock;
  let communityId: string;

  beforeEach(async () => {
    ({ database, release } = await testDb.open());
    clock = new ManualClock(START);
    communityId = (await ensureCommunity(database.db, 'console', 'c1', 'Test', clock.now())).id;
  });
  afterEach(async () => release());

  const queue = async (n: number): Promise<string[]> => {
    const items = Array.from({ length: n }, (_, i) => ({
      to: { kind: 'conversation', platformUserIds: [`a${i}`, `b${i}`], memberIds: ['', ''], title: `Intro ${i}` } as Destination,
      message: message(p(`Introduction ${i}`)),
    }));
    await enqueue(database.db, communityId, items, clock.now());
    const rows = await database.db.selectFrom('outbox').select('id').orderBy('seq').execute();
    return rows.map((r) => r.id);
  };

  const rows = () => database.db.selectFrom('outbox').selectAll().orderBy('seq').execute();

  it('sends every row with its id as the key, and no lookup on a first attempt', async () => {
    const ids = await queue(3);
    const port = new KeyedPort();
    await new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, POLICY).drain();
    expect(port.sent.map((s) => s.send?.key).sort()).toEqual([...ids].sort());
    expect(port.sent.every((s) => s.send?.unconfirmedSince === undefined)).toBe(true);
    expect((await rows()).every((r) => r.status === 'delivered' && r.claimed_by === null)).toBe(true);
  });

  it('after a crash mid-send, the next instance waits out the lease, then sends with unconfirmedSince', async () => {
    const ids = await queue(2);
    const dead = new KeyedPort();
    dead.hang = true; // The platform may have the message; the process dies before hearing back.
    void new Dispatcher(database.db, new Map([['console', dead]]), clock, quietLog, POLICY, 'dead-instance').drain();
    // The dead instance's calls are stuck on the platform; wait until both have started.
    await vi.waitFor(() => expect(dead.sent).toHaveLength(2));
    const startedAt = clock.now().toISOString();
    const claimed = await rows();
    expect(claimed.map((r) => [r.claimed_by, r.send_started_at])).toEqual([
      ['dead-instance', startedAt],
      ['dead-instance', startedAt],
    ]);

    const port = new KeyedPort();
    const restarted = new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, POLICY, 'new-instance');
    clock.advance(POLICY.leaseMs - 1);
    expect(await restarted.drain()).toBe(0);
    expect(port.sent).toHaveLength(0);

    clock.advance(1);
    expect(await restarted.drain()).toBe(2);
    expect(port.sent.map((s) => s.send?.key).sort()).toEqual([...ids].sort());
    expect(port.sent.map((s) => s.send?.unconfirmedSince?.toISOString())).toEqual([startedAt, startedAt]);
    // What the dead instance had opened before it died is handed back, so the retry resumes there.
    expect(dead.sent.map((s) => s.send?.resume)).toEqual([undefined, undefined]);
    expect(port.sent.map((s) => s.send?.resume).sort()).toEqual(['opened:a0+b0', 'opened:a1+b1']);
    expect((await rows()).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('keeps "may be there" after a timeout, but not after a rate limit that refused a first attempt', async () => {
    await queue(1);
    const port = new KeyedPort();
    const dispatcher = new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, POLICY);

    port.failWith = new DeliveryError('ratelimited', { retryable: true, code: 'ratelimited', retryAfterMs: 5_000 });
    await dispatcher.drain();
    expect((await rows())[0]!.send_started_at).toBeNull();
    clock.advance(5_000);
    port.failWith = new DeliveryError('timeout', { retryable: true, code: 'request_error' });
    const timedOutAt = clock.now().toISOString();
    await dispatcher.drain();
    expect((await rows())[0]!.send_started_at).toBe(timedOutAt);
    clock.advance(10_000);
    await dispatcher.drain();
    expect(port.sent.map((s) => s.send?.unconfirmedSince?.toISOString() ?? null)).toEqual([null, null, timedOutAt]);
    expect((await rows())[0]!.status).toBe('delivered');
  });

  it('a rate limit on a retry of an unconfirmed row keeps the lookup for the next try', async () => {
    await queue(1);
    const port = new KeyedPort();
    const dispatcher = new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, POLICY);
    port.failWith = new DeliveryError('timeout', { retryable: true, code: 'request_error' });
    const startedAt = clock.now().toISOString();
    await dispatcher.drain();
    clock.advance(1_000);
    port.failWith = new DeliveryError('ratelimited', { retryable: true, code: 'ratelimited', retryAfterMs: 5_000 });
    await dispatcher.drain();
    expect((await rows())[0]!.send_started_at).toBe(startedAt);
    clock.advance(5_000);
    await dispatcher.drain();
    expect(port.sent.at(-1)!.send?.unconfirmedSince?.toISOString()).toBe(startedAt);
  });

  it('releaseClaims gives back only this instance\u2019s claims that never started sending', async () => {
    const [mine, started, theirs] = await queue(3);
    const until = new Date(clock.now().getTime() + POLICY.leaseMs).toISOString();
    const now = clock.now().toISOString();
    await database.db.updateTable('outbox').set({ claimed_by: 'me', claimed_until: until }).where('id', '=', mine!).execute();
    await database.db.updateTable('outbox').set({ claimed_by: 'me', claimed_until: until, send_started_at: now }).where('id', '=', started!).execute();
    await database.db.updateTable('outbox').set({ claimed_by: 'other', claimed_until: until }).where('id', '=', theirs!).execute();
    const dispatcher = new Dispatcher(database.db, new Map([['console', new KeyedPort()]]), clock, quietLog, POLICY, 'me');
    expect(await dispatcher.releaseClaims()).toBe(1);
    const after = new Map((await rows()).map((r) => [r.id, [r.claimed_by, r.claimed_until]]));
    expect(after.get(mine!)).toEqual([null, null]);
    expect(after.get(started!)).toEqual(['me', until]);
    expect(after.get(theirs!)).toEqual(['other', until]);
    // The released row goes out at once, without waiting for a lease.
    const port = new KeyedPort();
    await new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, POLICY, 'next').drain();
    expect(port.sent.map((s) => s.send?.key)).toEqual([mine]);
  });

  it('on shutdown, releaseClaims stops claiming, lets the send in flight finish, and the rest go out at once elsewhere', async () => {
    await queue(3);
    const port = new KeyedPort();
    let letGo = (): void => undefined;
    port.gate = new Promise<void>((resolve) => (letGo = resolve));
    const stopping = new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, { ...POLICY, concurrency: 1 }, 'stopping');
    const pass = stopping.drain();
    await vi.waitFor(() => expect(port.sent).toHaveLength(1));
    expect(await stopping.releaseClaims()).toBe(0); // The one claim it holds is being sent.
    letGo();
    await stopping.idle();
    await pass;
    expect(port.sent).toHaveLength(1);
    const after = await rows();
    expect(after.map((r) => [r.status, r.claimed_by])).toEqual([
      ['delivered', null],
      ['pending', null],
      ['pending', null],
    ]);
    // No lease to wait out: the next instance delivers the rest now.
    const next = new KeyedPort();
    expect(await new Dispatcher(database.db, new Map([['console', next]]), clock, quietLog, POLICY, 'next').drain()).toBe(2);
  });

  it('a claim given back before sending started is not sent by the old holder', async () => {
    const [id] = await queue(1);
    const port = new KeyedPort();
    const dispatcher = new Dispatcher(database.db, new Map([['console', port]]), clock, quietLog, POLICY, 'old');
    // The shutdown's release lands between the claim and the first send.
    const claim = (dispatcher as unknown as { claim: (row: unknown, now: string) => Promise<boolean> }).claim.bind(dispatcher);
    (dispatcher as unknown as { claim: typeof claim }).claim = async (row, now) => {
      const ok = await claim(row, now);
      expect(await dispatcher.releaseClaims()).toBe(1);
      return ok;
    };
    await dispatcher.drain();
    expect(port.sent).toHaveLength(0);
    expect((await rows()).map((r) => [r.id, r.status, r.claimed_by, r.send_started_at])).toEqual([[id, 'pending', null, null]]);
  });
});
