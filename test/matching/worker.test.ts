import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, MATCHING_PREWARM_MS } from '../../src/app.ts';
import type { Actor } from '../../src/core.ts';
import { TIMER_MEETUP_START } from '../../src/flows/meetups.ts';
import { scheduleTimer } from '../../src/db/timers.ts';
import { WARM_UP_ROUNDS } from '../../src/matching/warm-up.ts';
import { ManualClock } from '../../src/clock.ts';
import { generateCommunity } from '../../src/matching/synthetic.ts';
import {
  breakoutGroupsInWorker,
  MatchingThread,
  matchingThread,
  OFF_THREAD_ABOVE,
  pairRoundInWorker,
  runBreakouts,
  runPairRound,
  type WorkerJob,
} from '../../src/matching/offthread.ts';
import { breakoutGroups, pairRound } from '../../src/matching/round.ts';
import type { MatchContext } from '../../src/matching/types.ts';
import { testConfig } from '../support/harness.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';

const UNSTEADY = new URL('./fixtures/unsteady-worker.mjs', import.meta.url);
const ACTOR: Actor = {
  platform: 'console',
  communityPlatformId: 'warm-up-community',
  communityName: 'Warm-up community',
  user: { platformUserId: 'ann', displayName: 'Ann' },
};

describe('off-thread matching', () => {
  it('gives the same result as the synchronous call and logs the seed', async () => {
    const { members, ctx } = generateCommunity(500, 21);
    const logs: Record<string, unknown>[] = [];
    const viaWorker = await pairRoundInWorker(members, ctx, {}, (_msg, fields) => logs.push(fields));
    expect(viaWorker).toEqual(pairRound(members, ctx));
    expect(logs.some((l) => l.seed === ctx.seed)).toBe(true);
  });

  it('sends large rounds to the matching thread and runs small ones here', async () => {
    await matchingThread.close();
    const small = generateCommunity(40, 3);
    expect(await runPairRound(small.members, small.ctx)).toEqual(pairRound(small.members, small.ctx));
    expect(await runBreakouts(small.members, small.ctx, 3)).toEqual(breakoutGroups(small.members, small.ctx, 3));
    expect(matchingThread.running).toBe(false);
    const large = generateCommunity(OFF_THREAD_ABOVE + 1, 3);
    expect(await runPairRound(large.members, large.ctx)).toEqual(pairRound(large.members, large.ctx));
    expect(matchingThread.running).toBe(true);
  });

  it('runs breakouts in a worker too', async () => {
    const { members, ctx } = generateCommunity(40, 4);
    expect(await breakoutGroupsInWorker(members, ctx, 4)).toEqual(breakoutGroups(members, ctx, 4));
  });
});

describe('the long-lived matching thread', () => {
  const threads: MatchingThread[] = [];
  const newThread = (workerUrl?: URL): MatchingThread => {
    const t = new MatchingThread(workerUrl ? { workerUrl } : {});
    threads.push(t);
    return t;
  };
  const round = (seed: number, size = 20): WorkerJob => {
    const { members, ctx } = generateCommunity(size, seed);
    return { kind: 'pairRound', members, ctx, opts: {} };
  };
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((t) => t.close()));
  });

  it('warms up at start, then answers every round on the same thread, in the order they came', async () => {
    const thread = newThread();
    const warmUp = await thread.start({ warmUpRounds: 1, warmUpMembers: 60 });
    expect(warmUp.rounds).toBe(1);
    const id = thread.threadId;
    expect(id).toBeGreaterThan(0);
    // A big round, then two small ones, posted together: they queue on the one thread, so
    // they finish in that order (on threads of their own the small ones would finish first),
    // and each answer reaches its own caller.
    const jobs = [round(1, 400), round(2), round(3)];
    const finished: number[] = [];
    const results = await Promise.all(jobs.map((job, i) => thread.run(job).then((r) => (finished.push(i), r))));
    expect(finished).toEqual([0, 1, 2]);
    results.forEach((result, i) => expect(result).toEqual(pairRound(jobs[i]!.members, jobs[i]!.ctx)));
    expect(thread.threadId).toBe(id);
    // start() again is a no-op on a running thread.
    await thread.start({ warmUpRounds: 1, warmUpMembers: 60 });
    expect(thread.threadId).toBe(id);
  });

  it('says when a round started it cold, without warm-up', async () => {
    const thread = newThread();
    await thread.run(round(4));
    expect((await thread.start()).rounds).toBe(0);
  });

  it('fails only the job that throws and keeps serving', async () => {
    const thread = newThread();
    const job = round(5);
    const broken = { ...job, ctx: { ...job.ctx, history: null } as unknown as MatchContext };
    await expect(thread.run(broken)).rejects.toThrow(/matching worker failed: .*TypeError/s);
    const id = thread.threadId;
    expect(await thread.run(job)).toEqual(pairRound(job.members, job.ctx));
    expect(thread.threadId).toBe(id);
  });

  it('fails what is pending when closed, and the next round starts a new thread', async () => {
    const thread = newThread();
    const first = expect(thread.run(round(6, 400))).rejects.toThrow(/closed before the round finished/);
    const id = thread.threadId;
    await thread.close();
    await first;
    expect(thread.threadId).toBe(0);
    const small = round(7);
    expect(await thread.run(small)).toEqual(pairRound(small.members, small.ctx));
    expect(thread.threadId).not.toBe(id);
  });

  it('rejects a job that cannot be sent to the thread without harming the next one', async () => {
    const thread = newThread();
    const job = round(8);
    const unsendable = { ...job, ctx: { ...job.ctx, extra: () => 1 } as unknown as MatchContext };
    await expect(thread.run(unsendable)).rejects.toThrow(/could not be cloned/);
    expect(await thread.run(job)).toEqual(pairRound(job.members, job.ctx));
  });

  it('when the thread dies, fails the round it was running and reruns the queued ones on a new thread', async () => {
    const thread = newThread(UNSTEADY);
    const id = thread.threadId;
    const dying = thread.run(round(666));
    const queued = [thread.run(round(11)), thread.run(round(12))];
    const firstThread = thread.threadId;
    expect(firstThread).not.toBe(id);
    await expect(dying).rejects.toThrow(/matching thread exited with code 3/);
    expect((await Promise.all(queued)).map((r) => r.seed)).toEqual([11, 12]);
    expect(thread.threadId).not.toBe(firstThread);
  });

  it('when the thread dies before it is ready, fails everything waiting and does not restart in a loop', async () => {
    const thread = newThread(UNSTEADY);
    const started = thread.start({ warmUpRounds: 99, warmUpMembers: 1 });
    const waiting = thread.run(round(13));
    await expect(started).rejects.toThrow(/exited with code 4/);
    await expect(waiting).rejects.toThrow(/exited with code 4/);
    expect(thread.threadId).toBe(0);
  });

  it('keeps the process alive while a round is pending, and not once the thread is idle', () => {
    const script = fileURLToPath(new URL('./fixtures/one-round.ts', import.meta.url));
    // spawnSync blocks, so its own timeout (below vitest's) is what catches a process that never exits.
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 15_000 });
    expect(run.signal).toBeNull();
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stdout).toBe('groups 15\n');
    expect(run.status).toBe(0);
  });
});

describe.each(testDatabases)('when the matching thread is needed, on $name', (testDb) => {
  const f = useHarness(testDb);

  it('is the next round slot or meetup start, whichever comes first; other timers do not count', async () => {
    await f.h.member('Ann').command('network', 'rounds on');
    const now = f.h.clock.now();
    const round = await f.h.app.core.nextMatchingWorkAfter(now);
    expect(round).not.toBeNull();
    expect(round!.getTime()).toBeGreaterThan(now.getTime());
    const community = await f.database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow();
    const at = (minutes: number): Date => new Date(now.getTime() + minutes * 60_000);
    await scheduleTimer(f.database.db, community.id, 'checkin', 'match-1', at(30), now);
    expect(await f.h.app.core.nextMatchingWorkAfter(now)).toEqual(round);
    await scheduleTimer(f.database.db, community.id, TIMER_MEETUP_START, 'meetup-1', at(60), now);
    expect(await f.h.app.core.nextMatchingWorkAfter(now)).toEqual(at(60));
  });
});

describe('the app and the matching thread', () => {
  const f = useHarness(testDatabases[0]!);
  // The shared thread may still run from the rounds above.
  beforeEach(() => matchingThread.close());
  afterEach(() => matchingThread.close());

  it('warms the thread up a few minutes before a round, not hours before, and stops it on close', async () => {
    await f.h.member('Ann').command('network', 'rounds on');
    const round = (await f.h.app.core.nextMatchingWorkAfter(f.h.clock.now()))!;
    f.h.clock.advanceTo(new Date(round.getTime() - 2 * 3_600_000));
    expect(await f.h.app.prewarmMatching()).toBe(false);
    expect(matchingThread.running).toBe(false);
    f.h.clock.advanceTo(new Date(round.getTime() - MATCHING_PREWARM_MS + 60_000));
    expect(await f.h.app.prewarmMatching()).toBe(true);
    expect(matchingThread.running).toBe(true);
    expect((await matchingThread.start()).rounds).toBe(WARM_UP_ROUNDS);
    await f.h.app.close();
    expect(matchingThread.running).toBe(false);
  });

  it('never warms up with MATCHING_WARM_UP=false', async () => {
    const h = await f.restart({ config: { MATCHING_WARM_UP: 'false' } });
    await h.member('Ann').command('network', 'rounds on');
    const round = (await h.app.core.nextMatchingWorkAfter(h.clock.now()))!;
    h.clock.advanceTo(new Date(round.getTime() - 60_000));
    expect(await h.app.prewarmMatching()).toBe(false);
    expect(matchingThread.running).toBe(false);
  });

  it('closing during the warm-up logs nothing', async () => {
    const logged: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
    const app = await createApp({ config: testConfig(), clock, log, ports: [] });
    await app.core.command(ACTOR, 'network', 'rounds on');
    clock.advanceTo(new Date((await app.core.nextMatchingWorkAfter(clock.now()))!.getTime() - 60_000));
    expect(await app.prewarmMatching()).toBe(true);
    await app.close();
    expect(matchingThread.running).toBe(false);
    expect(logged).toEqual([]);
  });
});

describe('the shared thread between rounds', () => {
  // The idle countdown runs on fake timers (the worker's messages do not), so the test checks
  // when the thread closes relative to idleCloseMs, however slow the machine is.
  it('closes after idleCloseMs with nothing to do, and a round in time keeps it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const thread = new MatchingThread({ idleCloseMs: 300 });
    try {
      const { members, ctx } = generateCommunity(20, 14);
      await thread.run({ kind: 'pairRound', members, ctx, opts: {} });
      const id = thread.threadId;
      vi.advanceTimersByTime(299);
      expect(thread.running).toBe(true);
      await thread.run({ kind: 'pairRound', members, ctx, opts: {} });
      expect(thread.threadId).toBe(id);
      // The second round started the countdown again: 299 ms more is still in time.
      vi.advanceTimersByTime(299);
      expect(thread.running).toBe(true);
      vi.advanceTimersByTime(1);
      expect(thread.running).toBe(false);
    } finally {
      vi.useRealTimers();
      await thread.close();
    }
  });
});
