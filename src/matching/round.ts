/**
 * Pairing rounds: everyone eligible in pairs with the largest total score, a trio for
 * the odd one out, and nobody left out silently. The most pairs the hard rules
 * allow, then the best total score among those (solvePairs in pairs.ts); trio
 * placement only looks at the one or few members left single.
 */
import { buildCandidateGraph, DEFAULT_K } from './candidates.ts';
import { UNPLACED } from './explain.ts';
import { formGroups } from './groups.ts';
import { meetupRooms } from './meetups.ts';
import { describeGroups, eligibleMembers, placeInTrios, solvePairs } from './pairs.ts';
import { prepare } from './score.ts';
import type { MatchContext, MemberSnapshot, RoundResult } from './types.ts';

/** Options for a round; k trades speed for how far the matcher may look per member. */
export interface RoundOptions {
  k?: number;
  groupSize?: 2 | 3;
}

/**
 * A pairing round (synchronous, pure). Pairs, with a trio for the odd one out; with
 * `groupSize: 3`, trios. The result carries ctx.seed so the round can be replayed.
 */
export function pairRound(members: MemberSnapshot[], ctx: MatchContext, opts: RoundOptions = {}): RoundResult {
  const p = prepare(members, ctx);
  const { eligible, unplaced } = eligibleMembers(p, ctx.seed);
  if (opts.groupSize === 3) return formGroups(p, eligible, unplaced, 3, opts.k ?? DEFAULT_K, ctx.seed);
  if (eligible.length < 2) {
    for (const i of eligible) unplaced.push({ memberId: members[i]!.id, reason: UNPLACED.alone });
    return { groups: [], unplaced, totalScore: 0, seed: ctx.seed };
  }
  const graph = buildCandidateGraph(p, eligible, opts.k ?? DEFAULT_K, ctx.seed);
  const { pairs, single } = solvePairs(p, graph);
  const groups = pairs.map(([a, b]) => [eligible[a]!, eligible[b]!]);
  for (const s of placeInTrios(p, groups, single.map((v) => eligible[v]!))) {
    unplaced.push({ memberId: members[s.memberIndex]!.id, reason: s.reason });
  }
  const described = describeGroups(p, groups);
  return { groups: described.groups, unplaced, totalScore: described.totalScore, seed: ctx.seed };
}

/**
 * Meetup breakout rooms of about `size` (2–6): everyone going gets a room unless blocks
 * make it impossible; the rematch window is a preference here (meetups.ts).
 */
export function breakoutGroups(members: MemberSnapshot[], ctx: MatchContext, size: number, _opts: { k?: number } = {}): RoundResult {
  const p = prepare(members, ctx);
  const { eligible, unplaced } = eligibleMembers(p, ctx.seed);
  return meetupRooms(p, eligible, unplaced, size, ctx.seed);
}
