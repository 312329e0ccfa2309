/**
 * Warm-up for the matching thread (offthread.ts), run when the app starts it ahead of a
 * round (App.prewarmMatching). V8 compiles the engine's hot loops with its optimising
 * tier only after they have run a while, so a round in a fresh thread runs several times
 * slower than the same round later (the benchmark shows both: bench/README.md). The
 * thread therefore runs a few rounds on synthetic communities before it takes real work,
 * and real rounds find the code already optimised. Nothing from these rounds is kept;
 * only the compiled code is.
 *
 * Two details make the warm-up count for real rounds:
 * - the communities go through structuredClone, as real jobs do through postMessage:
 *   cloned objects get other hidden classes than freshly built ones, and code optimised
 *   for the one deoptimises on the other;
 * - they are written in other words, time zones and dates (WARM_UP_VOCABULARY) than the
 *   benchmark's community, so the benchmark measures what a real community meets: data
 *   the warm-up never saw; and they carry free-text details (punctuation, accents,
 *   numbers), so the text paths real profiles take are optimised too. Both came from
 *   tracing V8's deoptimisations in the first real round after a warm-up.
 */
import { breakoutGroups, pairRound } from './round.ts';
import { generateCommunity, WARM_UP_VOCABULARY, type CommunityOptions } from './synthetic.ts';

/** Warm-up rounds and their size: about 1 s of one core, off the main thread. */
export const WARM_UP_ROUNDS = 6;
export const WARM_UP_MEMBERS = 800;
/** Seeds far from any a real round derives (those come from community id and slot). */
const WARM_UP_SEED = 0x7a3e_0000;
const WARM_UP_COMMUNITY: CommunityOptions = { vocabulary: WARM_UP_VOCABULARY, now: new Date('2026-07-06T08:00:00Z') };

/** Runs the warm-up rounds (pairs, then one breakout round so that path is ready too); returns elapsed ms. */
export function warmUpEngine(rounds: number, size: number): number {
  if (rounds <= 0) return 0;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const { members, ctx } = structuredClone(generateCommunity(size, WARM_UP_SEED + r, WARM_UP_COMMUNITY));
    pairRound(members, ctx);
  }
  const { members, ctx } = structuredClone(generateCommunity(Math.min(size, 200), WARM_UP_SEED - 1, WARM_UP_COMMUNITY));
  breakoutGroups(members, ctx, 4);
  return performance.now() - started;
}
