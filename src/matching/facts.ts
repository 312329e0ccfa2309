/**
 * Turns scores back into facts an explanation can state. Kept apart from explain.ts
 * so wording never reaches into the scoring model, and apart from score.ts so the hot
 * scoring path stays allocation-free.
 */
import { pairKey } from './constraints.ts';
import type { PairFacts } from './explain.ts';
import { benefitDetail, featureOf, featureSimilarity, type Prepared, type TextFeature } from './score.ts';
import { MIN_TOPIC_RELEVANCE, matchedTermsIn } from './topics.ts';
import { AVAILABILITY_SLOTS, type AvailabilitySlot } from './types.ts';

function sharedSlot(maskA: number, maskB: number): AvailabilitySlot | null {
  const both = maskA & maskB;
  if (maskA === 0 || maskB === 0 || both === 0) return null;
  for (let bit = 0; bit < AVAILABILITY_SLOTS.length; bit++) if (both & (1 << bit)) return AVAILABILITY_SLOTS[bit]!;
  return null;
}

function sharedArea(p: Prepared, a: number, b: number): string | null {
  const x = p.features[a]!.areas.topics;
  const y = p.features[b]!.areas.topics;
  for (const id of x) if (y.includes(id)) return p.topics.topics[id]!.label;
  return null;
}

function stageRelation(p: Prepared, me: number, other: number): PairFacts['stage'] {
  const s = p.members[me]!.careerStage;
  const o = p.members[other]!.careerStage;
  if (s === 'returning' && o === 'returning') return 'both-returning';
  const rank = { student: 0, early: 1, returning: 1, mid: 2, senior: 3 } as const;
  if (s !== null && o !== null && rank[o] >= rank[s] + 2) return 'further-along';
  return null;
}

/** The other's profile area that best meets a given ask (for "Dana works in archives"). */
function bestArea(p: Prepared, other: number, ask: TextFeature): string | null {
  const m = p.members[other]!;
  let best: string | null = null;
  let bestSim = 0;
  for (const area of m.areas) {
    const s = featureSimilarity(p.topics, featureOf(area, p.topics, p.vocabulary), ask);
    if (s > bestSim) {
      bestSim = s;
      best = area;
    }
  }
  return best ?? m.areas[0] ?? null;
}

/**
 * Facts for `me` about `other`. When `ask` is given (an intro request), "what they can
 * help with" is judged against that ask instead of my standing asks.
 */
export function pairFacts(p: Prepared, me: number, other: number, ask?: { feature: TextFeature; topic: string }): PairFacts {
  const mine = benefitDetail(p, me, other);
  const fm = p.features[me]!;
  const fo = p.features[other]!;
  const otherMember = p.members[other]!;
  let theyOffered: string | null = null;
  let theyWorkIn: string | null = null;
  let matched: PairFacts['matched'];
  if (ask) {
    let bestOffer = -1;
    let bestSim = 0;
    fo.offers.forEach((offer, i) => {
      const s = featureSimilarity(p.topics, offer, ask.feature);
      if (s > bestSim) {
        bestSim = s;
        bestOffer = i;
      }
    });
    if (bestOffer >= 0) theyOffered = otherMember.offers[bestOffer]!.topic;
    else if (featureSimilarity(p.topics, fo.areas, ask.feature) > 0) theyWorkIn = bestArea(p, other, ask.feature);
  } else {
    // Said only when the offer (or area) really relates to my ask, naming my ask and what matched
    // (issue 14, finding 4): never "which you asked about" for a topic I did not ask about.
    const theirs = benefitDetail(p, other, me);
    if (theirs.value >= MIN_TOPIC_RELEVANCE) {
      const myAsk = p.members[me]!.asks[theirs.ask]!;
      if (theirs.offer >= 0) theyOffered = otherMember.offers[theirs.offer]!.topic;
      else theyWorkIn = bestArea(p, other, fm.asks[theirs.ask]!);
      const source = theirs.offer >= 0 ? `${theyOffered} ${otherMember.offers[theirs.offer]!.details}` : (theyWorkIn ?? '');
      matched = { askedAbout: myAsk.topic, terms: matchedTermsIn(source, `${myAsk.topic} ${myAsk.details}`, p.topics) };
    }
  }
  return {
    otherName: otherMember.displayName,
    iCanHelpWith: mine.value >= MIN_TOPIC_RELEVANCE ? otherMember.asks[mine.ask]!.topic : null,
    theyOffered,
    theyWorkIn,
    sharedArea: sharedArea(p, me, other),
    sharedSlot: sharedSlot(fm.availability, fo.availability),
    stage: stageRelation(p, me, other),
    // An unanswered invitation keeps a pair apart but is not a meeting, and is never hinted at.
    neverMet: !p.constraints.talked.has(pairKey(me, other, p.constraints.n)),
    ...(matched ? { matched } : {}),
  };
}
