/**
 * Issue 14, finding 2: meetup breakouts seat everyone who said Going, in rooms of the
 * chosen size with the remainder spread (size−1..size+1, never one, never more than
 * size+1); blocks are hard, the rematch window only a preference; every reason the
 * host sees is checked here against the rules, with the named predicates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constraints } from '../../src/matching/constraints.ts';
import { roomSizes } from '../../src/matching/meetups.ts';
import { breakoutGroups } from '../../src/matching/round.ts';
import type { MatchContext, MemberSnapshot, RoundResult } from '../../src/matching/types.ts';
import { context, daysAgo, member } from './support.ts';

const TOPICS = ['archives', 'metadata', 'cover letters', 'instruction', 'salary negotiation', 'zines', 'youth services'];

interface Meetup {
  members: MemberSnapshot[];
  ctx: MatchContext;
  size: number;
}

/** Generated meetups: sizes 2–6, 1–200 going, random blocks (none, a few, or many) and recent history. */
const meetupArb = (maxN: number, blocksPer: number[] = [0, 0.05, 0.3, 1, 3]): fc.Arbitrary<Meetup> =>
  fc
    .record({ n: fc.integer({ min: 1, max: maxN }), size: fc.integer({ min: 2, max: 6 }), blockRate: fc.constantFrom(...blocksPer), historyRate: fc.constantFrom(0, 0.5, 2, 6), seed: fc.integer() })
    .chain(({ n, size, blockRate, historyRate, seed }) =>
      fc.record({
        n: fc.constant(n),
        size: fc.constant(size),
        seed: fc.constant(seed),
        offers: fc.array(fc.option(fc.constantFrom(...TOPICS), { nil: undefined }), { minLength: n, maxLength: n }),
        blocks: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: Math.floor(n * blockRate), maxLength: Math.floor(n * blockRate) }),
        history: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 200 })), { minLength: Math.floor(n * historyRate), maxLength: Math.floor(n * historyRate) }),
      }),
    )
    .map(({ n, size, seed, offers, blocks, history }) => ({
      size,
      members: Array.from({ length: n }, (_, i) =>
        member(`m${i}`, {
          displayName: `M${i}`,
          offers: offers[i] ? [{ topic: offers[i]!, details: '', capacityPerMonth: 2 }] : [],
          asks: offers[(i + 1) % n] ? [{ topic: offers[(i + 1) % n]!, details: '' }] : [],
        }),
      ),
      ctx: context({
        seed,
        blocks: blocks.filter(([a, b]) => a !== b).map(([a, b]) => ({ blocker: `m${a}`, blocked: `m${b}` })),
        history: history.filter(([a, b]) => a !== b).map(([a, b, d]) => ({ a: `m${a}`, b: `m${b}`, at: daysAgo(d) })),
      }),
    }));

const isBlocked = (ctx: MatchContext, a: string, b: string): boolean => constraints.blockedPair(a, b, ctx);

/** The rules every meetup result keeps, checked independently of the engine. Returns the room sizes. */
function checkRules({ members, ctx, size }: Meetup, r: RoundResult): number[] {
  const ids = members.map((m) => m.id);
  const seated = r.groups.flatMap((g) => g.memberIds);
  const out = r.unplaced.map((u) => u.memberId);
  // Everyone exactly once.
  expect([...seated, ...out].sort()).toEqual([...ids].sort());
  for (const g of r.groups) {
    expect(g.memberIds.length).toBeGreaterThanOrEqual(2);
    expect(g.memberIds.length).toBeLessThanOrEqual(size + 1);
    for (let i = 0; i < g.memberIds.length; i++)
      for (let j = i + 1; j < g.memberIds.length; j++) expect(isBlocked(ctx, g.memberIds[i]!, g.memberIds[j]!)).toBe(false);
  }
  // Every reason is true.
  const nameOf = new Map(members.map((m) => [m.id, m.displayName]));
  for (const u of r.unplaced) {
    const others = ids.filter((id) => id !== u.memberId);
    if (others.length === 0) {
      expect(u.reason).toBe('nobody else is going');
      continue;
    }
    // Nobody is left out for anything but blocks.
    expect(others.some((o) => isBlocked(ctx, u.memberId, o))).toBe(true);
    if (others.every((o) => isBlocked(ctx, u.memberId, o))) {
      expect(u.reason).toBe(`there is a block between them and everyone else going (${others.map((o) => nameOf.get(o)).join(', ')})`);
      continue;
    }
    // Otherwise: every room has someone they have a block with, or is full — and the reason says exactly that.
    const facts = r.groups.map((g, i) => {
      const withThem = g.memberIds.filter((y) => isBlocked(ctx, u.memberId, y));
      if (withThem.length > 0) return `Room ${i + 1}: block with ${withThem.map((y) => nameOf.get(y)).join(', ')}`;
      expect(g.memberIds.length).toBe(size + 1);
      return `Room ${i + 1}: full, ${g.memberIds.length} people`;
    });
    expect(u.reason).toBe(`every room has someone they have a block with, or is full (${facts.join('; ')})`);
    // And no two left out could have had a room together.
    for (const v of r.unplaced) if (v.memberId !== u.memberId) expect(isBlocked(ctx, u.memberId, v.memberId)).toBe(true);
  }
  return r.groups.map((g) => g.memberIds.length);
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

describe('meetup breakouts (issue 14, finding 2)', () => {
  it('room sizes: the chosen size with the remainder spread, size−1..size+1 whenever any split allows it', () => {
    for (let size = 2; size <= 6; size++) {
      for (let m = 2; m <= 300; m++) {
        const sizes = roomSizes(m, size);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(m);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(size + 1);
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(Math.min(m, 2));
        // Some number of rooms fits every size in [max(2, size−1), size+1] → these do.
        const lo = Math.max(2, size - 1);
        const fits = Array.from({ length: m }, (_, i) => i + 1).some((g) => g * lo <= m && m <= g * (size + 1));
        if (fits) expect(Math.min(...sizes)).toBeGreaterThanOrEqual(lo);
        // As close to the chosen size as any fitting number of rooms gets.
        for (let g = 1; g <= m; g++) {
          if (fits && g * lo <= m && m <= g * (size + 1)) expect(Math.abs(sizes.length - m / size)).toBeLessThanOrEqual(Math.abs(g - m / size));
        }
      }
    }
    expect(roomSizes(5, 3)).toEqual([3, 2]);
    expect(sorted(roomSizes(7, 3))).toEqual([3, 4]);
    expect(roomSizes(12, 4)).toEqual([4, 4, 4]);
    expect(sorted(roomSizes(7, 5))).toEqual([3, 4]); // no split of 7 into rooms of 4–6
  });

  it('keeps every rule, seats everyone blocks allow, and every reason is true (generated meetups: sizes 2–6, 1–200 going; 600 runs)', () => {
    fc.assert(
      fc.property(meetupArb(200), (m) => {
        checkRules(m, breakoutGroups(m.members, m.ctx, m.size));
      }),
      { numRuns: 600 },
    );
  }, 300_000);

  it('without blocks everyone is seated, in exactly the spread room sizes, whatever the history (400 runs)', () => {
    fc.assert(
      fc.property(meetupArb(200, [0]), (m) => {
        const r = breakoutGroups(m.members, m.ctx, m.size);
        const sizes = checkRules(m, r);
        if (m.members.length >= 2) {
          expect(r.unplaced).toEqual([]);
          expect(sorted(sizes)).toEqual(sorted(roomSizes(m.members.length, m.size)));
        }
      }),
      { numRuns: 400 },
    );
  }, 300_000);

  it('with at most one block per member and four or more going, everyone is seated (400 runs)', () => {
    fc.assert(
      fc.property(meetupArb(200, [0]), fc.integer(), (m, seed) => {
        // Blocks: a random matching of the members (seeded), so each has at most one.
        const order = m.members.map((x) => x.id);
        let s = seed >>> 0;
        for (let i = order.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        for (let i = 0; i + 1 < order.length; i += 2) if ((s >>> (i % 31)) & 1) m.ctx.blocks.push({ blocker: order[i]!, blocked: order[i + 1]! });
        const r = breakoutGroups(m.members, m.ctx, m.size);
        checkRules(m, r);
        if (m.members.length >= 4) expect(r.unplaced).toEqual([]);
      }),
      { numRuns: 400 },
    );
  }, 300_000);

  it('leaves out no more people than blocks force: brute force over every seating of up to 6 going (3,000 runs, any block density)', () => {
    /** Fewest left out over every way to seat people in block-free rooms of 2..size+1. */
    const fewestOut = (ids: string[], ctx: MatchContext, hi: number): number => {
      let best = ids.length;
      const go = (i: number, rooms: string[][], out: number): void => {
        if (out >= best) return;
        if (i === ids.length) {
          if (rooms.every((r) => r.length >= 2)) best = out;
          return;
        }
        const x = ids[i]!;
        for (const r of rooms) {
          if (r.length < hi && r.every((y) => !isBlocked(ctx, x, y))) {
            r.push(x);
            go(i + 1, rooms, out);
            r.pop();
          }
        }
        rooms.push([x]);
        go(i + 1, rooms, out);
        rooms.pop();
        go(i + 1, rooms, out + 1);
      };
      go(0, [], 0);
      return best;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((n) =>
          fc.record({ n: fc.constant(n), size: fc.integer({ min: 2, max: 6 }), blockedPairs: fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }), seed: fc.integer() }),
        ),
        ({ n, size, blockedPairs, seed }) => {
          const members = Array.from({ length: n }, (_, i) => member(`m${i}`, { displayName: `M${i}` }));
          const blocks = [];
          for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (blockedPairs[a * n + b]) blocks.push({ blocker: `m${a}`, blocked: `m${b}` });
          const m = { members, ctx: context({ seed, blocks }), size };
          const r = breakoutGroups(m.members, m.ctx, size);
          checkRules(m, r);
          expect(r.unplaced.length).toBe(fewestOut(members.map((x) => x.id), m.ctx, size + 1));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('three going who met each other last round: one room of three, nobody unassigned', () => {
    const members = ['ann', 'ben', 'cat'].map((id) => member(id));
    const ctx = context({ history: [{ a: 'ann', b: 'ben', at: daysAgo(7) }, { a: 'ben', b: 'cat', at: daysAgo(7) }, { a: 'ann', b: 'cat', at: daysAgo(7) }] });
    for (const size of [2, 3, 4]) {
      const r = breakoutGroups(members, ctx, size);
      expect(r.unplaced).toEqual([]);
      expect(r.groups.map((g) => g.memberIds.length)).toEqual([3]);
    }
  });

  it('five going with size 3 → rooms of 3 and 2; seven → 4+3; twelve with size 4 → 4+4+4', () => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => member(`p${i}`));
    expect(sorted(breakoutGroups(people(5), context(), 3).groups.map((g) => g.memberIds.length))).toEqual([2, 3]);
    expect(sorted(breakoutGroups(people(7), context(), 3).groups.map((g) => g.memberIds.length))).toEqual([3, 4]);
    expect(breakoutGroups(people(12), context(), 4).groups.map((g) => g.memberIds.length)).toEqual([4, 4, 4]);
  });

  it('prefers new faces: two pairs who met last round are split up', () => {
    const members = ['ann', 'ben', 'cat', 'dee'].map((id) => member(id));
    const ctx = context({ history: [{ a: 'ann', b: 'ben', at: daysAgo(7) }, { a: 'cat', b: 'dee', at: daysAgo(7) }] });
    const r = breakoutGroups(members, ctx, 2);
    expect(r.unplaced).toEqual([]);
    for (const g of r.groups) expect([...g.memberIds].sort().join('+')).not.toMatch(/^(ann\+ben|cat\+dee)$/);
  });

  it('blocks stay hard, and the host is told exactly who and why when blocks make seating impossible', () => {
    const members = ['ann', 'ben', 'cat'].map((id) => member(id, { displayName: id[0]!.toUpperCase() + id.slice(1) }));
    const ctx = context({ blocks: [{ blocker: 'ann', blocked: 'ben' }, { blocker: 'cat', blocked: 'ann' }] });
    const r = breakoutGroups(members, ctx, 3);
    expect(r.groups.map((g) => [...g.memberIds].sort())).toEqual([['ben', 'cat']]);
    expect(r.unplaced).toEqual([{ memberId: 'ann', reason: 'there is a block between them and everyone else going (Ben, Cat)' }]);
  });
});
