/**
 * Exact maximum-weight matching on a general graph: Edmonds' blossom algorithm with
 * Galil's primal-dual bookkeeping, after Joris van Rantwijk's reference
 * implementation (mwmatching.py), rewritten for speed:
 *
 * - integer weights and doubled duals, so the arithmetic stays exact (no "close"):
 *   from the plain start every dual is an integer; from the greedy start duals begin
 *   with mixed parities, but each S-vertex shares its tree root's fractional part, so
 *   S–S slacks stay whole and the clock only ever moves by multiples of ½, which
 *   doubles represent exactly;
 * - every per-vertex and per-edge table is a typed array, adjacency is CSR, and the
 *   hot loops touch no objects;
 * - all free vertices grow alternating trees at once, and an augmentation dissolves
 *   only the two trees it joined (the reference resets everything, every time);
 * - dual adjustments are lazy (one clock, re-based only where labels change) and the
 *   next event comes from heaps of per-vertex pending events, so a dual step costs a
 *   few heap operations instead of a pass over every labelled vertex.
 *
 * Why our own: rounds of 10,000 members must finish in seconds, while the
 * straightforward port on npm takes minutes on the same graph.
 */
import { EventHeap } from './event-heap.ts';

/** A weighted graph in edge-list form; u[k]–v[k] has integer weight w[k] ≥ 0. */
export interface WeightedGraph {
  n: number;
  u: Int32Array;
  v: Int32Array;
  w: Int32Array | Float64Array;
}

/**
 * Maximum-weight matching. With `maxCardinality`, the matching has the most edges
 * possible and, among those, the largest weight — which is what "nobody is left out"
 * needs when the candidate graph is sparse. Returns mate[v] (vertex or -1).
 */
export function maxWeightMatching(graph: WeightedGraph, maxCardinality = false): Int32Array {
  if (maxCardinality) {
    const perfect = perfectMatching(graph);
    if (perfect !== null) return perfect;
  }
  return new BlossomSolver(graph, maxCardinality, false).solve();
}

/**
 * The fast path for rounds: when everyone can be paired (with an odd count, everyone
 * but one), the best matching of most edges is the best *perfect* matching — of the
 * graph plus, for an odd count, one stand-in vertex joined to all at weight 0, whose
 * partner is the member left for a trio. Perfect matching allows any feasible starting
 * duals, so the solver starts from a greedy matching on tight edges ("jump start")
 * instead of from nothing, which skips most early augmentations. Null when the
 * result is not perfect (some members cannot all be paired): the caller then solves
 * from the plain start, where maximum cardinality is proven for any graph.
 */
function perfectMatching(graph: WeightedGraph): Int32Array | null {
  // Members with no edge at all stay single whatever happens; leaving them out keeps
  // the common case (everyone else can be paired) on the fast path.
  const hasEdge = new Uint8Array(graph.n);
  let m = 0;
  for (let k = 0; k < graph.u.length; k++) {
    if (graph.u[k] === graph.v[k]) continue;
    hasEdge[graph.u[k]!] = 1;
    hasEdge[graph.v[k]!] = 1;
    m++;
  }
  const local = new Int32Array(graph.n).fill(-1);
  const original: number[] = [];
  for (let x = 0; x < graph.n; x++) if (hasEdge[x] === 1) local[x] = original.push(x) - 1;
  const n = original.length;
  // One more vertex for an odd count: the stand-in partner, joined to everyone at weight 0.
  const extra = n % 2;
  const u = new Int32Array(m + extra * n);
  const v = new Int32Array(m + extra * n);
  const w = new Float64Array(m + extra * n);
  for (let k = 0, e = 0; k < graph.u.length; k++) {
    if (graph.u[k] === graph.v[k]) continue;
    u[e] = local[graph.u[k]!]!;
    v[e] = local[graph.v[k]!]!;
    w[e++] = graph.w[k]!;
  }
  for (let x = 0; x < extra * n; x++) {
    u[m + x] = x;
    v[m + x] = n;
  }
  const mate = new BlossomSolver({ n: n + extra, u, v, w }, true, true).solve();
  for (let x = 0; x < n + extra; x++) if (mate[x] === -1) return null;
  const result = new Int32Array(graph.n).fill(-1);
  for (let x = 0; x < n; x++) if (mate[x]! < n) result[original[x]!] = original[mate[x]!]!;
  return result;
}

/** Sum of weights of a mate array over the graph's edges (each matched edge once; assumes no parallel edges, as candidate graphs have none). */
export function matchingWeight(graph: WeightedGraph, mate: Int32Array): number {
  let total = 0;
  for (let k = 0; k < graph.u.length; k++) {
    const a = graph.u[k]!;
    const b = graph.v[k]!;
    if (mate[a] === b && a !== b) total += graph.w[k]!;
  }
  return total;
}

/** Top-level label of a blossom or vertex. 5 is scanBlossom's breadcrumb; -1 an unused blossom slot. */
const FREE = 0;
const OUTER = 1;
const INNER = 2;

class BlossomSolver {
  private readonly n: number;
  private readonly nedge: number;
  private readonly maxCardinality: boolean;
  /** endpoint[2k] and endpoint[2k+1] are the ends of edge k; "p" below is an index into it. */
  private readonly endpoint: Int32Array;
  private readonly weight: Float64Array;
  /** CSR: neighbend[nbStart[v]..nbStart[v+1]) are the remote endpoints of v's edges. */
  private readonly nbStart: Int32Array;
  private readonly neighbend: Int32Array;
  /** mate[v] = remote endpoint p of v's matched edge, or -1. */
  private readonly mate: Int32Array;
  /** 0 free, 1 S (outer), 2 T (inner), 5 breadcrumb during scanBlossom, -1 unused blossom. */
  private readonly label: Int8Array;
  private readonly labelEnd: Int32Array;
  private readonly inBlossom: Int32Array;
  private readonly blossomParent: Int32Array;
  private readonly blossomBase: Int32Array;
  private readonly blossomChilds: (number[] | null)[];
  private readonly blossomEndps: (number[] | null)[];
  private readonly unusedBlossoms: number[];
  /**
   * Lazy duals. The solver's clock is the sum of all dual adjustments so far; a vertex's
   * doubled dual is yBase + ySign·clock (S −1, T +1, free 0) and a top-level blossom's is
   * zBase + zSign·clock (S +1, T −1, nested or free 0). A dual adjustment is then one
   * addition to the clock instead of a pass over every labelled vertex, and a label
   * change re-bases only the vertices whose label changes — work the algorithm does anyway.
   */
  private clock = 0;
  private readonly yBase: Float64Array;
  private readonly ySign: Int8Array;
  private readonly zBase: Float64Array;
  private readonly zSign: Int8Array;
  /**
   * Events by the clock time they happen: an edge from an S-vertex to a free vertex
   * becomes tight (tightFree), an edge between two S-blossoms becomes tight (tightOuter),
   * a T-blossom's dual reaches zero (innerZero). Every such edge is pushed when its
   * S end is scanned, so no event can be missed; entries that went stale (labels
   * changed since) are checked when they surface and dropped or re-pushed.
   */
  private readonly tightFree: EventHeap;
  private readonly tightOuter: EventHeap;
  private readonly innerZero: EventHeap;
  /**
   * Each free or S-vertex's earliest pending event (edge and time): for a free vertex,
   * its first edge to an S-vertex to become tight; for an S-vertex, its first edge to
   * another S-blossom among those it scanned. Scans push only events that improve on
   * it, which keeps the heaps small. When that event dies or moves (its other end left
   * its tree, the two ends joined one blossom), the vertex recomputes from all its
   * edges (watch) when the event surfaces or is used, so no later event is lost.
   */
  private readonly pending: Int32Array;
  private readonly pendingAt: Float64Array;
  /** Vertices whose pending event was just used: they watch again before the duals move. */
  private rewatch: number[] = [];
  /** allow[k] = 1 when edge k is tight and usable; cleared only around dissolved trees. */
  private readonly allow: Uint8Array;
  /** Root vertex of the alternating tree each labelled vertex belongs to. */
  private readonly treeOf: Int32Array;
  private readonly mark: Int32Array;
  private markStamp = 0;
  /** Vertices labelled into each tree (by root); may hold stale entries, filtered by treeOf. */
  private readonly treeMembers: (number[] | undefined)[];
  /** S-vertices whose edges all need scanning. */
  private queue: number[] = [];
  /** Single edges that became tight, as the remote endpoint p seen from the S-vertex endpoint[p ^ 1]. */
  private edgeQueue: number[] = [];
  private readonly leafBuf: Int32Array;
  private readonly leafStack: Int32Array;

  /** Start from greedyStart's duals and matching; only sound when the caller wants a perfect matching. */
  private readonly jumpStart: boolean;

  constructor(graph: WeightedGraph, maxCardinality: boolean, jumpStart: boolean) {
    const n = graph.n;
    const m = graph.u.length;
    this.n = n;
    this.nedge = m;
    this.maxCardinality = maxCardinality;
    this.jumpStart = jumpStart;
    this.endpoint = new Int32Array(2 * m);
    this.weight = new Float64Array(m);
    const deg = new Int32Array(n + 1);
    for (let k = 0; k < m; k++) {
      const a = graph.u[k]!;
      const b = graph.v[k]!;
      this.endpoint[2 * k] = a;
      this.endpoint[2 * k + 1] = b;
      this.weight[k] = graph.w[k]!;
      if (a !== b) {
        deg[a]!++;
        deg[b]!++;
      }
    }
    this.nbStart = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) this.nbStart[v + 1] = this.nbStart[v]! + deg[v]!;
    this.neighbend = new Int32Array(this.nbStart[n]!);
    const fill = this.nbStart.slice(0, n);
    for (let k = 0; k < m; k++) {
      const a = this.endpoint[2 * k]!;
      const b = this.endpoint[2 * k + 1]!;
      if (a === b) continue;
      this.neighbend[fill[a]!++] = 2 * k + 1;
      this.neighbend[fill[b]!++] = 2 * k;
    }
    let maxWeight = 0;
    for (let k = 0; k < m; k++) if (this.weight[k]! > maxWeight) maxWeight = this.weight[k]!;
    this.mate = new Int32Array(n).fill(-1);
    this.label = new Int8Array(2 * n);
    this.labelEnd = new Int32Array(2 * n).fill(-1);
    this.inBlossom = new Int32Array(n);
    for (let v = 0; v < n; v++) this.inBlossom[v] = v;
    this.blossomParent = new Int32Array(2 * n).fill(-1);
    this.blossomBase = new Int32Array(2 * n).fill(-1);
    for (let v = 0; v < n; v++) this.blossomBase[v] = v;
    this.blossomChilds = new Array<number[] | null>(2 * n).fill(null);
    this.blossomEndps = new Array<number[] | null>(2 * n).fill(null);
    this.unusedBlossoms = [];
    for (let b = 2 * n - 1; b >= n; b--) this.unusedBlossoms.push(b);
    this.yBase = new Float64Array(n).fill(maxWeight);
    this.ySign = new Int8Array(n);
    this.zBase = new Float64Array(2 * n);
    this.zSign = new Int8Array(2 * n);
    this.tightFree = new EventHeap(2 * n);
    this.tightOuter = new EventHeap(2 * n);
    this.innerZero = new EventHeap(64);
    this.pending = new Int32Array(n).fill(-1);
    this.pendingAt = new Float64Array(n);
    this.allow = new Uint8Array(m);
    this.treeOf = new Int32Array(n).fill(-1);
    this.mark = new Int32Array(2 * n);
    this.treeMembers = new Array<number[] | undefined>(n);
    this.leafBuf = new Int32Array(n);
    this.leafStack = new Int32Array(2 * n);
  }

  /** Doubled dual of vertex x now. */
  private y(x: number): number {
    return this.yBase[x]! + this.ySign[x]! * this.clock;
  }

  /** Dual of blossom b now. */
  private z(b: number): number {
    return this.zBase[b]! + this.zSign[b]! * this.clock;
  }

  /** Re-bases vertex x so its dual moves with `sign` from now on (S −1, T +1, free 0). */
  private setYSign(x: number, sign: number): void {
    const old = this.ySign[x]!;
    if (old === sign) return;
    this.yBase[x] = this.yBase[x]! + (old - sign) * this.clock;
    this.ySign[x] = sign;
  }

  /** Re-bases blossom b so its dual moves with `sign` from now on (S +1, T −1, nested or free 0). */
  private setZSign(b: number, sign: number): void {
    const old = this.zSign[b]!;
    if (old === sign) return;
    this.zBase[b] = this.zBase[b]! + (old - sign) * this.clock;
    this.zSign[b] = sign;
  }

  private slack(k: number): number {
    return this.y(this.endpoint[2 * k]!) + this.y(this.endpoint[2 * k + 1]!) - 2 * this.weight[k]!;
  }

  /** Fills leafBuf with the vertices inside blossom b; returns how many. Callers consume before calling again. */
  private leaves(b: number): number {
    const n = this.n;
    if (b < n) {
      this.leafBuf[0] = b;
      return 1;
    }
    let count = 0;
    let top = 0;
    this.leafStack[top++] = b;
    while (top > 0) {
      const x = this.leafStack[--top]!;
      if (x < n) this.leafBuf[count++] = x;
      else {
        const childs = this.blossomChilds[x]!;
        for (let i = childs.length - 1; i >= 0; i--) this.leafStack[top++] = childs[i]!;
      }
    }
    return count;
  }

  /** Gives top-level blossom b a T label's dual movement and schedules its zero-dual event. */
  private becomeInner(b: number): void {
    const count = this.leaves(b);
    for (let i = 0; i < count; i++) this.setYSign(this.leafBuf[i]!, 1);
    if (b >= this.n) {
      this.setZSign(b, -1);
      this.innerZero.push(this.clock + this.z(b), b);
    }
  }

  private assignLabel(w: number, t: number, p: number): void {
    for (;;) {
      const b = this.inBlossom[w]!;
      this.label[w] = t;
      this.label[b] = t;
      this.labelEnd[w] = p;
      this.labelEnd[b] = p;
      const tree = p === -1 ? w : this.treeOf[this.endpoint[p]!]!;
      const count = this.leaves(b);
      let list = this.treeMembers[tree];
      if (list === undefined) this.treeMembers[tree] = list = [];
      const sign = t === OUTER ? -1 : 1;
      for (let i = 0; i < count; i++) {
        const x = this.leafBuf[i]!;
        this.treeOf[x] = tree;
        list.push(x);
        this.setYSign(x, sign);
      }
      if (t === OUTER) {
        if (b >= this.n) this.setZSign(b, 1);
        for (let i = 0; i < count; i++) this.queue.push(this.leafBuf[i]!);
        return;
      }
      if (b >= this.n) {
        this.setZSign(b, -1);
        this.innerZero.push(this.clock + this.z(b), b);
      }
      // T-blossom: its base's mate becomes S.
      const base = this.blossomBase[b]!;
      const mp = this.mate[base]!;
      w = this.endpoint[mp]!;
      t = OUTER;
      p = mp ^ 1;
    }
  }

  /** Trace back from v and w to find a new blossom's base, or -1 for an augmenting path. */
  private scanBlossom(v: number, w: number): number {
    const path: number[] = [];
    let base = -1;
    while (v !== -1 || w !== -1) {
      let b = this.inBlossom[v]!;
      if (this.label[b]! & 4) {
        base = this.blossomBase[b]!;
        break;
      }
      path.push(b);
      this.label[b] = 5;
      if (this.labelEnd[b] === -1) v = -1;
      else {
        v = this.endpoint[this.labelEnd[b]!]!;
        b = this.inBlossom[v]!;
        v = this.endpoint[this.labelEnd[b]!]!;
      }
      if (w !== -1) {
        const tmp = v;
        v = w;
        w = tmp;
      }
    }
    for (const b of path) this.label[b] = OUTER;
    return base;
  }

  private addBlossom(base: number, k: number): void {
    let v = this.endpoint[2 * k]!;
    let w = this.endpoint[2 * k + 1]!;
    const bb = this.inBlossom[base]!;
    let bv = this.inBlossom[v]!;
    let bw = this.inBlossom[w]!;
    const b = this.unusedBlossoms.pop()!;
    this.blossomBase[b] = base;
    this.blossomParent[b] = -1;
    this.blossomParent[bb] = b;
    const path: number[] = [];
    const endps: number[] = [];
    while (bv !== bb) {
      this.blossomParent[bv] = b;
      path.push(bv);
      endps.push(this.labelEnd[bv]!);
      v = this.endpoint[this.labelEnd[bv]!]!;
      bv = this.inBlossom[v]!;
    }
    path.push(bb);
    path.reverse();
    endps.reverse();
    endps.push(2 * k);
    while (bw !== bb) {
      this.blossomParent[bw] = b;
      path.push(bw);
      endps.push(this.labelEnd[bw]! ^ 1);
      w = this.endpoint[this.labelEnd[bw]!]!;
      bw = this.inBlossom[w]!;
    }
    this.blossomChilds[b] = path;
    this.blossomEndps[b] = endps;
    this.label[b] = OUTER;
    this.labelEnd[b] = this.labelEnd[bb]!;
    this.zBase[b] = 0;
    this.zSign[b] = 0;
    this.setZSign(b, 1);
    // Sub-blossoms stop moving: only top-level blossoms' duals change.
    for (const sub of path) if (sub >= this.n) this.setZSign(sub, 0);
    const count = this.leaves(b);
    for (let i = 0; i < count; i++) {
      const x = this.leafBuf[i]!;
      if (this.label[this.inBlossom[x]!] === INNER) {
        // T-vertices become S: they move down from now on and their edges need scanning.
        this.setYSign(x, -1);
        this.queue.push(x);
      }
      this.inBlossom[x] = b;
    }
  }

  /** Records an event as vertex x's pending one if it is earlier than the one it has. */
  private offer(heap: EventHeap, x: number, k: number, at: number): void {
    if (this.pending[x] === -1 || at < this.pendingAt[x]!) {
      this.pending[x] = k;
      this.pendingAt[x] = at;
      heap.push(at, k);
    }
  }

  /**
   * Recomputes vertex x's pending event from all its edges to S-blossoms: edges already
   * tight are queued for scanning from their S end, the earliest of the rest is pushed.
   * With `leavingTree` (x's tree was just dissolved), the same pass also forgets x's
   * usable edges and the breadcrumbs x left in other trees' T-blossoms.
   */
  private watch(x: number, leavingTree = false): void {
    const bx = this.inBlossom[x]!;
    const role = this.label[bx]!;
    this.pending[x] = -1;
    if (role !== FREE && role !== OUTER) return;
    let best = -1;
    let bestAt = 0;
    for (let q = this.nbStart[x]!; q < this.nbStart[x + 1]!; q++) {
      const p = this.neighbend[q]!;
      const k = p >> 1;
      const w = this.endpoint[p]!;
      if (leavingTree) {
        this.allow[k] = 0;
        if (this.label[w] === INNER && this.labelEnd[w] === (p ^ 1)) {
          // Used when that blossom expands, so it must not outlive x's tree.
          this.label[w] = FREE;
          this.labelEnd[w] = -1;
        }
      }
      const bw = this.inBlossom[w]!;
      if (bw === bx || this.label[bw] !== OUTER) continue;
      const sl = this.slack(k);
      if (sl <= 0) this.edgeQueue.push(role === OUTER ? p : p ^ 1);
      else {
        const at = this.clock + (role === OUTER ? sl / 2 : sl);
        if (best === -1 || at < bestAt) {
          best = k;
          bestAt = at;
        }
      }
    }
    if (best !== -1) this.offer(role === OUTER ? this.tightOuter : this.tightFree, x, best, bestAt);
  }

  private expandBlossom(b: number, endStage: boolean): void {
    const n = this.n;
    const childs = this.blossomChilds[b]!;
    const endps = this.blossomEndps[b]!;
    for (const s of childs) {
      this.blossomParent[s] = -1;
      if (s < n) this.inBlossom[s] = s;
      else if (endStage && this.z(s) === 0) this.expandBlossom(s, endStage);
      else {
        const count = this.leaves(s);
        for (let i = 0; i < count; i++) this.inBlossom[this.leafBuf[i]!] = s;
      }
    }
    if (!endStage && this.label[b] === INNER) {
      const len = childs.length;
      const entryChild = this.inBlossom[this.endpoint[this.labelEnd[b]! ^ 1]!]!;
      // Walk from the entry child to the base the even way round (see augmentBlossom).
      const at = childs.indexOf(entryChild);
      const forward = (at & 1) === 1;
      let j = forward ? at - len : at;
      const jstep = forward ? 1 : -1;
      const endptrick = forward ? 0 : 1;
      let p = this.labelEnd[b]!;
      while (j !== 0) {
        this.label[this.endpoint[p ^ 1]!] = FREE;
        this.label[this.endpoint[endps[j - endptrick < 0 ? j - endptrick + len : j - endptrick]! ^ endptrick ^ 1]!] = FREE;
        this.assignLabel(this.endpoint[p ^ 1]!, INNER, p);
        this.allow[endps[j - endptrick < 0 ? j - endptrick + len : j - endptrick]! >> 1] = 1;
        j += jstep;
        p = endps[j - endptrick < 0 ? j - endptrick + len : j - endptrick]! ^ endptrick;
        this.allow[p >> 1] = 1;
        j += jstep;
      }
      let bv = childs[j < 0 ? j + len : j]!;
      this.label[this.endpoint[p ^ 1]!] = INNER;
      this.label[bv] = INNER;
      this.labelEnd[this.endpoint[p ^ 1]!] = p;
      this.labelEnd[bv] = p;
      this.becomeInner(bv);
      j += jstep;
      while (childs[j < 0 ? j + len : j]! !== entryChild) {
        bv = childs[j < 0 ? j + len : j]!;
        if (this.label[bv] === OUTER) {
          j += jstep;
          continue;
        }
        const count = this.leaves(bv);
        let found = -1;
        for (let i = 0; i < count; i++) {
          const x = this.leafBuf[i]!;
          if (this.label[x] !== FREE) {
            found = x;
            break;
          }
        }
        if (found !== -1) {
          this.label[found] = FREE;
          this.label[this.endpoint[this.mate[this.blossomBase[bv]!]!]!] = FREE;
          this.assignLabel(found, INNER, this.labelEnd[found]!);
        }
        j += jstep;
      }
      // Children left unlabelled are free again: their duals stop moving and their
      // edges to S-vertices become events. They stay listed in the tree they were in,
      // so its dissolution still clears their usable edges.
      for (const s of childs) {
        if (this.label[s] !== FREE) continue;
        const count = this.leaves(s);
        for (let i = 0; i < count; i++) this.setYSign(this.leafBuf[i]!, 0);
        for (let i = 0; i < count; i++) this.watch(this.leafBuf[i]!);
      }
    }
    this.label[b] = -1;
    this.labelEnd[b] = -1;
    this.blossomChilds[b] = null;
    this.blossomEndps[b] = null;
    this.blossomBase[b] = -1;
    this.zSign[b] = 0;
    this.zBase[b] = 0;
    this.unusedBlossoms.push(b);
  }

  /** Swap matched/unmatched edges along the alternating path through blossom b from vertex v to its base. */
  private augmentBlossom(b: number, v: number): void {
    const n = this.n;
    let t = v;
    while (this.blossomParent[t] !== b) t = this.blossomParent[t]!;
    if (t >= n) this.augmentBlossom(t, v);
    const childs = this.blossomChilds[b]!;
    const endps = this.blossomEndps[b]!;
    const len = childs.length;
    const i = childs.indexOf(t);
    // From child i to the base along the even-length side: forwards (wrapping, j < 0)
    // when i is odd, backwards when even; endptrick picks each edge's endpoint order.
    const forward = (i & 1) === 1;
    let j = forward ? i - len : i;
    const jstep = forward ? 1 : -1;
    const endptrick = forward ? 0 : 1;
    while (j !== 0) {
      j += jstep;
      t = childs[j < 0 ? j + len : j]!;
      const jj = j - endptrick;
      const p = endps[jj < 0 ? jj + len : jj]! ^ endptrick;
      if (t >= n) this.augmentBlossom(t, this.endpoint[p]!);
      j += jstep;
      t = childs[j < 0 ? j + len : j]!;
      if (t >= n) this.augmentBlossom(t, this.endpoint[p ^ 1]!);
      this.mate[this.endpoint[p]!] = p ^ 1;
      this.mate[this.endpoint[p ^ 1]!] = p;
    }
    // Rotate so the new base comes first.
    this.blossomChilds[b] = childs.slice(i).concat(childs.slice(0, i));
    this.blossomEndps[b] = endps.slice(i).concat(endps.slice(0, i));
    this.blossomBase[b] = this.blossomBase[this.blossomChilds[b]![0]!]!;
  }

  private augmentMatching(k: number): void {
    const n = this.n;
    for (let side = 0; side < 2; side++) {
      let s = this.endpoint[2 * k + side]!;
      let p = 2 * k + 1 - side;
      for (;;) {
        const bs = this.inBlossom[s]!;
        if (bs >= n) this.augmentBlossom(bs, s);
        this.mate[s] = p;
        if (this.labelEnd[bs] === -1) break;
        const tv = this.endpoint[this.labelEnd[bs]!]!;
        const bt = this.inBlossom[tv]!;
        s = this.endpoint[this.labelEnd[bt]!]!;
        const j = this.endpoint[this.labelEnd[bt]! ^ 1]!;
        if (bt >= n) this.augmentBlossom(bt, j);
        this.mate[j] = this.labelEnd[bt]!;
        p = this.labelEnd[bt]! ^ 1;
      }
    }
  }

  /**
   * After an augmentation joins trees rooted at ra and rb, only those two trees lose
   * their labels; every other tree keeps growing. This replaces the reference
   * algorithm's full reset per augmentation, which rescans every free vertex's edges
   * each time and is what makes it quadratic in practice.
   */
  private dissolveTrees(ra: number, rb: number): void {
    const n = this.n;
    const members: number[] = [];
    const seen = ++this.markStamp;
    for (const root of ra === rb ? [ra] : [ra, rb]) {
      for (const x of this.treeMembers[root] ?? []) {
        if (this.treeOf[x] === root && this.mark[x] !== seen) {
          this.mark[x] = seen;
          members.push(x);
        }
      }
      this.treeMembers[root] = undefined;
    }
    // Zero-dual S-blossoms are expanded as the reference does at the end of a stage.
    for (const x of members) {
      const b = this.inBlossom[x]!;
      if (b >= n && this.blossomParent[b] === -1 && this.label[b] === OUTER && this.z(b) === 0) this.expandBlossom(b, true);
    }
    const stamp = ++this.markStamp;
    for (const x of members) {
      this.treeOf[x] = -1;
      this.label[x] = FREE;
      this.labelEnd[x] = -1;
      this.setYSign(x, 0);
      for (let b = this.blossomParent[x]!; b !== -1 && this.mark[b] !== stamp; b = this.blossomParent[b]!) {
        this.mark[b] = stamp;
        this.label[b] = FREE;
        this.labelEnd[b] = -1;
        this.setZSign(b, 0);
      }
    }
    // One pass over each dissolved vertex's edges: forget usable edges and breadcrumbs,
    // and watch edges to surviving S-vertices. (Free vertices whose pending event was an
    // edge into these trees re-watch lazily, when that event surfaces: nothing of
    // theirs can happen earlier.)
    for (const x of members) this.watch(x, true);
  }

  solve(): Int32Array {
    const n = this.n;
    if (this.nedge === 0) return this.mate.slice();
    if (this.jumpStart) this.greedyStart();
    for (let v = 0; v < n; v++) if (this.mate[v] === -1 && this.label[this.inBlossom[v]!] === FREE) this.assignLabel(v, OUTER, -1);
    // Small methods rather than one big loop: each is optimised on its own, quickly,
    // and a deoptimisation in one does not throw away (and recompile) all the others.
    for (;;) {
      while (this.queue.length > 0 || this.edgeQueue.length > 0 || this.rewatch.length > 0) {
        if (this.edgeQueue.length > 0) {
          const p = this.edgeQueue.pop()!;
          const v = this.endpoint[p ^ 1]!;
          if (this.label[this.inBlossom[v]!] === OUTER) this.scanEdge(v, p);
        } else if (this.queue.length > 0) this.scanVertex(this.queue.pop()!);
        else this.watch(this.rewatch.pop()!);
      }
      if (!this.dualStep()) break;
    }
    const result = new Int32Array(n).fill(-1);
    for (let v = 0; v < n; v++) if (this.mate[v]! >= 0) result[v] = this.endpoint[this.mate[v]!]!;
    return result;
  }

  /**
   * Starting duals and matching for the perfect-matching fast path: each vertex's dual
   * is its heaviest edge; each vertex still unmatched, in turn, lowers its dual until
   * one of its edges is tight and is matched over the heaviest tight edge to a
   * neighbour still unmatched. Every edge keeps slack ≥ 0 and every matched edge is
   * tight, as the algorithm needs.
   */
  private greedyStart(): void {
    const n = this.n;
    const y = this.yBase;
    for (let v = 0; v < n; v++) {
      let heaviest = 0;
      for (let q = this.nbStart[v]!; q < this.nbStart[v + 1]!; q++) heaviest = Math.max(heaviest, this.weight[this.neighbend[q]! >> 1]!);
      y[v] = heaviest;
    }
    for (let v = 0; v < n; v++) {
      if (this.mate[v] !== -1) continue;
      let minSlack = Infinity;
      for (let q = this.nbStart[v]!; q < this.nbStart[v + 1]!; q++) minSlack = Math.min(minSlack, this.slack(this.neighbend[q]! >> 1));
      if (minSlack === Infinity) continue;
      y[v] = y[v]! - minSlack;
      let best = -1;
      for (let q = this.nbStart[v]!; q < this.nbStart[v + 1]!; q++) {
        const p = this.neighbend[q]!;
        const k = p >> 1;
        if (this.mate[this.endpoint[p]!] !== -1 || this.slack(k) !== 0) continue;
        if (best === -1 || this.weight[k]! > this.weight[best >> 1]!) best = p;
      }
      if (best !== -1) {
        this.mate[v] = best;
        this.mate[this.endpoint[best]!] = best ^ 1;
      }
    }
  }

  /** Scans an S-vertex's edges: grows trees, forms blossoms, or augments (then stops). */
  private scanVertex(v: number): void {
    if (this.label[this.inBlossom[v]!] !== OUTER) return;
    this.pending[v] = -1;
    const qEnd = this.nbStart[v + 1]!;
    for (let q = this.nbStart[v]!; q < qEnd; q++) if (!this.scanEdge(v, this.neighbend[q]!)) return;
  }

  /**
   * One edge from S-vertex v to endpoint p: if tight, grow the tree, form a blossom or
   * augment; if not, schedule the moment it becomes tight. False after an augmentation
   * (v's tree is gone, so the caller stops scanning v).
   */
  private scanEdge(v: number, p: number): boolean {
    const label = this.label;
    const inBlossom = this.inBlossom;
    const allow = this.allow;
    const k = p >> 1;
    const w = this.endpoint[p]!;
    const bw = inBlossom[w]!;
    // v's blossom can change while its edges are scanned (addBlossom), so it is read each time.
    if (inBlossom[v] === bw) return true;
    let kslack = 0;
    if (allow[k] === 0) {
      kslack = this.slack(k);
      if (kslack <= 0) allow[k] = 1;
    }
    if (allow[k] === 1) {
      if (label[bw] === FREE) this.assignLabel(w, INNER, p ^ 1);
      else if (label[bw] === OUTER) {
        const base = this.scanBlossom(v, w);
        if (base >= 0) this.addBlossom(base, k);
        else {
          const ra = this.treeOf[v]!;
          const rb = this.treeOf[w]!;
          this.augmentMatching(k);
          this.dissolveTrees(ra, rb);
          return false;
        }
      } else if (label[w] === FREE) {
        label[w] = INNER;
        this.labelEnd[w] = p ^ 1;
      }
    } else if (label[bw] === OUTER) this.offer(this.tightOuter, v, k, this.clock + kslack / 2);
    else if (label[bw] === FREE) this.offer(this.tightFree, w, k, this.clock + kslack);
    return true;
  }

  /** The end of edge k whose pending event is (k, at), or -1 if the entry was superseded. */
  private ownerOf(k: number, at: number): number {
    const a = this.endpoint[2 * k]!;
    if (this.pending[a] === k && this.pendingAt[a] === at) return a;
    const b = this.endpoint[2 * k + 1]!;
    if (this.pending[b] === k && this.pendingAt[b] === at) return b;
    return -1;
  }

  /**
   * Drops stale entries from the top of a tight-edge heap and returns the time of the
   * first live event, or Infinity. An entry is live while it is still its owner's
   * pending event, the owner still has the heap's role (free, or S) and the other end
   * is still an S-vertex in another blossom at the same time. Otherwise the owner, if
   * it still has that role, watches again.
   */
  private liveEdgeTop(heap: EventHeap, outer: boolean): number {
    const role = outer ? OUTER : FREE;
    while (heap.size > 0) {
      const k = heap.topItem();
      const key = heap.topKey();
      const owner = this.ownerOf(k, key);
      if (owner === -1) {
        heap.pop();
        continue;
      }
      const bo = this.inBlossom[owner]!;
      const other = this.endpoint[2 * k] === owner ? this.endpoint[2 * k + 1]! : this.endpoint[2 * k]!;
      const bt = this.inBlossom[other]!;
      if (this.label[bo] === role && this.label[bt] === OUTER && bo !== bt) {
        const sl = this.slack(k);
        const at = this.clock + (outer ? sl / 2 : sl);
        if (at === key) return key;
        if (sl < 0) throw new Error(`blossom: edge ${k} lost its event (slack ${sl})`);
      }
      heap.pop();
      if (this.label[bo] === role) this.watch(owner);
    }
    return Infinity;
  }

  /** Drops stale entries from the T-blossom heap; returns the time the first live one reaches zero. */
  private liveInnerTop(): number {
    const heap = this.innerZero;
    while (heap.size > 0) {
      const b = heap.topItem();
      if (this.blossomParent[b] !== -1 || this.label[b] !== INNER || this.blossomBase[b]! < 0) {
        heap.pop();
        continue;
      }
      const at = this.clock + this.z(b);
      if (at === heap.topKey()) return at;
      heap.pop();
      heap.push(at, b);
    }
    return Infinity;
  }

  /** One dual adjustment; false when no further progress is possible (the matching is optimal). */
  private dualStep(): boolean {
    const free = this.liveEdgeTop(this.tightFree, false);
    const outer = this.liveEdgeTop(this.tightOuter, true);
    const inner = this.liveInnerTop();
    // Cleaning the tops can re-watch a free vertex and find an edge already tight:
    // scan it before any dual moves.
    if (this.edgeQueue.length > 0 || this.rewatch.length > 0) return true;
    const next = Math.min(free, outer, inner);
    if (!this.maxCardinality && this.minVertexDual() <= next - this.clock) return false;
    if (next === Infinity) return false;
    this.clock = next;
    if (free === next || outer === next) {
      // Every edge that becomes tight now is made usable at once: integer weights
      // produce many ties, and each extra step would cost a round of heap checks.
      this.releaseTight(this.tightFree, false, next);
      this.releaseTight(this.tightOuter, true, next);
    } else {
      const b = this.innerZero.topItem();
      this.innerZero.pop();
      this.expandBlossom(b, false);
    }
    return true;
  }

  /**
   * Makes every edge whose event is at `at` usable and queues it from its S end.
   * Duplicates surface together and are skipped. Each owner has used its pending
   * event, so it watches again once the edge has been scanned.
   */
  private releaseTight(heap: EventHeap, outer: boolean, at: number): void {
    let last = -1;
    while (this.liveEdgeTop(heap, outer) === at) {
      const k = heap.topItem();
      heap.pop();
      // Both ends may own this event (each scanned the edge): each watches again.
      for (let side = 0; side < 2; side++) {
        const x = this.endpoint[2 * k + side]!;
        if (this.pending[x] === k && this.pendingAt[x] === at) {
          this.pending[x] = -1;
          this.rewatch.push(x);
        }
      }
      if (k === last) continue;
      last = k;
      this.allow[k] = 1;
      const p = this.label[this.inBlossom[this.endpoint[2 * k]!]!] === OUTER ? 2 * k + 1 : 2 * k;
      this.edgeQueue.push(p);
    }
  }

  /**
   * Smallest vertex dual: the "stop, leaving the rest single" event of plain maximum
   * weight (without maxCardinality). O(n) per step; rounds always use maxCardinality.
   */
  private minVertexDual(): number {
    let min = Infinity;
    for (let v = 0; v < this.n; v++) min = Math.min(min, this.y(v));
    return min;
  }
}
