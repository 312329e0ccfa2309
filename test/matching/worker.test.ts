import { describe, expect, it } from 'vitest';
import { generateCommunity } from '../../bench/lib/community.ts';
import { breakoutGroupsInWorker, pairRoundInWorker } from '../../src/matching/offthread.ts';
import { breakoutGroups, pairRound } from '../../src/matching/round.ts';

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
