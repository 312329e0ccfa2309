/**
 * One request at a time: rank who to ask for an informational interview, or who to
 * pair for interview practice. Flows ask the first candidate, then the next on
 * decline or silence, so order and explanation are the whole product here.
 */
import { constraints, pairViolation } from './constraints.ts';
import { explainHelper, explainPracticePartner } from './explain.ts';
import { pairFacts } from './facts.ts';
import { mulberry32 } from './rng.ts';
import {
  AREA_AS_OFFER,
  WEIGHTS,
  availabilityMask,
  availabilityOverlap,
  benefit,
  componentsFrom,
  featureOf,
  featureSimilarity,
  novelty,
  prepare,
  totalOf,
  type TextFeature,
} from './score.ts';
import { daysSinceMet } from './constraints.ts';
import { MIN_TOPIC_RELEVANCE, matchedTerms, textSimilarity } from './topics.ts';
import type {
  AvailabilitySlot,
  IntroAsk,
  MatchContext,
  MemberSnapshot,
  PracticeAsk,
  RankedCandidate,
  RoleFocus,
} from './types.ts';
import { CAREER_STAGES } from './types.ts';

/** Questions say more than the topic line but are noisier, so they count for less. */
const QUESTIONS_WEIGHT = 0.5;

/** A member with nothing known yet: the requester stand-in here, and the base for test fixtures. */
export function emptySnapshot(id: string): MemberSnapshot {
  return {
    id,
    displayName: 'you',
    careerStage: null,
    timeZone: null,
    areas: [],
    organisations: [],
    offers: [],
    asks: [],
    availability: [],
    helpedCount: 0,
    receivedCount: 0,
    helperLoadThisMonth: 0,
    paused: false,
    removed: false,
  };
}

/** The community plus the requester, who may not be in the snapshot yet (a brand-new member). */
function withRequester(members: MemberSnapshot[], requesterId: string): MemberSnapshot[] {
  return members.some((m) => m.id === requesterId) ? members : [...members, emptySnapshot(requesterId)];
}

/** Best first, ties broken by the seed (then id) so the same state always asks the same person first. */
function sortRanked(ranked: RankedCandidate[], seed: number): RankedCandidate[] {
  const rand = mulberry32(seed);
  const tie = new Map(ranked.map((r) => [r.memberId, rand()]));
  return ranked.sort(
    (x, y) =>
      y.score - x.score ||
      tie.get(x.memberId)! - tie.get(y.memberId)! ||
      (x.memberId < y.memberId ? -1 : x.memberId > y.memberId ? 1 : 0),
  );
}

/** The prepared community and each member's topic relevance to one intro ask. */
function introRelevance(ask: IntroAsk, members: MemberSnapshot[], ctx: MatchContext) {
  const all = withRequester(members, ask.requesterId);
  const p = prepare(all, ctx);
  const r = p.constraints.indexOf.get(ask.requesterId)!;
  const topicFeature = featureOf(ask.topic, p.topics, p.vocabulary);
  const questionsFeature = featureOf(ask.questions, p.topics, p.vocabulary);
  const askFeature = featureOf(`${ask.topic} ${ask.questions}`, p.topics, p.vocabulary);
  const relevanceTo = (f: TextFeature): number =>
    Math.max(
      featureSimilarity(p.topics, f, topicFeature),
      QUESTIONS_WEIGHT * featureSimilarity(p.topics, f, questionsFeature),
    );
  /**
   * The helper's relevance for scoring (`value`: the topic line, or the questions at half weight),
   * the relevance that qualifies them (`gate`: the topic line alone, so a school librarian is not
   * asked about archives because the questions mention a school library), and the offer that
   * qualifies them: its index, or -1 for profile areas.
   */
  const bestOf = (h: number): { value: number; gate: number; offer: number } => {
    const f = p.features[h]!;
    let value = AREA_AS_OFFER * relevanceTo(f.areas);
    let gate = AREA_AS_OFFER * featureSimilarity(p.topics, f.areas, topicFeature);
    let offer = -1;
    let offerValue = -1;
    f.offers.forEach((feature, o) => {
      const v = relevanceTo(feature);
      const g = featureSimilarity(p.topics, feature, topicFeature);
      value = Math.max(value, v);
      // The most related offer qualifies; on a tie an offer beats the areas, then the better-ranked offer wins.
      if (g > gate || (g === gate && g > 0 && (offer < 0 || v > offerValue))) {
        gate = g;
        offer = o;
        offerValue = v;
      }
    });
    return { value, gate, offer };
  };
  const relevanceOf = (h: number): number => bestOf(h).gate;
  return { all, p, r, askFeature, bestOf, relevanceOf, excluded: new Set(ask.excludeIds) };
}

/**
 * Candidates for an informational interview, best first. Only members with some
 * positive relevance to the ask are returned, and every hard constraint holds:
 * not the requester, not excluded, not blocked either way, active, under their
 * monthly helping capacity, not met within the rematch window.
 */
export function rankHelpers(ask: IntroAsk, members: MemberSnapshot[], ctx: MatchContext): RankedCandidate[] {
  const { all, p, r, askFeature, bestOf, excluded } = introRelevance(ask, members, ctx);
  const ranked: RankedCandidate[] = [];
  all.forEach((m, h) => {
    if (constraints.sameMember(m.id, ask.requesterId) || excluded.has(m.id)) return;
    if (pairViolation(p.constraints, r, h) !== null) return;
    if (constraints.overCapacity(m)) return;
    const best = bestOf(h);
    // Only a helper whose offers or profile actually relate to the ask is invited (issue 14, finding 4).
    if (best.gate < MIN_TOPIC_RELEVANCE) return;
    const relevance = best.value;
    const components = componentsFrom(p, r, h, benefit(p, r, h), relevance);
    // The explanation names the offer (or area) that earned the invitation, the ask's topic and what matched.
    const offer = best.offer >= 0 ? m.offers[best.offer]! : null;
    const source = offer ? `${offer.topic} ${offer.details}` : m.areas.join(', ');
    const facts = {
      ...pairFacts(p, r, h, { feature: askFeature, topic: ask.topic }),
      theyOffered: offer ? offer.topic : null,
      theyWorkIn: offer ? null : (m.areas.find((a) => textSimilarity(a, ask.topic, ctx.customTopics) > 0) ?? m.areas[0] ?? null),
      matched: { askedAbout: ask.topic, terms: matchedTerms(source, ask.topic, ctx.customTopics) },
    };
    ranked.push({ memberId: m.id, score: totalOf(components), components, explanation: explainHelper(facts) });
  });
  return sortRanked(ranked, ctx.seed);
}

/**
 * Why rankHelpers found nobody, as a case the requester may be told without naming anyone
 * (issue 14, finding 5): 'nobody-offers' when no member relates to the ask at all, 'all-busy'
 * when some do but each met the requester within the rematch window (an unanswered invitation
 * counts), is at their monthly capacity, or is paused. A block is never revealed: someone
 * either side blocked counts as not offering, as do removed members and those already asked.
 */
export type HelperShortfall = 'nobody-offers' | 'all-busy';

export function helperShortfall(ask: IntroAsk, members: MemberSnapshot[], ctx: MatchContext): HelperShortfall {
  const { all, r, relevanceOf, excluded } = introRelevance(ask, members, ctx);
  const busy = all.some((m, h) => {
    if (constraints.sameMember(m.id, ask.requesterId) || excluded.has(m.id) || m.removed) return false;
    if (constraints.blockedPair(ask.requesterId, m.id, ctx)) return false;
    return relevanceOf(h) >= MIN_TOPIC_RELEVANCE && h !== r;
  });
  return busy ? 'all-busy' : 'nobody-offers';
}

/** Role foci close enough that practising together still helps both. */
const RELATED_FOCUS: Record<RoleFocus, readonly RoleFocus[]> = {
  reference: ['academic', 'public'],
  academic: ['reference', 'archives', 'technical-services'],
  public: ['reference', 'school', 'management'],
  school: ['public'],
  archives: ['academic', 'technical-services'],
  'technical-services': ['archives', 'academic'],
  management: ['public', 'academic'],
};

/** Same focus is ideal; related is a fallback; anything else is not a practice match. */
export function focusSimilarity(a: RoleFocus, b: RoleFocus): number {
  if (a === b) return 1;
  return RELATED_FOCUS[a].includes(b) || RELATED_FOCUS[b].includes(a) ? 0.5 : 0;
}

function levelSimilarity(a: PracticeAsk['level'], b: PracticeAsk['level']): number {
  if (a === null || b === null) return 0.5;
  const d = Math.abs(CAREER_STAGES.indexOf(a) - CAREER_STAGES.indexOf(b));
  return d === 0 ? 1 : d === 1 ? 0.6 : 0.2;
}

function firstShared(a: readonly AvailabilitySlot[], b: readonly AvailabilitySlot[]): AvailabilitySlot | null {
  return a.find((s) => b.includes(s)) ?? null;
}

/**
 * Interview-practice partners from the waiting pool, best first. Practice is
 * reciprocal, so benefit counts both ways and peers at a similar level rank higher.
 * Availability must overlap whenever both people gave any. Capacity does not apply:
 * nobody is helping anybody more than they are helped.
 */
export function rankPracticePartners(
  ask: PracticeAsk,
  pool: { memberId: string; ask: PracticeAsk }[],
  members: MemberSnapshot[],
  ctx: MatchContext,
): RankedCandidate[] {
  const all = withRequester(members, ask.requesterId);
  const p = prepare(all, ctx);
  const r = p.constraints.indexOf.get(ask.requesterId)!;
  const myMask = availabilityMask(ask.availability);
  const seen = new Set<string>();
  const ranked: RankedCandidate[] = [];
  for (const entry of pool) {
    const h = p.constraints.indexOf.get(entry.memberId);
    if (h === undefined || seen.has(entry.memberId) || constraints.sameMember(entry.memberId, ask.requesterId)) continue;
    seen.add(entry.memberId);
    if (pairViolation(p.constraints, r, h) !== null) continue;
    const focus = focusSimilarity(ask.roleFocus, entry.ask.roleFocus);
    if (focus <= 0) continue;
    const theirMask = availabilityMask(entry.ask.availability);
    if (myMask !== 0 && theirMask !== 0 && (myMask & theirMask) === 0) continue;
    const fr = p.features[r]!;
    const fh = p.features[h]!;
    const components = {
      benefitAtoB: WEIGHTS.benefit * focus,
      benefitBtoA: WEIGHTS.benefit * focus,
      mutualBonus: WEIGHTS.mutual * focus,
      stage: WEIGHTS.stage * levelSimilarity(ask.level, entry.ask.level),
      availability: WEIGHTS.availability * availabilityOverlap(myMask, theirMask, fr.utcOffset, fh.utcOffset),
      novelty: WEIGHTS.novelty * novelty(daysSinceMet(p.constraints, r, h), ctx.rematchWindowDays),
      balance: 0,
    };
    const explanation = explainPracticePartner({
      otherName: all[h]!.displayName,
      sameFocus: focus === 1 ? entry.ask.roleFocus : null,
      relatedFocus: focus < 1 ? entry.ask.roleFocus : null,
      sharedSlot: firstShared(ask.availability, entry.ask.availability),
      sameLevel: ask.level !== null && ask.level === entry.ask.level,
    });
    ranked.push({ memberId: entry.memberId, score: totalOf(components), components, explanation });
  }
  return sortRanked(ranked, ctx.seed);
}
