/**
 * Pair scores. A score is the sum of named components (ScoreComponents) so every
 * number a member sees can be explained in words, and so the weights below are the
 * one place to tune what "a good match" means.
 */
import { DAY } from '../time.ts';
import { compileConstraints, daysSinceMet, helperCapacity, type CompiledConstraints } from './constraints.ts';
import { analyseText, topicIndex, WORD_OVERLAP_WEIGHT, type TopicIndex } from './topics.ts';
import type { AvailabilitySlot, CareerStage, MatchContext, MemberSnapshot, ScoreComponents } from './types.ts';
import { AVAILABILITY_SLOTS, CAREER_STAGES } from './types.ts';

/**
 * Component weights. Benefit dominates because the product's promise is "someone who
 * can actually help"; the rest orders otherwise similar candidates.
 */
export const WEIGHTS = {
  benefit: 4,
  mutual: 2,
  stage: 1,
  availability: 1,
  novelty: 1,
  balance: 0.5,
} as const;

/** Profile areas count as a weaker offer: people can talk about the work they do even without offering. */
export const AREA_AS_OFFER = 0.5;

/** Integer weights keep the matching exact (no float drift in duals); 1/100 of a point is plenty. */
export const WEIGHT_SCALE = 100;

/** A text reduced to topic ids and leftover word ids, ready for cheap comparisons. */
export interface TextFeature {
  text: string;
  topics: Int32Array;
  /** Sorted ids of words no topic claimed. */
  words: Int32Array;
}

/** Per-member data precomputed once per run so pair scoring is allocation-free. */
export interface PreparedMember {
  offers: TextFeature[];
  asks: TextFeature[];
  areas: TextFeature;
  stage: number;
  /** UTC offset in hours at `now`; NaN when unknown. */
  utcOffset: number;
  /** Bit per AvailabilitySlot; 0 means flexible. */
  availability: number;
  generosity: number;
  loadRatio: number;
}

/** A community snapshot compiled for scoring: topics, features, constraints. */
export interface Prepared {
  members: readonly MemberSnapshot[];
  ctx: MatchContext;
  topics: TopicIndex;
  features: PreparedMember[];
  constraints: CompiledConstraints;
  vocabulary: Map<string, number>;
  flat: FlatFeatures;
}

/**
 * The same features as flat typed arrays, for the candidate-graph hot loop. At 10,000
 * members, chasing per-member objects and tiny typed arrays is dominated by cache
 * misses; a topic "can help with" row per member turns benefit into a few reads.
 */
export interface FlatFeatures {
  T: number;
  /** helpRow[a*T + t]: how well a's offers (or areas, discounted) meet topic t. */
  helpRow: Float64Array;
  askStart: Int32Array;
  askTopics: Int32Array;
  hasAskWords: Uint8Array;
  hasGiveWords: Uint8Array;
  stage: Int8Array;
  availability: Uint8Array;
  utcOffset: Float64Array;
  generosity: Float64Array;
  loadRatio: Float64Array;
}

/** Bitmask of availability slots; 0 means "flexible" (DESIGN: empty overlaps with everyone). */
export function availabilityMask(slots: readonly AvailabilitySlot[]): number {
  let mask = 0;
  for (const s of slots) {
    const bit = AVAILABILITY_SLOTS.indexOf(s);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

const offsetCache = new Map<string, number>();

/** UTC offset in hours for an IANA zone at a given instant; NaN for unknown zones. */
export function utcOffsetHours(zone: string | null, at: Date): number {
  if (!zone) return Number.NaN;
  // Offsets change only at DST transitions; caching per zone and day is safe and fast.
  const cacheKey = `${zone}|${Math.floor(at.getTime() / DAY)}`;
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let hours = Number.NaN;
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    const m = part ? /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?/.exec(part) : null;
    if (m) hours = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) + Number(m[3] ?? 0) / 60) : 0;
  } catch {
    hours = Number.NaN;
  }
  if (offsetCache.size > 5000) offsetCache.clear();
  offsetCache.set(cacheKey, hours);
  return hours;
}

/** Complementarity of career stages: someone further along (or returning with experience) helps most. */
const STAGE_MATRIX: Record<CareerStage, Record<CareerStage, number>> = {
  student: { student: 0.3, early: 0.6, mid: 0.8, senior: 1, returning: 0.5 },
  early: { student: 0.6, early: 0.3, mid: 0.7, senior: 0.9, returning: 0.5 },
  mid: { student: 0.8, early: 0.7, mid: 0.3, senior: 0.5, returning: 0.8 },
  senior: { student: 1, early: 0.9, mid: 0.5, senior: 0.3, returning: 0.9 },
  returning: { student: 0.5, early: 0.5, mid: 0.8, senior: 0.9, returning: 0.4 },
};
const STAGE_UNKNOWN = 0.4;
const STAGE_TABLE = new Float64Array(CAREER_STAGES.length * CAREER_STAGES.length);
CAREER_STAGES.forEach((a, i) =>
  CAREER_STAGES.forEach((b, j) => (STAGE_TABLE[i * CAREER_STAGES.length + j] = STAGE_MATRIX[a][b])),
);

export function stageComplementarity(a: number, b: number): number {
  if (a < 0 || b < 0) return STAGE_UNKNOWN;
  return STAGE_TABLE[a * CAREER_STAGES.length + b]!;
}

/** Overlap of weekly slots and closeness of time zones, in [0, 1]. */
export function availabilityOverlap(maskA: number, maskB: number, offsetA: number, offsetB: number): number {
  let slots: number;
  if (maskA === 0 || maskB === 0) slots = 0.75;
  else {
    const both = popcount(maskA & maskB);
    slots = both / Math.min(popcount(maskA), popcount(maskB));
  }
  let zones = 0.5;
  if (!Number.isNaN(offsetA) && !Number.isNaN(offsetB)) {
    let d = Math.abs(offsetA - offsetB) % 24;
    if (d > 12) d = 24 - d;
    zones = 1 - d / 12;
  }
  return 0.6 * slots + 0.4 * zones;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}

/** Give/take balance in (-1, 1): positive for members who helped more than they were helped. */
export function generosity(m: MemberSnapshot): number {
  return (m.helpedCount - m.receivedCount) / (m.helpedCount + m.receivedCount + 2);
}

/** Reduces one text to topic and word ids (new words extend the run's vocabulary). */
export function featureOf(text: string, index: TopicIndex, vocabulary: Map<string, number>): TextFeature {
  // Members repeat the same phrases ("cover letters", "archives"): analyse each distinct
  // text once per run. Features are never mutated, so sharing them is safe.
  let cache = featureCache.get(vocabulary);
  if (cache === undefined || featureCacheIndex.get(vocabulary) !== index) {
    cache = new Map();
    featureCache.set(vocabulary, cache);
    featureCacheIndex.set(vocabulary, index);
  }
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const feature = analyseFeature(text, index, vocabulary);
  cache.set(text, feature);
  return feature;
}

/** Per-vocabulary (so per run) cache of analysed texts; weakly held, so it dies with the run. */
const featureCache = new WeakMap<Map<string, number>, Map<string, TextFeature>>();
const featureCacheIndex = new WeakMap<Map<string, number>, TopicIndex>();

function analyseFeature(text: string, index: TopicIndex, vocabulary: Map<string, number>): TextFeature {
  const analysed = analyseText(text, index);
  const words = analysed.rest.map((w) => {
    let id = vocabulary.get(w);
    if (id === undefined) {
      id = vocabulary.size;
      vocabulary.set(w, id);
    }
    return id;
  });
  return { text, topics: Int32Array.from(analysed.topicIds), words: Int32Array.from(words).sort() };
}

/** Compiles a snapshot for scoring; everything expensive (text analysis, zones) happens once here. */
export function prepare(members: readonly MemberSnapshot[], ctx: MatchContext): Prepared {
  const topics = topicIndex(ctx.customTopics);
  const vocabulary = new Map<string, number>();
  const now = new Date(ctx.now);
  const features = members.map((m): PreparedMember => {
    const cap = helperCapacity(m);
    return {
      offers: m.offers.map((o) => featureOf(`${o.topic} ${o.details}`, topics, vocabulary)),
      asks: m.asks.map((a) => featureOf(`${a.topic} ${a.details}`, topics, vocabulary)),
      areas: featureOf(m.areas.join(', '), topics, vocabulary),
      stage: m.careerStage === null ? -1 : CAREER_STAGES.indexOf(m.careerStage),
      utcOffset: utcOffsetHours(m.timeZone, now),
      availability: availabilityMask(m.availability),
      generosity: generosity(m),
      loadRatio: Math.min(1.5, m.helperLoadThisMonth / Math.max(1, cap)),
    };
  });
  return { members, ctx, topics, features, constraints: compileConstraints(members, ctx), vocabulary, flat: flatten(features, topics) };
}

function flatten(features: PreparedMember[], index: TopicIndex): FlatFeatures {
  const n = features.length;
  const T = index.topics.length;
  const helpRow = new Float64Array(n * T);
  const askStart = new Int32Array(n + 1);
  const askIds: number[] = [];
  const hasAskWords = new Uint8Array(n);
  const hasGiveWords = new Uint8Array(n);
  const stage = new Int8Array(n);
  const availability = new Uint8Array(n);
  const utcOffset = new Float64Array(n);
  const generosityArr = new Float64Array(n);
  const loadRatio = new Float64Array(n);
  features.forEach((f, a) => {
    const row = a * T;
    for (const offer of f.offers) for (const topic of offer.topics) raiseRow(helpRow, row, index, topic, 1);
    for (const topic of f.areas.topics) raiseRow(helpRow, row, index, topic, AREA_AS_OFFER);
    for (const ask of f.asks) {
      for (const topic of ask.topics) if (!askIds.slice(askStart[a]).includes(topic)) askIds.push(topic);
      if (ask.words.length > 0) hasAskWords[a] = 1;
    }
    askStart[a + 1] = askIds.length;
    if (f.areas.words.length > 0 || f.offers.some((o) => o.words.length > 0)) hasGiveWords[a] = 1;
    stage[a] = f.stage;
    availability[a] = f.availability;
    utcOffset[a] = f.utcOffset;
    generosityArr[a] = f.generosity;
    loadRatio[a] = f.loadRatio;
  });
  return {
    T,
    helpRow,
    askStart,
    askTopics: Int32Array.from(askIds),
    hasAskWords,
    hasGiveWords,
    stage,
    availability,
    utcOffset,
    generosity: generosityArr,
    loadRatio,
  };
}

function raiseRow(helpRow: Float64Array, row: number, index: TopicIndex, topic: number, factor: number): void {
  const T = index.topics.length;
  for (let t = 0; t < T; t++) {
    const v = factor * index.sim[topic * T + t]!;
    if (v > helpRow[row + t]!) helpRow[row + t] = v;
  }
}

function wordOverlap(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (WORD_OVERLAP_WEIGHT * shared) / Math.min(a.length, b.length);
}

/** Similarity of two texts in [0, 1]: best topic similarity, or word overlap for unknown words. */
export function featureSimilarity(index: TopicIndex, a: TextFeature, b: TextFeature): number {
  const T = index.topics.length;
  const sim = index.sim;
  let best = 0;
  const at = a.topics;
  const bt = b.topics;
  for (let i = 0; i < at.length; i++) {
    const row = at[i]! * T;
    for (let j = 0; j < bt.length; j++) {
      const s = sim[row + bt[j]!]!;
      if (s > best) best = s;
    }
  }
  if (best >= 1) return 1;
  const overlap = wordOverlap(a.words, b.words);
  if (overlap > best) best = overlap;
  return best;
}

/** Which offer (or the profile areas) of the helper meets which ask of the other, and how well. */
export interface BenefitDetail {
  value: number;
  /** Index into the helper's offers, or -1 when only profile areas matched. */
  offer: number;
  ask: number;
}

/** How much `from` can help `to`: best of from's offers (or areas, discounted) against to's asks. */
export function benefitDetail(p: Prepared, from: number, to: number): BenefitDetail {
  const f = p.features[from]!;
  const g = p.features[to]!;
  let best: BenefitDetail = { value: 0, offer: -1, ask: -1 };
  for (let q = 0; q < g.asks.length; q++) {
    const ask = g.asks[q]!;
    for (let o = 0; o < f.offers.length; o++) {
      const s = featureSimilarity(p.topics, f.offers[o]!, ask);
      if (s > best.value) best = { value: s, offer: o, ask: q };
    }
    const viaAreas = AREA_AS_OFFER * featureSimilarity(p.topics, f.areas, ask);
    if (viaAreas > best.value) best = { value: viaAreas, offer: -1, ask: q };
  }
  return best;
}

/**
 * Allocation-free form of benefitDetail(...).value for the candidate-graph hot loop.
 * The topic part is a max over topic pairs, which the per-member help row answers
 * directly; word overlap is only computed when both sides have unknown words.
 */
export function benefit(p: Prepared, from: number, to: number): number {
  const flat = p.flat;
  const row = from * flat.T;
  let best = 0;
  for (let i = flat.askStart[to]!; i < flat.askStart[to + 1]!; i++) {
    const v = flat.helpRow[row + flat.askTopics[i]!]!;
    if (v > best) best = v;
  }
  if (best < 1 && flat.hasAskWords[to] === 1 && flat.hasGiveWords[from] === 1) {
    const f = p.features[from]!;
    for (const ask of p.features[to]!.asks) {
      if (ask.words.length === 0) continue;
      for (const offer of f.offers) {
        const v = wordOverlap(offer.words, ask.words);
        if (v > best) best = v;
      }
      const v = AREA_AS_OFFER * wordOverlap(f.areas.words, ask.words);
      if (v > best) best = v;
    }
  }
  return best;
}

/** Novelty in [0, 1]: never met is best; met long ago is fine but ranks lower; within the window is excluded elsewhere. */
export function novelty(daysSince: number | null, windowDays: number): number {
  if (daysSince === null) return 1;
  if (daysSince <= windowDays) return 0;
  return 0.3 + 0.5 * Math.min(1, (daysSince - windowDays) / (3 * Math.max(1, windowDays)));
}

/**
 * Components for a mutual pairing (rounds, meetups). Balance: a member who helped
 * more gets priority when they receive, and a heavily loaded helper is spared.
 */
export function pairComponents(p: Prepared, a: number, b: number): ScoreComponents {
  const ab = benefit(p, a, b);
  const ba = benefit(p, b, a);
  return componentsFrom(p, a, b, ab, ba);
}

/** Shared by pairs and requests: a is the one asking when only one direction matters. */
export function componentsFrom(p: Prepared, a: number, b: number, ab: number, ba: number): ScoreComponents {
  const fa = p.features[a]!;
  const fb = p.features[b]!;
  let balance = 0;
  if (ba > 0) balance += fa.generosity - fb.loadRatio;
  if (ab > 0) balance += fb.generosity - fa.loadRatio;
  return {
    benefitAtoB: WEIGHTS.benefit * ab,
    benefitBtoA: WEIGHTS.benefit * ba,
    mutualBonus: ab > 0 && ba > 0 ? WEIGHTS.mutual * Math.min(ab, ba) : 0,
    stage: WEIGHTS.stage * stageComplementarity(fa.stage, fb.stage),
    availability: WEIGHTS.availability * availabilityOverlap(fa.availability, fb.availability, fa.utcOffset, fb.utcOffset),
    novelty: WEIGHTS.novelty * novelty(daysSinceMet(p.constraints, a, b), p.ctx.rematchWindowDays),
    balance: WEIGHTS.balance * balance,
  };
}

/** The score is exactly the sum of its components, so explanations never hide a term. */
export function totalOf(c: ScoreComponents): number {
  return c.benefitAtoB + c.benefitBtoA + c.mutualBonus + c.stage + c.availability + c.novelty + c.balance;
}

/** Positive integer weight for the matcher; every allowed pair is worth at least 1 so nobody is dropped for a low score. */
export function integerWeight(score: number): number {
  return Math.max(1, Math.round(score * WEIGHT_SCALE));
}

/** Score of a mutual pair (no allocation beyond the components object). */
export function pairScore(p: Prepared, a: number, b: number): number {
  return totalOf(pairComponents(p, a, b));
}


/**
 * pairScore without allocating: the candidate graph scores hundreds of thousands of
 * pairs. Must equal totalOf(pairComponents(...)); a test holds the two together.
 */
export function pairScoreFast(p: Prepared, a: number, b: number): number {
  const ab = benefit(p, a, b);
  const ba = benefit(p, b, a);
  const flat = p.flat;
  let balance = 0;
  if (ba > 0) balance += flat.generosity[a]! - flat.loadRatio[b]!;
  if (ab > 0) balance += flat.generosity[b]! - flat.loadRatio[a]!;
  const c = p.constraints;
  let nov = 1;
  if (c.lastMet.size > 0) {
    const met = c.lastMet.get(a < b ? a * c.n + b : b * c.n + a);
    if (met !== undefined) nov = novelty((c.nowMs - met) / DAY, p.ctx.rematchWindowDays);
  }
  return (
    WEIGHTS.benefit * ab +
    WEIGHTS.benefit * ba +
    (ab > 0 && ba > 0 ? WEIGHTS.mutual * Math.min(ab, ba) : 0) +
    WEIGHTS.stage * stageComplementarity(flat.stage[a]!, flat.stage[b]!) +
    WEIGHTS.availability *
      availabilityOverlap(flat.availability[a]!, flat.availability[b]!, flat.utcOffset[a]!, flat.utcOffset[b]!) +
    WEIGHTS.novelty * nov +
    WEIGHTS.balance * balance
  );
}
