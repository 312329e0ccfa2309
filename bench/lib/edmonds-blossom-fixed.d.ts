/** Types for the reference matcher used only by tests and the benchmark (the package ships none). */
declare module 'edmonds-blossom-fixed' {
  /** edges: [u, v, weight]; returns mate[v] (vertex or -1), or [] when given no edges. */
  export default function blossom(edges: [number, number, number][], maxCardinality?: boolean): number[];
}
