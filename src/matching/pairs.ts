/**
 * Building blocks shared by pairing rounds and breakout groups: who is eligible,
 * exact pairs (most people placed, then best score; full allowed graph when small,
 * candidate graph repaired by augmenting paths when large), trio
 * placement for the odd one out, and turning member indices into explained Groups.
 */
import { maxWeightMatching } from './blossom.ts';
import { augmentToMaximum } from './augment.ts';
import { withDenseRows, withPairs, type CandidateGraph } from './candidates.ts';
import { inactiveReason, pairAllowed } from './constraints.ts';
import { explainGroup, explainPair, UNPLACED } from './explain.ts';
import { pairFacts } from './facts.ts';
import { mulberry32, shuffleIndices } from './rng.ts';
import { integerWeight, pairScoreFast, type Prepared } from './score.ts';
import type { Group, RoundResult } from './types.ts';

/** Eligible members (active) in a seeded order, plus the inactive ones reported with why. */
export function eligibleMembers(p: Prepared, seed: number): { eligible: Int32Array; unplaced: RoundResult['unplaced'] } {
  const unplaced: RoundResult['unplaced'] = [];
  const ids: number[] = [];
  p.members.forEach((m, i) => {
    const reason = inactiveReason(m);
    if (reason === null) ids.push(i);
    else unplaced.push({ memberId: m.id, reason });
  });
  // The seeded order is the tie-break among equally good matchings.
  return { eligible: shuffleIndices(Int32Array.from(ids), mulberry32(seed)), unplaced };
}

/** Turns member-index groups into Groups with a score and one explanation per member. */
export function describeGroups(p: Prepared, groups: number[][]): { groups: Group[]; totalScore: number } {
  let totalScore = 0;
  const out = groups.map((g): Group => {
    let score = 0;
    for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) score += pairScoreFast(p, g[i]!, g[j]!);
    totalScore += score;
    const explanations: Record<string, string> = {};
    for (const me of g) {
      const others = g.filter((x) => x !== me);
      let best = others[0]!;
      let bestScore = -Infinity;
      for (const o of others) {
        const s = pairScoreFast(p, me, o);
        if (s > bestScore) {
          bestScore = s;
          best = o;
        }
      }
      const facts = pairFacts(p, me, best);
      explanations[p.members[me]!.id] =
        others.length === 1 ? explainPair(facts) : explainGroup(others.map((o) => p.members[o]!.displayName), facts);
    }
    return { memberIds: g.map((i) => p.members[i]!.id), score, explanations };
  });
  return { groups: out, totalScore };
}

/** Matched pairs (local vertex ids) from a mate array. */
function pairsOf(mate: Int32Array): [number, number][] {
  const pairs: [number, number][] = [];
  for (let v = 0; v < mate.length; v++) if (mate[v]! > v) pairs.push([v, mate[v]!]);
  return pairs;
}

/**
 * Up to this many eligible members a round is solved on the full allowed graph (every
 * pair the hard rules allow, scored): exact in both the number placed and the total
 * score. ~45,000 pairs at 300, a few milliseconds.
 */
export const FULL_GRAPH_LIMIT = 300;

/** Every allowed pair among the graph's members, with integer weights. */
export function fullAllowedGraph(p: Prepared, members: Int32Array): CandidateGraph {
  const n = members.length;
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (!pairAllowed(p.constraints, members[a]!, members[b]!)) continue;
      u.push(a);
      v.push(b);
      w.push(integerWeight(pairScoreFast(p, members[a]!, members[b]!)));
    }
  }
  return { n, u: Int32Array.from(u), v: Int32Array.from(v), w: Int32Array.from(w), members };
}

function singlesOf(mate: Int32Array): number[] {
  const single: number[] = [];
  for (let v = 0; v < mate.length; v++) if (mate[v] === -1) single.push(v);
  return single;
}

/**
 * Pairs the graph's members: the most pairs the hard rules allow, then the largest total
 * score among those. Small rounds (≤ FULL_GRAPH_LIMIT) are solved on the full allowed
 * graph, exactly. Larger rounds are solved on the sparse candidate graph first; the
 * sparse graph can strand people who could be paired (it may lack the edges a larger
 * matching needs), so when two or more are left single the matching is grown by
 * augmenting paths through every allowed pair (augment.ts) to the maximum number of
 * pairs on the full allowed graph, and the exact solver then re-optimises the score on
 * the candidate graph plus those pairs plus every allowed edge of the members who were
 * single — keeping that maximum number. Returns local-vertex pairs and local ids still single.
 */
export function solvePairs(
  p: Prepared,
  graph: CandidateGraph,
  fullGraphLimit = FULL_GRAPH_LIMIT,
): { pairs: [number, number][]; single: number[] } {
  if (graph.n <= fullGraphLimit) {
    const mate = maxWeightMatching(fullAllowedGraph(p, graph.members), true);
    return { pairs: pairsOf(mate), single: singlesOf(mate) };
  }
  let mate = maxWeightMatching(graph, true);
  const single = singlesOf(mate);
  if (single.length >= 2) {
    const members = graph.members;
    const c = p.constraints;
    const grown = augmentToMaximum(graph.n, (a, b) => pairAllowed(c, members[a]!, members[b]!), Int32Array.from(mate));
    const union = withDenseRows(p, withPairs(p, graph, grown), Int32Array.from(single));
    mate = maxWeightMatching(union, true);
  }
  return { pairs: pairsOf(mate), single: singlesOf(mate) };
}

/**
 * Places each single into the pair where they add the most, making a trio; each pair
 * takes at most one extra so groups stay small. Returns who could not be placed.
 */
export function placeInTrios(p: Prepared, groups: number[][], singles: number[]): { memberIndex: number; reason: string }[] {
  const unplaced: { memberIndex: number; reason: string }[] = [];
  for (const x of singles) {
    let best = -1;
    let bestGain = -Infinity;
    let anyAllowed = false;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!;
      let ok = true;
      let gain = 0;
      for (const y of g) {
        if (!pairAllowed(p.constraints, x, y)) {
          ok = false;
          break;
        }
        gain += pairScoreFast(p, x, y);
      }
      if (g.some((y) => pairAllowed(p.constraints, x, y))) anyAllowed = true;
      if (ok && g.length === 2 && gain > bestGain) {
        bestGain = gain;
        best = gi;
      }
    }
    if (best >= 0) groups[best]!.push(x);
    else unplaced.push({ memberIndex: x, reason: anyAllowed ? UNPLACED.noGroupFits : UNPLACED.noAllowedPartner });
  }
  return unplaced;
}
