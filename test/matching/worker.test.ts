import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { generateCommunity } from '../../src/matching/synthetic.ts';
import { breakoutGroupsInWorker, MatchingThread, matchingThread, pairRoundInWorker } from '../../src/matching/offthread.ts';
import { breakoutGroups, pairRound } from '../../src/matching/round.ts';
import type { MatchContext } from '../../src/matching/types.ts';
import { quietLog, testConfig } from '../support/harness.ts';

describe('off-thread matching', () => {
  it('gives the same result as the synchronous call and logs the seed', async () => {
    const { members, ctx } = generateCommunity(500, 21);
    const logs: Record<string, unknown>[] = [];
    const viaWorker = await pairRoundInWorker(members, ctx, {}, (_msg, fields) => logs.push(fields));
    expect(viaWorker).toEqual(pairRound(members, ctx));
    expect(logs.some((l) => l.seed === ctx.seed)).toBe(true);
  });

  it('runs breakouts in a worker too', async () => {
    const { members, ctx } = generateCommunity(40, 4);
    expect(await breakoutGroupsInWorker(members, ctx, 4)).toEqual(breakoutGroups(members, ctx, 4));
  });
});

describe('the long-lived matching thread', () => {
  const threads: MatchingThread[] = [];
  const newThread = (): MatchingThread => {
    const t = new MatchingThread();
    threads.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((t) => t.close()));
  });

  it('warms up at start, then answers every round on the same thread, in order', async () => {
    const thread = newThread();
    const warmUpMs = await thread.start({ warmUpRounds: 1, warmUpMembers: 60 });
    expect(warmUpMs).toBeGreaterThan(0);
    const id = thread.threadId;
    expect(id).toBeGreaterThan(0);
    const communities = [generateCommunity(30, 1), generateCommunity(31, 2), generateCommunity(32, 3)];
    // Posted together: they queue on the one thread and each answer reaches its own caller.
    const results = await Promise.all(communities.map(({ members, ctx }) => thread.run({ kind: 'pairRound', members, ctx, opts: {} })));
    results.forEach((result, i) => expect(result).toEqual(pairRound(communities[i]!.members, communities[i]!.ctx)));
    expect(thread.threadId).toBe(id);
    // start() again is a no-op on a running thread.
    await thread.start({ warmUpRounds: 1, warmUpMembers: 60 });
    expect(thread.threadId).toBe(id);
  });

  it('fails only the job that throws and keeps serving', async () => {
    const thread = newThread();
    const { members, ctx } = generateCommunity(20, 5);
    const broken = { ...ctx, history: null } as unknown as MatchContext;
    await expect(thread.run({ kind: 'pairRound', members, ctx: broken, opts: {} })).rejects.toThrow(/matching worker failed: .*TypeError/s);
    const id = thread.threadId;
    expect(await thread.run({ kind: 'pairRound', members, ctx, opts: {} })).toEqual(pairRound(members, ctx));
    expect(thread.threadId).toBe(id);
  });

  it('fails what is pending when closed, and the next round starts a new thread', async () => {
    const thread = newThread();
    const { members, ctx } = generateCommunity(400, 6);
    const first = expect(thread.run({ kind: 'pairRound', members, ctx, opts: {} })).rejects.toThrow(/closed before the round finished/);
    const id = thread.threadId;
    await thread.close();
    await first;
    expect(thread.threadId).toBe(0);
    const small = generateCommunity(20, 7);
    expect(await thread.run({ kind: 'pairRound', members: small.members, ctx: small.ctx, opts: {} })).toEqual(pairRound(small.members, small.ctx));
    expect(thread.threadId).not.toBe(id);
  });

  it('rejects a job that cannot be sent to the thread without harming the next one', async () => {
    const thread = newThread();
    const { members, ctx } = generateCommunity(20, 8);
    const unsendable = { ...ctx, extra: () => 1 } as unknown as MatchContext;
    await expect(thread.run({ kind: 'pairRound', members, ctx: unsendable, opts: {} })).rejects.toThrow(/could not be cloned/);
    expect(await thread.run({ kind: 'pairRound', members, ctx, opts: {} })).toEqual(pairRound(members, ctx));
  });
});

describe('the app and the matching thread', () => {
  // The shared thread may still run from the rounds above.
  beforeEach(() => matchingThread.close());

  it('starts the thread (with its warm-up) with the background work and stops it on close', async () => {
    const app = await createApp({ config: testConfig(), clock: new ManualClock(new Date('2026-01-05T09:00:00Z')), log: quietLog, ports: [] });
    expect(matchingThread.threadId).toBe(0);
    const stop = app.startBackground();
    expect(matchingThread.threadId).toBeGreaterThan(0);
    stop();
    await app.close();
    expect(matchingThread.threadId).toBe(0);
  });

  it('leaves it to the first large round when MATCHING_WARM_UP=false', async () => {
    const app = await createApp({ config: testConfig({ MATCHING_WARM_UP: 'false' }), clock: new ManualClock(new Date('2026-01-05T09:00:00Z')), log: quietLog, ports: [] });
    const stop = app.startBackground();
    expect(matchingThread.threadId).toBe(0);
    stop();
    await app.close();
  });
});
