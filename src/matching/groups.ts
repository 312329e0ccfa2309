/**
 * Groups of 3 or 4 (meetup breakouts, trio rounds) built on the same pair scores.
 * Exact optimisation of group partitions is NP-hard, so: exact pairs first (the
 * strongest bonds), then pairs and singles joined into groups greedily, then a few
 * passes of improving swaps. Hard rules hold inside every group, for every pair.
 */
import { buildCandidateGraph } from './candidates.ts';
import { pairAllowed } from './constraints.ts';
import { UNPLACED } from './explain.ts';
import { describeGroups, solvePairs } from './pairs.ts';
import { pairScoreFast, type Prepared } from './score.ts';
import type { RoundResult } from './types.ts';

/** Swap search is quadratic; beyond this many members the greedy grouping stands. */
const LOCAL_SEARCH_LIMIT = 1500;
const LOCAL_SEARCH_PASSES = 4;

/** How many groups: trios with a few fours, or fours with a few threes (never a lone pair when avoidable). */
export function groupCount(members: number, size: 3 | 4): number {
  if (members <= size) return 1;
  return size === 3 ? Math.floor(members / 3) : Math.ceil(members / 4);
}

export function formGroups(
  p: Prepared,
  eligible: Int32Array,
  unplacedIn: RoundResult['unplaced'],
  size: 3 | 4,
  k: number,
  seed: number,
): RoundResult {
  const unplaced = [...unplacedIn];
  const n = eligible.length;
  if (n === 0) return { groups: [], unplaced, totalScore: 0, seed };
  if (n === 1) {
    unplaced.push({ memberId: p.members[eligible[0]!]!.id, reason: UNPLACED.alone });
    return { groups: [], unplaced, totalScore: 0, seed };
  }
  const G = groupCount(n, size);
  const capacity = Math.ceil(n / G);
  const graph = buildCandidateGraph(p, eligible, k, seed);
  const { pairs, single } = solvePairs(p, graph);
  const units: number[][] = pairs
    .map(([a, b]) => [eligible[a]!, eligible[b]!])
    .sort((x, y) => pairScoreFast(p, y[0]!, y[1]!) - pairScoreFast(p, x[0]!, x[1]!));
  for (const s of single) units.push([eligible[s]!]);

  const groups: number[][] = units.slice(0, G).map((u) => [...u]);
  const rest = units.slice(G);
  const fits = (g: number[], x: number): boolean => g.every((y) => pairAllowed(p.constraints, x, y));
  const gainOf = (g: number[], unit: number[]): number => {
    let s = 0;
    for (const x of unit) for (const y of g) s += pairScoreFast(p, x, y);
    return s;
  };
  const leftovers: number[] = [];
  const place = (unit: number[]): boolean => {
    let best = -1;
    let bestGain = -Infinity;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!;
      if (g.length + unit.length > capacity || !unit.every((x) => fits(g, x))) continue;
      const gain = gainOf(g, unit);
      if (gain > bestGain) {
        bestGain = gain;
        best = gi;
      }
    }
    if (best < 0) return false;
    groups[best]!.push(...unit);
    return true;
  };
  for (const unit of rest) {
    if (place(unit)) continue;
    // A pair that fits nowhere together may still fit apart.
    for (const x of unit) if (!place([x])) leftovers.push(x);
  }
  // Last resort: allow one over capacity rather than leave someone out.
  for (const x of leftovers) {
    let best = -1;
    let bestGain = -Infinity;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!;
      if (!fits(g, x)) continue;
      const gain = gainOf(g, [x]);
      if (gain > bestGain) {
        bestGain = gain;
        best = gi;
      }
    }
    if (best >= 0) groups[best]!.push(x);
    else {
      const anyAllowed = groups.some((g) => g.some((y) => pairAllowed(p.constraints, x, y)));
      unplaced.push({ memberId: p.members[x]!.id, reason: anyAllowed ? UNPLACED.noGroupFits : UNPLACED.noAllowedPartner });
    }
  }
  if (n <= LOCAL_SEARCH_LIMIT) improveBySwaps(p, groups);
  const nonEmpty = groups.filter((g) => g.length >= 2);
  for (const g of groups) if (g.length === 1) unplaced.push({ memberId: p.members[g[0]!]!.id, reason: UNPLACED.noGroupFits });
  const described = describeGroups(p, nonEmpty);
  return { groups: described.groups, unplaced, totalScore: described.totalScore, seed };
}

/** Swaps two members between groups while that raises the total and keeps every rule. */
function improveBySwaps(p: Prepared, groups: number[][]): void {
  const contribution = (g: number[], x: number, skip: number): number => {
    let s = 0;
    for (const y of g) if (y !== x && y !== skip) s += pairScoreFast(p, x, y);
    return s;
  };
  const allowedIn = (g: number[], x: number, skip: number): boolean =>
    g.every((y) => y === skip || pairAllowed(p.constraints, x, y));
  for (let pass = 0; pass < LOCAL_SEARCH_PASSES; pass++) {
    let improved = false;
    for (let gi = 0; gi < groups.length; gi++) {
      for (let gj = gi + 1; gj < groups.length; gj++) {
        const A = groups[gi]!;
        const B = groups[gj]!;
        for (let ia = 0; ia < A.length; ia++) {
          for (let ib = 0; ib < B.length; ib++) {
            const x = A[ia]!;
            const y = B[ib]!;
            if (!allowedIn(B, x, y) || !allowedIn(A, y, x)) continue;
            const before = contribution(A, x, -1) + contribution(B, y, -1);
            const after = contribution(B, x, y) + contribution(A, y, x);
            if (after > before + 1e-9) {
              A[ia] = y;
              B[ib] = x;
              improved = true;
            }
          }
        }
      }
    }
    if (!improved) break;
  }
}
