/**
 * BASELINE ONLY — the pairing step as it was before issue 14 (commit 9d17fc5), kept so
 * bench:matching can compare placed counts and total score with the current engine in
 * the same run, on the same community. Not used by the app. The old solvePairs solved
 * the sparse candidate graph and retried only the members left single with their dense
 * rows, which can strand people who could be paired (issue 14, finding 1).
 */
import { maxWeightMatching } from '../../src/matching/blossom.ts';
import { withDenseRows, type CandidateGraph } from '../../src/matching/candidates.ts';
import { describeGroups, placeInTrios } from '../../src/matching/pairs.ts';
import type { Prepared } from '../../src/matching/score.ts';

/** The previous solvePairs, verbatim in behaviour. */
export function previousSolvePairs(p: Prepared, graph: CandidateGraph): { pairs: [number, number][]; single: number[] } {
  let mate = maxWeightMatching(graph, true);
  let single: number[] = [];
  for (let v = 0; v < graph.n; v++) if (mate[v] === -1) single.push(v);
  if (single.length >= 2) {
    const dense = withDenseRows(p, graph, Int32Array.from(single));
    mate = maxWeightMatching(dense, true);
    single = [];
    for (let v = 0; v < graph.n; v++) if (mate[v] === -1) single.push(v);
  }
  const pairs: [number, number][] = [];
  for (let v = 0; v < mate.length; v++) if (mate[v]! > v) pairs.push([v, mate[v]!]);
  return { pairs, single };
}

/** The previous round after the candidate graph: pairs, trio placement, described groups. */
export function previousRound(p: Prepared, graph: CandidateGraph): { pairs: [number, number][]; leftOut: number; totalScore: number } {
  const eligible = graph.members;
  const { pairs, single } = previousSolvePairs(p, graph);
  const groups = pairs.map(([a, b]) => [eligible[a]!, eligible[b]!]);
  const unplaced = placeInTrios(p, groups, single.map((v) => eligible[v]!));
  return { pairs: pairs.map(([a, b]) => [eligible[a]!, eligible[b]!]), leftOut: unplaced.length, totalScore: describeGroups(p, groups).totalScore };
}
