/**
 * Every user-facing sentence the matcher produces lives here, so tone can be reviewed
 * in one place (STYLE.md §11). Functions take plain facts, never scores, so wording
 * changes cannot change who gets matched.
 */
import type { MatchedTerms } from './topics.ts';
import type { AvailabilitySlot } from './types.ts';

/** What we know about a pair, from one member's point of view ("me" reads the sentence). */
export interface PairFacts {
  otherName: string;
  /** The other's ask that I can help with. */
  iCanHelpWith: string | null;
  /** The other's offer that meets something I asked about. */
  theyOffered: string | null;
  /** The other's work area that meets my ask, when no explicit offer did. */
  theyWorkIn: string | null;
  /** A work area we share (topic label, e.g. "academic libraries"). */
  sharedArea: string | null;
  /** A weekly slot we are both free in. */
  sharedSlot: AvailabilitySlot | null;
  /** Career-stage relation of the other to me. */
  stage: 'further-along' | 'earlier' | 'both-returning' | null;
  neverMet: boolean;
  /** For an intro ask: the ask's own topic and the topics or words that matched it (issue 14, finding 4). */
  matched?: { askedAbout: string; terms: MatchedTerms };
}

/** Practice-partner facts: role focus and availability are what a mock interview needs. */
export interface PracticeFacts {
  otherName: string;
  sameFocus: string | null;
  relatedFocus: string | null;
  sharedSlot: AvailabilitySlot | null;
  sameLevel: boolean;
}

const MAX_TOPIC_CHARS = 60;

/**
 * Topics are member-written: trim, shorten, lower an initial capital (but not
 * acronyms like "MARC"), and strip characters that could become a group mention.
 */
export function topicPhrase(text: string): string {
  let s = text.replace(/[<>@]/g, '').replace(/\s+/g, ' ').trim();
  if (s.length > MAX_TOPIC_CHARS) s = `${s.slice(0, MAX_TOPIC_CHARS - 1).trimEnd()}…`;
  if (/^[A-Z][a-z]/.test(s)) s = s[0]!.toLowerCase() + s.slice(1);
  return s === '' ? 'this' : s;
}

function offeredPhrase(topic: string): string {
  const phrase = topicPhrase(topic);
  return /\b(advice|help|review|reviews|tips|feedback|practice|mentoring|chat)\b/i.test(phrase) ? phrase : `${phrase} advice`;
}

function slotPhrase(slot: AvailabilitySlot): string {
  return slot.replace('-', ' ');
}

function sentence(clauses: string[]): string {
  const text = clauses.filter((c) => c !== '').join('; ');
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** Clauses shared by pair and helper explanations, strongest reason first. */
function contextClauses(f: PairFacts): string[] {
  const out: string[] = [];
  if (f.sharedArea) out.push(`you both work in ${f.sharedArea}`);
  if (f.stage === 'further-along') out.push(`${f.otherName} is further along in their career`);
  else if (f.stage === 'both-returning') out.push('you are both returning to library work');
  if (f.sharedSlot) out.push(`you are both free ${slotPhrase(f.sharedSlot)}`);
  return out;
}

/**
 * One sentence for a pair, addressed to the reader, e.g. "You can help Dana with cover
 * letters; Dana offered archives advice, which you asked about".
 */
export function explainPair(f: PairFacts): string {
  const clauses: string[] = [];
  if (f.iCanHelpWith) clauses.push(`you can help ${f.otherName} with ${topicPhrase(f.iCanHelpWith)}`);
  if (f.matched && f.theyOffered) clauses.push(matchedClause(f, `offered ${offeredPhrase(f.theyOffered)}`));
  else if (f.matched && f.theyWorkIn) clauses.push(matchedClause(f, `works in ${topicPhrase(f.theyWorkIn)}`));
  else if (f.theyOffered) clauses.push(`${f.otherName} offered ${offeredPhrase(f.theyOffered)}, which you asked about`);
  else if (f.theyWorkIn) clauses.push(`${f.otherName} works in ${topicPhrase(f.theyWorkIn)}, which you asked about`);
  const context = contextClauses(f);
  while (clauses.length < 2 && context.length > 0) clauses.push(context.shift()!);
  if (clauses.length === 0) {
    clauses.push(
      f.neverMet
        ? `${f.otherName} is someone in the community you have not met yet`
        : `it has been a while since you and ${f.otherName} talked`,
    );
  }
  return sentence(clauses);
}

/** "archives and special collections", "records management / digital collections", "“processing”". */
export function termsPhrase(terms: MatchedTerms): string {
  const parts = [
    ...terms.topics.slice(0, 2).map((t) => (t.same ? t.mine : `${t.mine} / ${t.theirs}`)),
    ...terms.words.slice(0, 3).map((w) => `“${w}”`),
  ];
  return parts.join(', ');
}

/**
 * "offered archives advice, which matches your ask about archives (matched: archives and special
 * collections)"; "close to" when the topics are only related in the topic list, never "which
 * you asked about" for a topic the requester did not name.
 */
function matchedClause(f: PairFacts, what: string): string {
  const m = f.matched!;
  const terms = termsPhrase(m.terms);
  const exact = m.terms.topics.length === 0 || m.terms.topics[0]!.same;
  return `${f.otherName} ${what}, ${exact ? 'which matches' : 'close to'} your ask about ${topicPhrase(m.askedAbout)}${terms ? ` (matched: ${terms})` : ''}`;
}

/** For a helper suggested on an intro request; the reader is the requester. */
export function explainHelper(f: PairFacts): string {
  const clauses: string[] = [];
  if (f.matched && f.theyOffered) clauses.push(matchedClause(f, `offered ${offeredPhrase(f.theyOffered)}`));
  else if (f.matched && f.theyWorkIn) clauses.push(matchedClause(f, `works in ${topicPhrase(f.theyWorkIn)}`));
  else if (f.theyOffered) clauses.push(`${f.otherName} offered ${offeredPhrase(f.theyOffered)}, which you asked about`);
  else if (f.theyWorkIn) clauses.push(`${f.otherName} works in ${topicPhrase(f.theyWorkIn)}, which you asked about`);
  else clauses.push(`${f.otherName} knows about what you asked`);
  const context = contextClauses(f);
  if (context.length > 0) clauses.push(context[0]!);
  if (f.iCanHelpWith) clauses.push(`you could help them with ${topicPhrase(f.iCanHelpWith)} in return`);
  return sentence(clauses.slice(0, 3));
}

const FOCUS_LABELS: Record<string, string> = {
  reference: 'reference',
  academic: 'academic library',
  public: 'public library',
  school: 'school library',
  archives: 'archives',
  'technical-services': 'technical services',
  management: 'management',
};

/** For an interview-practice partner; the reader is the one who asked. */
export function explainPracticePartner(f: PracticeFacts): string {
  const clauses: string[] = [];
  if (f.sameFocus) clauses.push(`${f.otherName} is also practising for ${FOCUS_LABELS[f.sameFocus] ?? f.sameFocus} interviews`);
  else if (f.relatedFocus) clauses.push(`${f.otherName} is practising for ${FOCUS_LABELS[f.relatedFocus] ?? f.relatedFocus} interviews, which are close to yours`);
  if (f.sharedSlot) clauses.push(`you are both free ${slotPhrase(f.sharedSlot)}`);
  if (f.sameLevel) clauses.push('you are at a similar stage');
  if (clauses.length === 0) clauses.push(`${f.otherName} is looking for a practice partner too`);
  return sentence(clauses.slice(0, 3));
}

/** For a trio or breakout group: names everyone, then why the closest match fits. */
export function explainGroup(otherNames: string[], best: PairFacts): string {
  const names =
    otherNames.length <= 1
      ? (otherNames[0] ?? '')
      : `${otherNames.slice(0, -1).join(', ')} and ${otherNames[otherNames.length - 1]}`;
  return `You are grouped with ${names}. ${explainPair(best)}`;
}

/** Reasons shown to moderators for anyone a round could not place. */
export const UNPLACED = {
  alone: 'no other eligible member this round',
  noAllowedPartner: 'every other eligible member is blocked or was met too recently',
  noGroupFits: 'no group could take them without breaking a matching rule',
} as const;

/** Reasons the host sees for anyone a meetup could not seat: only blocks can do that, and each names who. */
export const MEETUP_UNPLACED = {
  alone: 'nobody else is going',
  blockedWithEveryone: (names: string[]): string => `there is a block between them and everyone else going (${names.join(', ')})`,
  noRoomWithoutBlock: (rooms: ({ blockedWith: string[] } | { full: number })[]): string =>
    `every room has someone they have a block with, or is full (${rooms
      .map((r, i) => `Room ${i + 1}: ${'full' in r ? `full, ${r.full} people` : `block with ${r.blockedWith.join(', ')}`}`)
      .join('; ')})`,
} as const;
