/**
 * Maximum cardinality on the full allowed graph, without building it: Edmonds'
 * augmenting-path search (with blossom contraction) where a vertex's neighbours are
 * every member it may meet under the hard rules, asked on the fly. The sparse
 * candidate graph can miss edges a larger matching needs (a single whose allowed
 * partners are all taken, freed only by re-pairing three others); this search finds
 * such paths through any allowed pair, so after it no augmenting path exists in the
 * full allowed graph and the matching has the most pairs possible (Berge's theorem).
 *
 * Cost: a search from a single scans allowed rows of the vertices it reaches, O(n) each,
 * and stops at the first free partner; it only runs for members still single after the
 * sparse solve, which is none or one in almost every round.
 */

/**
 * Grows `mate` (local vertex ids, -1 single) to a maximum-cardinality matching of the
 * graph on 0..n-1 whose edges are the pairs with allowed(a, b). Mutates and returns `mate`.
 */
export function augmentToMaximum(n: number, allowed: (a: number, b: number) => boolean, mate: Int32Array): Int32Array {
  const parent = new Int32Array(n);
  const base = new Int32Array(n);
  const used = new Uint8Array(n);
  const inBlossom = new Uint8Array(n);
  const onPath = new Uint8Array(n);
  const queue = new Int32Array(n);

  const lca = (a0: number, b0: number): number => {
    onPath.fill(0);
    let a = a0;
    for (;;) {
      a = base[a]!;
      onPath[a] = 1;
      if (mate[a] === -1) break;
      a = parent[mate[a]!]!;
    }
    let b = b0;
    for (;;) {
      b = base[b]!;
      if (onPath[b]) return b;
      b = parent[mate[b]!]!;
    }
  };
  const markPath = (v0: number, b: number, child0: number): void => {
    let v = v0;
    let child = child0;
    while (base[v] !== b) {
      inBlossom[base[v]!] = inBlossom[base[mate[v]!]!] = 1;
      parent[v] = child;
      child = mate[v]!;
      v = parent[mate[v]!]!;
    }
  };

  /** Searches from root; returns the free vertex at the far end of an augmenting path, or -1. */
  const findPath = (root: number): number => {
    used.fill(0);
    parent.fill(-1);
    for (let i = 0; i < n; i++) base[i] = i;
    used[root] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    while (head < tail) {
      const v = queue[head++]!;
      for (let to = 0; to < n; to++) {
        if (to === v || base[v] === base[to] || mate[v] === to) continue;
        if (!allowed(v, to)) continue;
        if (to === root || (mate[to] !== -1 && parent[mate[to]!] !== -1)) {
          const cur = lca(v, to);
          inBlossom.fill(0);
          markPath(v, cur, to);
          markPath(to, cur, v);
          for (let i = 0; i < n; i++) {
            if (inBlossom[base[i]!]) {
              base[i] = cur;
              if (!used[i]) {
                used[i] = 1;
                queue[tail++] = i;
              }
            }
          }
        } else if (parent[to] === -1) {
          parent[to] = v;
          if (mate[to] === -1) return to;
          used[mate[to]!] = 1;
          queue[tail++] = mate[to]!;
        }
      }
    }
    return -1;
  };

  // A single with no augmenting path now never gets one later (a classic property of
  // Edmonds' algorithm), so each single is searched from at most once.
  for (let root = 0; root < n; root++) {
    if (mate[root] !== -1) continue;
    let v = findPath(root);
    while (v !== -1) {
      const pv = parent[v]!;
      const ppv = mate[pv]!;
      mate[v] = pv;
      mate[pv] = v;
      v = ppv;
    }
  }
  return mate;
}
