import { randomUUID } from 'node:crypto';

/**
 * Row ids are opaque UUIDs; members only ever see per-community short refs.
 * A replay (`--seed`) switches to a seeded sequence so the same input gives the
 * same ids, and with them the same tie-breaks and the same output, every run.
 */
let source: () => string = randomUUID;

export const newId = (): string => source();

/** Makes ids deterministic for a replay. Process-wide on purpose: ids are made everywhere. */
export function useSeededIds(seed: number): void {
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  source = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}
