import { randomUUID } from 'node:crypto';
import { mulberry32 } from './matching/rng.ts';

/**
 * Row ids are opaque UUIDs; members only ever see per-community short refs.
 * A replay (`--seed`) switches to a seeded sequence so the same input gives the
 * same ids, and with them the same tie-breaks and the same output, every run.
 */
let source: () => string = randomUUID;

export const newId = (): string => source();

/** Makes ids deterministic for a replay. Process-wide on purpose: ids are made everywhere. */
export function useSeededIds(seed: number): void {
  const next = mulberry32(seed);
  source = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}
