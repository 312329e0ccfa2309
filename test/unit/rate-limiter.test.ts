import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/outbox/rate-limiter.ts';

describe('client-side rate limiter', () => {
  it('lets a burst through at once, then paces the lane at its rate, in arrival order', async () => {
    const limiter = new RateLimiter((lane) => (lane === 'conversations.open' ? { perSecond: 50, burst: 5 } : null));
    const start = Date.now();
    const order: number[] = [];
    await Promise.all(Array.from({ length: 15 }, (_, i) => limiter.acquire('conversations.open').then(() => order.push(i))));
    const elapsed = Date.now() - start;
    expect(order).toEqual(Array.from({ length: 15 }, (_, i) => i));
    // 5 immediately, 10 more at 50/s: about 200 ms.
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(1500);
  });

  it('never waits on lanes without a rule, and keeps lanes apart', async () => {
    const limiter = new RateLimiter((lane) => (lane.startsWith('chat.postMessage:') ? { perSecond: 1, burst: 1 } : null));
    const start = Date.now();
    await Promise.all([limiter.acquire('users.info'), limiter.acquire('chat.postMessage:C1'), limiter.acquire('chat.postMessage:C2')]);
    expect(Date.now() - start).toBeLessThan(100);
  });

  it('holds a lane back after a 429 for the Retry-After', async () => {
    const limiter = new RateLimiter(() => ({ perSecond: 100, burst: 10 }));
    limiter.penalise('x', 300);
    const start = Date.now();
    await limiter.acquire('x');
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });
});
