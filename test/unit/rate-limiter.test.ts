import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../src/outbox/rate-limiter.ts';

/**
 * Time is simulated (fake timers and a fake Date.now, which the limiter is given as its
 * clock), so these tests check when each caller is let through, not how fast the machine is.
 */
describe('client-side rate limiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  /** Callers let through so far, after pending promise callbacks have run. */
  const settled = async (list: number[]): Promise<number> => {
    await vi.advanceTimersByTimeAsync(0);
    return list.length;
  };
  it('lets a burst through at once, then paces the lane at its rate, in arrival order', async () => {
    const limiter = new RateLimiter((lane) => (lane === 'conversations.open' ? { perSecond: 50, burst: 5 } : null), () => Date.now());
    const order: number[] = [];
    const all = Promise.all(Array.from({ length: 15 }, (_, i) => limiter.acquire('conversations.open').then(() => order.push(i))));
    // 5 at once, then one every 20 ms (50/s): the 15th at 200 ms, not before.
    expect(await settled(order)).toBe(5);
    await vi.advanceTimersByTimeAsync(19);
    expect(order).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(179);
    expect(order).toHaveLength(14);
    await vi.advanceTimersByTimeAsync(1);
    await all;
    expect(order).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('never waits on lanes without a rule, and keeps lanes apart', async () => {
    const limiter = new RateLimiter((lane) => (lane.startsWith('chat.postMessage:') ? { perSecond: 1, burst: 1 } : null), () => Date.now());
    const through: number[] = [];
    for (const lane of ['users.info', 'users.info', 'chat.postMessage:C1', 'chat.postMessage:C2']) void limiter.acquire(lane).then(() => through.push(1));
    // No simulated time passes: the rule-less lane and each channel's first message go at once.
    expect(await settled(through)).toBe(4);
    // A second message in C1 waits its second; C2 is not held up by it.
    void limiter.acquire('chat.postMessage:C1').then(() => through.push(1));
    expect(await settled(through)).toBe(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(through).toHaveLength(5);
  });

  it('holds a lane back after a 429 for the Retry-After', async () => {
    const limiter = new RateLimiter(() => ({ perSecond: 100, burst: 10 }), () => Date.now());
    limiter.penalise('x', 300);
    const through: number[] = [];
    void limiter.acquire('x').then(() => through.push(1));
    await vi.advanceTimersByTimeAsync(299);
    expect(through).toHaveLength(0);
    // After the Retry-After, one token's worth (10 ms at 100/s) later at most.
    await vi.advanceTimersByTimeAsync(11);
    expect(through).toHaveLength(1);
  });
});
