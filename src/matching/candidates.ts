/**
 * The sparse candidate graph for rounds: each member's best k partners (symmetric
 * union), with integer weights. Scoring all n² pairs is what makes naive matching
 * slow at 10,000 members, so candidates come from inverted indexes on topics and
 * words — people who can help me, people I can help — plus a few seeded random
 * members so that even someone with an empty profile has partners to be placed with.
 */
import { pairAllowed } from './constraints.ts';
import type { WeightedGraph } from './blossom.ts';
import { mulberry32 } from './rng.ts';
import { integerWeight, pairScoreFast, type Prepared } from './score.ts';

/** Default candidates per member (issue 3: k configurable, default 20). */
export const DEFAULT_K = 20;

/** Entries taken from one index bucket; a window at a seeded offset keeps popular topics from dominating cost. */
const BUCKET_SAMPLE = 24;
/** Pairs scored per member at most: enough to find a good top k, bounded so 10,000 members stay fast. */
const MAX_EVALUATED = 80;
/**
 * Room for an integer weight below a pair key: a pair scores at most ~15 points (1,500 as
 * a weight), and pair keys are below n², so rounds of up to ~94,000 members fit in 2^53.
 */
const WEIGHT_SLOTS = 2 ** 20;
/** Random extra candidates per member: the safety net for thin profiles. */
const RANDOM_EXTRA = 8;

/** A candidate graph over local vertex ids 0..n-1; `members[v]` is the member index of vertex v. */
export interface CandidateGraph extends WeightedGraph {
  members: Int32Array;
}

/** Per-member candidate gathering state, passed explicitly (closures are costly under the tsx loader). */
interface GatherState {
  seen: Int32Array;
  evaluated: number[];
  self: number;
  rand: () => number;
}

function consider(state: GatherState, b: number): void {
  if (b === state.self || state.seen[b] === state.self || state.evaluated.length >= MAX_EVALUATED) return;
  state.seen[b] = state.self;
  state.evaluated.push(b);
}

function takeBucket(state: GatherState, list: number[] | undefined): void {
  if (list === undefined || state.evaluated.length >= MAX_EVALUATED) return;
  if (list.length <= BUCKET_SAMPLE) {
    for (const b of list) consider(state, b);
    return;
  }
  const start = Math.floor(state.rand() * list.length);
  for (let i = 0; i < BUCKET_SAMPLE; i++) consider(state, list[(start + i) % list.length]!);
}

function pushTo(buckets: (number[] | undefined)[], key: number, v: number): void {
  let list = buckets[key];
  if (list === undefined) buckets[key] = list = [];
  if (list[list.length - 1] !== v) list.push(v);
}

/**
 * Builds the graph over `eligible` (member indices). Deterministic for a given seed.
 * Only allowed pairs become edges, so the matcher can never break a hard rule.
 */
export function buildCandidateGraph(p: Prepared, eligible: Int32Array, k = DEFAULT_K, seed = 0): CandidateGraph {
  const n = eligible.length;
  if (n * n * WEIGHT_SLOTS > Number.MAX_SAFE_INTEGER) throw new Error(`candidate graph: ${n} members is more than one round can pack`);
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const T = p.topics.topics.length;
  // Indexes by topic id and by word id (offset by T), from local vertex ids. Sized up
  // front so every lookup is in bounds: an out-of-bounds read deoptimises this function
  // the first time a community has a word the warm-up never saw.
  const keys = T + p.vocabulary.size;
  const offerBy = new Array<number[] | undefined>(keys).fill(undefined);
  const askBy = new Array<number[] | undefined>(keys).fill(undefined);
  for (let v = 0; v < n; v++) {
    const f = p.features[eligible[v]!]!;
    for (const offer of f.offers) {
      for (const t of offer.topics) pushTo(offerBy, t, v);
      for (const w of offer.words) pushTo(offerBy, T + w, v);
    }
    for (const t of f.areas.topics) pushTo(offerBy, t, v);
    for (const w of f.areas.words) pushTo(offerBy, T + w, v);
    for (const ask of f.asks) {
      for (const t of ask.topics) pushTo(askBy, t, v);
      for (const w of ask.words) pushTo(askBy, T + w, v);
    }
  }
  const state: GatherState = { seen: new Int32Array(n).fill(-1), evaluated: [], self: -1, rand };
  const topV = new Int32Array(k);
  const topS = new Float64Array(k);
  const edgeKeys: number[] = [];

  for (let a = 0; a < n; a++) {
    const ma = eligible[a]!;
    const fa = p.features[ma]!;
    let size = 0;
    state.self = a;
    state.evaluated.length = 0;
    // A few random members first, so even an empty profile has partners.
    for (let i = 0; i < RANDOM_EXTRA && n > 1; i++) consider(state, Math.floor(rand() * n));
    // Who can help me: offers on topics related to my asks; whom I can help: the reverse.
    for (const ask of fa.asks) {
      for (const t of ask.topics) for (const r of p.topics.related[t]!) takeBucket(state, offerBy[r]);
      for (const w of ask.words) takeBucket(state, offerBy[T + w]);
    }
    for (const offer of fa.offers) {
      for (const t of offer.topics) for (const r of p.topics.related[t]!) takeBucket(state, askBy[r]);
      for (const w of offer.words) takeBucket(state, askBy[T + w]);
    }
    for (const t of fa.areas.topics) for (const r of p.topics.related[t]!) takeBucket(state, askBy[r]);
    for (const w of fa.areas.words) takeBucket(state, askBy[T + w]);
    const evaluated = state.evaluated;

    for (const b of evaluated) {
      const mb = eligible[b]!;
      if (!pairAllowed(p.constraints, ma, mb)) continue;
      // Scored in a fixed order (lower local id first) so both ends agree to the last bit.
      const s = a < b ? pairScoreFast(p, ma, mb) : pairScoreFast(p, mb, ma);
      if (size === k && s <= topS[k - 1]!) continue;
      // Insert into the sorted top k; when full, the last one drops out.
      let i = size < k ? size++ : k - 1;
      while (i > 0 && topS[i - 1]! < s) {
        topS[i] = topS[i - 1]!;
        topV[i] = topV[i - 1]!;
        i--;
      }
      topS[i] = s;
      topV[i] = b;
    }
    for (let i = 0; i < size; i++) {
      const b = topV[i]!;
      // Pair and weight in one number, so one numeric sort orders pairs and drops the
      // duplicates that appear when each end picked the other (they agree on the weight).
      edgeKeys.push((a < b ? a * n + b : b * n + a) * WEIGHT_SLOTS + Math.min(WEIGHT_SLOTS - 1, integerWeight(topS[i]!)));
    }
  }
  const sorted = Float64Array.from(edgeKeys).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i]!;
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  const w = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const pair = Math.floor(sorted[e]! / WEIGHT_SLOTS);
    const a = Math.floor(pair / n);
    u[e] = a;
    v[e] = pair - a * n;
    w[e] = sorted[e]! - pair * WEIGHT_SLOTS;
  }
  return { n, u, v, w, members: eligible };
}

/** Adds, for the given vertices, an edge to every allowed partner: the dense fallback for the few left over. */
export function withDenseRows(p: Prepared, graph: CandidateGraph, rows: Int32Array): CandidateGraph {
  const n = graph.n;
  const existing = new Set<number>();
  for (let e = 0; e < graph.u.length; e++) existing.add(graph.u[e]! * n + graph.v[e]!);
  const u: number[] = Array.from(graph.u);
  const v: number[] = Array.from(graph.v);
  const w: number[] = Array.from(graph.w);
  for (const a of rows) {
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      if (existing.has(lo * n + hi)) continue;
      const ma = graph.members[a]!;
      const mb = graph.members[b]!;
      if (!pairAllowed(p.constraints, ma, mb)) continue;
      existing.add(lo * n + hi);
      u.push(lo);
      v.push(hi);
      w.push(integerWeight(pairScoreFast(p, ma, mb)));
    }
  }
  return { n, u: Int32Array.from(u), v: Int32Array.from(v), w: Int32Array.from(w), members: graph.members };
}

/** Adds the matched pairs of `mate` that the graph lacks (all allowed: they come from an allowed-pair search). */
export function withPairs(p: Prepared, graph: CandidateGraph, mate: Int32Array): CandidateGraph {
  const n = graph.n;
  const existing = new Set<number>();
  for (let e = 0; e < graph.u.length; e++) existing.add(graph.u[e]! * n + graph.v[e]!);
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < n; a++) {
    const b = mate[a]!;
    if (b <= a || existing.has(a * n + b)) continue;
    u.push(a);
    v.push(b);
    w.push(integerWeight(pairScoreFast(p, graph.members[a]!, graph.members[b]!)));
  }
  if (u.length === 0) return graph;
  return {
    n,
    u: Int32Array.from([...graph.u, ...u]),
    v: Int32Array.from([...graph.v, ...v]),
    w: Int32Array.from([...graph.w, ...w]),
    members: graph.members,
  };
}
