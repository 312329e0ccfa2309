/**
 * Start-up warm-up for the long-lived matching thread. V8 compiles the engine's hot
 * loops with its optimising tier only after they have run a while: a 1,000-member round
 * takes ~200 ms in a fresh thread and ~50 ms once the engine has run about six rounds
 * (measured; bench/README.md). So the thread runs a few rounds on synthetic communities
 * before it takes real work, and real rounds find the code already optimised. Nothing
 * from these rounds is kept; only the compiled code is.
 *
 * The synthetic communities go through structuredClone first, as real jobs do through
 * postMessage: cloned objects get other hidden classes than freshly built ones, and
 * code optimised for the one deoptimises on the other (measured: the first real
 * 1,000-member round took ~95 ms after an uncloned warm-up, ~52 ms after a cloned one).
 */
import { breakoutGroups, pairRound } from './round.ts';
import { generateCommunity } from './synthetic.ts';

/** Rounds run at start-up, and their size: about 0.7 s of one core, off the main thread. */
export const WARM_UP_ROUNDS = 6;
export const WARM_UP_MEMBERS = 800;
/** Seeds far from any a real round derives (those come from community id and slot). */
const WARM_UP_SEED = 0x7a3e_0000;

/** Runs the warm-up rounds (pairs, then one breakout round so that path is ready too); returns elapsed ms. */
export function warmUpEngine(rounds: number, size: number): number {
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const { members, ctx } = structuredClone(generateCommunity(size, WARM_UP_SEED + r));
    pairRound(members, ctx);
  }
  if (rounds > 0) {
    const { members, ctx } = structuredClone(generateCommunity(Math.min(size, 200), WARM_UP_SEED - 1));
    breakoutGroups(members, ctx, 4);
  }
  return performance.now() - started;
}
