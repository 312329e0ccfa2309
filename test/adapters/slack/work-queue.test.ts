import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../adapters/slack/work-queue.ts';

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('WorkQueue', () => {
  it('holds new work while requests are arriving', async () => {
    const work = new WorkQueue(8, () => undefined, 60_000);
    work.deferWhile(() => true);
    let ran = false;
    work.push(async () => {
      ran = true;
    });
    await turns(20);
    expect(ran).toBe(false);
    work.deferWhile(() => false);
    work.kick();
    await work.idle();
    expect(ran).toBe(true);
  });

  it('never defers work queued by a running task a second time', async () => {
    let busy = false;
    const work = new WorkQueue(8, () => undefined, 60_000);
    work.deferWhile(() => busy);
    const order: string[] = [];
    work.push(async () => {
      order.push('dispatch');
      // A burst starts; the listener the dispatch runs queues its own work.
      busy = true;
      work.push(async () => {
        order.push('listener');
      });
      work.push(async () => {
        order.push('listener 2');
      });
    });
    await turns(20);
    // A fresh task queued now waits for the burst; the listeners' work did not.
    work.push(async () => {
      order.push('new request');
    });
    await turns(20);
    expect(order).toEqual(['dispatch', 'listener', 'listener 2']);
    busy = false;
    work.kick();
    await work.idle();
    expect(order).toEqual(['dispatch', 'listener', 'listener 2', 'new request']);
  });
});
