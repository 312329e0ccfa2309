/**
 * The matching engine's public face. Everything here is pure and deterministic given
 * the snapshot and ctx.seed; flows load state, call in, and act on the result.
 */
export * from './types.ts';
export { rankHelpers, rankPracticePartners, focusSimilarity, helperShortfall, type HelperShortfall } from './rank.ts';
export { constraints, compileConstraints, helperCapacity, pairViolation, DEFAULT_REMATCH_WINDOW_DAYS } from './constraints.ts';
export {
  BUILTIN_TOPICS,
  addCustomTopic,
  mapTextToTopics,
  mergeTopics,
  normaliseTokens,
  textSimilarity,
  matchedTerms,
  MIN_TOPIC_RELEVANCE,
  topicIndex,
  topicSimilarity,
  type NewTopicInput,
  type AddTopicResult,
  type TopicDef,
} from './topics.ts';
export { WEIGHTS, pairComponents, pairScore, prepare, totalOf } from './score.ts';
export { explainGroup, explainHelper, explainPair, explainPracticePartner, termsPhrase, type PairFacts } from './explain.ts';
export { pairFacts } from './facts.ts';
export * as topics from './topics.ts';
export { pairRound, breakoutGroups, type RoundOptions } from './round.ts';
export { pairRoundInWorker, breakoutGroupsInWorker, runPairRound, runBreakouts, matchingThread, MatchingThread, type MatchLog } from './offthread.ts';
export { maxWeightMatching, matchingWeight, type WeightedGraph } from './blossom.ts';
export { buildCandidateGraph, DEFAULT_K, type CandidateGraph } from './candidates.ts';
export { mulberry32 } from './rng.ts';
