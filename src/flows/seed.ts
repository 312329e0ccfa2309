import { createHash } from 'node:crypto';

/** A stable 32-bit seed from an id, so re-ranking the same request gives the same order. */
export function seedFrom(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}
