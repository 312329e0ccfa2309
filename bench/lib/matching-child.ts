/**
 * One benchmark size, run as compiled JavaScript in a fresh `node` process (see
 * matching-build.ts). First the engine end to end — profiles in, candidate graph, exact
 * matching, trio placement, explained groups out — the way production runs it: on the
 * long-lived matching thread (offthread.ts), started with its usual warm-up (synthetic
 * communities in other words, zones and dates than this one: warm-up.ts), timed from the
 * caller's side, so copying members in and groups out is included: the first round after
 * the warm-up, then a few more, with peak RSS read right after them. Then the cold figure:
 * the same round on a new thread started without warm-up (thread start and module loading
 * included), as with MATCHING_WARM_UP=false. That is one EngineTrial; with --engine-only
 * the process prints just that (the parent runs several such processes). Otherwise, on
 * this process's main thread and on the same candidate graph: the engine's pieces timed
 * separately, edmonds-blossom-fixed, greedy by descending weight, and a random shuffle
 * that avoids repeats. Prints one JSON line.
 *
 * Usage: node bench/out/bench/lib/matching-child.js --size=1000 --seed=20260105 --reference-max=5000 [--engine-only]
 */
import blossomReference from 'edmonds-blossom-fixed';
import { generateCommunity } from '../../src/matching/synthetic.ts';
import { buildCandidateGraph, DEFAULT_K, type CandidateGraph } from '../../src/matching/candidates.ts';
import { pairAllowed } from '../../src/matching/constraints.ts';
import { eligibleMembers, solvePairs } from '../../src/matching/pairs.ts';
import { previousRound } from './matching-previous-engine.ts';
import { mulberry32, shuffleIndices } from '../../src/matching/rng.ts';
import { MatchingThread, type WorkerJob } from '../../src/matching/offthread.ts';
import { integerWeight, pairScoreFast, prepare, WEIGHT_SCALE, type Prepared } from '../../src/matching/score.ts';
import type { MatchContext, MemberSnapshot, RoundResult } from '../../src/matching/types.ts';

export interface MatchingRow {
  algorithm: string;
  ms: number | null;
  weight: number | null;
  unmatched: number | null;
  repeats: number | null;
  metBefore: number | null;
  note?: string;
}

/** One fresh process's engine measurement (the parent runs several and shows the median). */
export interface EngineTrial {
  /** The first round on the warmed matching thread (the production path). */
  firstMs: number;
  /** The rounds after it on the same thread. */
  nextMs: number[];
  warmUpMs: number;
  /** The same round on a new thread started without warm-up, thread start included. */
  coldMs: number;
  /** Whole process, read right after the warm rounds. */
  rssMb: number;
  totalScore: number;
}

export interface MatchingChildReport {
  size: number;
  edges: number;
  k: number;
  weightScale: number;
  trial: EngineTrial;
  /** rows[0] is the engine: its time is this process's trial; its note says where the time goes. */
  rows: MatchingRow[];
}

/** Rounds timed on the warmed thread per size; the table shows the first. */
const THREAD_RUNS = 5;

async function timedRound(thread: MatchingThread, job: WorkerJob): Promise<{ ms: number; result: RoundResult }> {
  const started = performance.now();
  const result = await thread.run(job);
  return { ms: performance.now() - started, result };
}

function pairStats(p: Prepared, pairs: [number, number][], eligible: number): Omit<MatchingRow, 'algorithm' | 'ms'> {
  let weight = 0;
  let repeats = 0;
  let metBefore = 0;
  const c = p.constraints;
  for (const [a, b] of pairs) {
    weight += integerWeight(pairScoreFast(p, a, b));
    const met = c.lastMet.get(a < b ? a * c.n + b : b * c.n + a);
    if (met !== undefined) {
      metBefore++;
      if (met > c.windowStartMs) repeats++;
    }
  }
  return { weight, unmatched: eligible - 2 * pairs.length, repeats, metBefore };
}

async function engineTrial(members: MemberSnapshot[], ctx: MatchContext): Promise<{ trial: EngineTrial; round: RoundResult }> {
  const job: WorkerJob = { kind: 'pairRound', members, ctx, opts: {} };
  // Production path: the matching thread, warmed up as the app does minutes before a round.
  const thread = new MatchingThread();
  const warmUpMs = (await thread.start()).ms;
  const threadRuns: { ms: number; result: RoundResult }[] = [];
  for (let r = 0; r < THREAD_RUNS; r++) threadRuns.push(await timedRound(thread, job));
  const rssMb = process.resourceUsage().maxRSS / 1024;
  await thread.close();
  const round = threadRuns[0]!.result;

  // Cold: a new thread without warm-up (MATCHING_WARM_UP=false), thread start included.
  const coldThread = new MatchingThread();
  const cold = await timedRound(coldThread, job);
  await coldThread.close();
  if (threadRuns.some((r) => r.result.totalScore !== round.totalScore) || cold.result.totalScore !== round.totalScore) {
    throw new Error('rounds on the same community disagree');
  }
  const [first, ...next] = threadRuns.map((r) => r.ms);
  return { trial: { firstMs: first!, nextMs: next, warmUpMs, coldMs: cold.ms, rssMb, totalScore: round.totalScore }, round };
}

async function run(size: number, seed: number, referenceMax: number): Promise<MatchingChildReport> {
  const { members, ctx } = generateCommunity(size, seed);
  ctx.seed = seed;
  const { trial, round } = await engineTrial(members, ctx);

  // The same pipeline's pieces, for a pairs-to-pairs comparison on the same graph, timed
  // on this main thread (its second run there) so the table shows where the time goes.
  const pieces = (): { p: Prepared; eligible: Int32Array; graph: CandidateGraph; pairs: [number, number][]; split: number[] } => {
    const t0 = performance.now();
    const p = prepare(members, ctx);
    const { eligible } = eligibleMembers(p, seed);
    const t1 = performance.now();
    const graph = buildCandidateGraph(p, eligible, DEFAULT_K, seed);
    const t2 = performance.now();
    const { pairs } = solvePairs(p, graph);
    return { p, eligible, graph, pairs, split: [t1 - t0, t2 - t1, performance.now() - t2] };
  };
  pieces();
  const { p, eligible, graph, pairs, split } = pieces();
  const E = eligible.length;
  const rows: MatchingRow[] = [];
  const ms = (x: number): string => x.toFixed(0);
  const enginePairs = pairs.map(([a, b]) => [eligible[a]!, eligible[b]!] as [number, number]);
  const inactive = members.filter((m) => m.paused || m.removed).length;
  rows.push({
    algorithm: 'this engine',
    ms: trial.firstMs,
    ...pairStats(p, enginePairs, E),
    unmatched: round.unplaced.length - inactive,
    note: `round total score ${round.totalScore.toFixed(2)} (pairs and trios); pieces, second run on the main thread: profiles ${ms(split[0]!)}, candidate graph ${ms(split[1]!)}, exact matching ${ms(split[2]!)} ms`,
  });

  {
    // The engine before issue 14 (bench/lib/matching-previous-engine.ts), on the same
    // community and candidate graph, on this main thread: placed counts and score compared.
    previousRound(p, graph);
    const t0 = performance.now();
    const previous = previousRound(p, graph);
    const ms = performance.now() - t0;
    rows.push({
      algorithm: 'previous engine (before issue 14)',
      ms,
      ...pairStats(p, previous.pairs, E),
      unmatched: previous.leftOut,
      note: `round total score ${previous.totalScore.toFixed(2)} (pairs and trios); pairing and trio placement on the main thread, after the same candidate graph`,
    });
  }

  if (size <= referenceMax) {
    const edges: [number, number, number][] = [];
    for (let e = 0; e < graph.u.length; e++) edges.push([graph.u[e]!, graph.v[e]!, graph.w[e]!]);
    const t0 = performance.now();
    const mate = blossomReference(edges, true);
    const ms = performance.now() - t0;
    const refPairs: [number, number][] = [];
    for (let v = 0; v < E; v++) {
      const m = mate[v] ?? -1;
      if (m > v) refPairs.push([eligible[v]!, eligible[m]!]);
    }
    rows.push({ algorithm: 'edmonds-blossom-fixed', ms, ...pairStats(p, refPairs, E) });
  } else {
    rows.push({
      algorithm: 'edmonds-blossom-fixed',
      ms: null,
      weight: null,
      unmatched: null,
      repeats: null,
      metBefore: null,
      note: `skipped above ${referenceMax} members`,
    });
  }

  {
    const t0 = performance.now();
    const order = Array.from(graph.w.keys()).sort((x, y) => graph.w[y]! - graph.w[x]! || x - y);
    const used = new Uint8Array(E);
    const greedyPairs: [number, number][] = [];
    for (const e of order) {
      const a = graph.u[e]!;
      const b = graph.v[e]!;
      if (used[a] || used[b]) continue;
      used[a] = used[b] = 1;
      greedyPairs.push([eligible[a]!, eligible[b]!]);
    }
    const ms = performance.now() - t0;
    rows.push({ algorithm: 'greedy by weight', ms, ...pairStats(p, greedyPairs, E) });
  }

  {
    const t0 = performance.now();
    const order = shuffleIndices(Int32Array.from(eligible), mulberry32(seed));
    const used = new Uint8Array(p.members.length);
    const randomPairs: [number, number][] = [];
    const c = p.constraints;
    for (let i = 0; i < order.length; i++) {
      const a = order[i]!;
      if (used[a]) continue;
      // Look ahead for someone allowed and never met before: "avoids repeats".
      for (let j = i + 1; j < Math.min(order.length, i + 200); j++) {
        const b = order[j]!;
        if (used[b] || !pairAllowed(c, a, b) || c.lastMet.has(a < b ? a * c.n + b : b * c.n + a)) continue;
        used[a] = used[b] = 1;
        randomPairs.push([a, b]);
        break;
      }
    }
    const ms = performance.now() - t0;
    rows.push({ algorithm: 'random, no repeats', ms, ...pairStats(p, randomPairs, E) });
  }
  return { size, edges: graph.u.length, k: DEFAULT_K, weightScale: WEIGHT_SCALE, trial, rows };
}

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const size = Number(args.get('size'));
const seed = Number(args.get('seed'));
if (args.get('engine-only') === 'true') {
  // Only the engine's trial, in this fresh process: the parent runs several for the median.
  const { members, ctx } = generateCommunity(size, seed);
  ctx.seed = seed;
  process.stdout.write(`${JSON.stringify((await engineTrial(members, ctx)).trial)}\n`);
} else {
  process.stdout.write(`${JSON.stringify(await run(size, seed, Number(args.get('reference-max') ?? Infinity)))}\n`);
}
