import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCommunity } from '../../src/matching/synthetic.ts';
import { constraints } from '../../src/matching/constraints.ts';
import { breakoutGroups, pairRound } from '../../src/matching/round.ts';
import type { MatchContext, MemberSnapshot, RoundResult } from '../../src/matching/types.ts';
import { context, daysAgo, member } from './support.ts';

const TOPICS = ['archives', 'metadata', 'cover letters', 'instruction', 'salary negotiation', 'zines', 'youth services'];

/** Small random communities with blocks, recent history and paused members: the rules' worst case. */
const communityArb = fc
  .integer({ min: 0, max: 14 })
  .chain((n) =>
    fc.record({
      members: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            offer: fc.option(fc.constantFrom(...TOPICS), { nil: undefined }),
            ask: fc.option(fc.constantFrom(...TOPICS), { nil: undefined }),
            paused: fc.boolean().map((b) => b && i % 5 === 0),
          }),
        ),
      ),
      blocks: fc.array(fc.tuple(fc.nat(Math.max(0, n - 1)), fc.nat(Math.max(0, n - 1))), { maxLength: n }),
      history: fc.array(fc.tuple(fc.nat(Math.max(0, n - 1)), fc.nat(Math.max(0, n - 1)), fc.integer({ min: 1, max: 400 })), { maxLength: 2 * n }),
      seed: fc.integer(),
    }),
  )
  .map(({ members, blocks, history, seed }) => {
    const snapshots: MemberSnapshot[] = members.map((m, i) =>
      member(`m${i}`, {
        offers: m.offer ? [{ topic: m.offer, details: '', capacityPerMonth: 2 }] : [],
        asks: m.ask ? [{ topic: m.ask, details: '' }] : [],
        paused: m.paused,
      }),
    );
    const ctx: MatchContext = context({
      seed,
      blocks: blocks.filter(([a, b]) => a !== b).map(([a, b]) => ({ blocker: `m${a}`, blocked: `m${b}` })),
      history: history.filter(([a, b]) => a !== b).map(([a, b, d]) => ({ a: `m${a}`, b: `m${b}`, at: daysAgo(d) })),
    });
    return { members: snapshots, ctx };
  });

/** rematchHard: rounds treat the rematch window as a hard rule; meetups only prefer new faces (issue 14). */
function assertRules(result: RoundResult, members: MemberSnapshot[], ctx: MatchContext, rematchHard = true): void {
  const byId = new Map(members.map((m) => [m.id, m]));
  const seen = new Set<string>();
  for (const g of result.groups) {
    expect(g.memberIds.length).toBeGreaterThanOrEqual(2);
    for (const id of g.memberIds) {
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      expect(constraints.inactiveMember(byId.get(id)!)).toBe(false);
      expect(typeof g.explanations[id]).toBe('string');
    }
    for (let i = 0; i < g.memberIds.length; i++) {
      for (let j = i + 1; j < g.memberIds.length; j++) {
        const a = g.memberIds[i]!;
        const b = g.memberIds[j]!;
        expect(constraints.sameMember(a, b)).toBe(false);
        expect(constraints.blockedPair(a, b, ctx)).toBe(false);
        if (rematchHard) expect(constraints.withinRematchWindow(a, b, ctx)).toBe(false);
      }
    }
  }
  // Everyone is either placed or reported, never both, never silently dropped.
  for (const u of result.unplaced) {
    expect(seen.has(u.memberId)).toBe(false);
    expect(u.reason.length).toBeGreaterThan(0);
  }
  expect(seen.size + result.unplaced.length).toBe(members.length);
}

describe('pairRound', () => {
  it('never violates a hard rule and accounts for every member', () => {
    fc.assert(
      fc.property(communityArb, ({ members, ctx }) => {
        const result = pairRound(members, ctx);
        assertRules(result, members, ctx);
        for (const g of result.groups) expect(g.memberIds.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves nobody out when there are no rules in the way, with one trio for an odd count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer(), (n, seed) => {
        const members = Array.from({ length: n }, (_, i) => member(`m${i}`, { asks: [{ topic: TOPICS[i % 7]!, details: '' }] }));
        const result = pairRound(members, context({ seed }), { k: 3 });
        expect(result.unplaced).toEqual([]);
        const trios = result.groups.filter((g) => g.memberIds.length === 3).length;
        expect(trios).toBe(n % 2);
      }),
      { numRuns: 60 },
    );
  });

  it('reports who cannot be placed and why', () => {
    const members = [member('a'), member('b'), member('c', { paused: true })];
    const result = pairRound(members, context({ history: [{ a: 'a', b: 'b', at: daysAgo(3) }] }));
    expect(result.groups).toEqual([]);
    expect(result.unplaced.map((u) => u.memberId).sort()).toEqual(['a', 'b', 'c']);
    expect(result.unplaced.find((u) => u.memberId === 'c')!.reason).toBe('paused');
    expect(pairRound([member('solo')], context()).unplaced).toEqual([{ memberId: 'solo', reason: 'no other eligible member this round' }]);
  });

  it('is deterministic for a seed and replays exactly', () => {
    const { members, ctx } = generateCommunity(300, 5);
    const a = pairRound(members, ctx);
    const b = pairRound(members, { ...ctx });
    expect(b).toEqual(a);
    expect(a.seed).toBe(ctx.seed);
  });

  it('places everyone in a realistic community and prefers mutual benefit', () => {
    const { members, ctx } = generateCommunity(400, 11);
    const result = pairRound(members, ctx);
    assertRules(result, members, ctx);
    const inactive = members.filter((m) => m.paused || m.removed).length;
    expect(result.unplaced.length).toBe(inactive);
    expect(result.totalScore).toBeGreaterThan(0);
  });

  it('forms trios with groupSize 3', () => {
    const { members, ctx } = generateCommunity(61, 2);
    const result = pairRound(members, ctx, { groupSize: 3 });
    assertRules(result, members, ctx);
    for (const g of result.groups) expect([3, 4]).toContain(g.memberIds.length);
  });
});

describe('breakoutGroups', () => {
  it.each([2, 3, 4] as const)('splits into groups of about %i without breaking rules', (size) => {
    fc.assert(
      fc.property(communityArb, ({ members, ctx }) => {
        const result = breakoutGroups(members, ctx, size);
        assertRules(result, members, ctx, false);
      }),
      { numRuns: 80 },
    );
    const { members, ctx } = generateCommunity(50, 9);
    const result = breakoutGroups(members, ctx, size);
    assertRules(result, members, ctx, false);
    const sizes = result.groups.map((g) => g.memberIds.length);
    for (const s of sizes) expect(Math.abs(s - size)).toBeLessThanOrEqual(size === 2 ? 1 : 1);
  });
});
