/**
 * Synthetic but realistic library-career communities: mixed career stages, sectors and
 * specialties written the way members write them (spelling variants included), offers
 * with capacities, open asks, time zones, weekly availability, blocks and a history of
 * past matches. Seeded, so every run sees the same community. Three users: the matching
 * thread's warm-up (warm-up.ts), the matching benchmark, and the tests.
 */
import { DAY } from '../time.ts';
import { mulberry32 } from './rng.ts';
import { AVAILABILITY_SLOTS, type CareerStage, type MatchContext, type MemberSnapshot, type PastPair } from './types.ts';

const STAGES: [CareerStage, number][] = [
  ['student', 0.22],
  ['early', 0.28],
  ['mid', 0.25],
  ['senior', 0.13],
  ['returning', 0.08],
];
/** The words a synthetic community is written in. */
export interface SyntheticVocabulary {
  zones: readonly string[];
  areas: readonly string[];
  offers: readonly string[];
  asks: readonly string[];
  /** Free text beside offers and asks; none when absent (the benchmark's community has none). */
  details?: readonly string[];
}

const ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Toronto',
  'America/Vancouver', 'Europe/London', 'Europe/Dublin', 'Australia/Sydney', 'Pacific/Auckland', 'Asia/Singapore',
];
const AREAS = [
  'academic library', 'University library', 'public library', 'Public libraries', 'school library',
  'K-12 school librarian', 'special collections', 'archives', 'law library', 'medical library',
  'technical services', 'cataloging', 'Cataloguing & metadata', 'digital collections', 'youth services',
  'reference', 'instruction', 'systems', 'records management', 'museum',
];
const OFFER_TOPICS = [
  'Cover letters', 'resume review', 'CV feedback', 'interview prep', 'mock interviews', 'salary negotiation',
  'archives', 'archival processing', 'metadata', 'cataloguing', 'cataloging', 'MARC records', 'instruction',
  'information literacy', 'reference interview', 'youth services', 'storytime', 'digitization', 'digitisation',
  'research data management', 'GIS', 'UX research', 'usability', 'management', 'leadership',
  'collection development', 'e-resources licensing', 'library school applications', 'MLIS choices',
  'networking at conferences', 'open access', 'copyright', 'systematic reviews', 'law librarianship',
  'school library media', 'grant writing', 'zine libraries', 'podcasting', 'makerspaces',
];
const ASK_TOPICS = [
  'cover letter', 'my resume', 'interviews for academic jobs', 'salary negotiation', 'getting into archives',
  'cataloging jobs', 'metadata careers', 'teaching one-shots', 'public library careers', 'youth services jobs',
  'becoming a school librarian', 'digital collections', 'data services', 'UX in libraries', 'moving into management',
  'first library job', 'returning to library work', 'law libraries', 'health sciences libraries', 'MLIS programs',
  'makerspaces', 'zine collections', 'special collections', 'reference work', 'collection development',
];
/** What the benchmark and the tests use. */
export const DEFAULT_VOCABULARY: SyntheticVocabulary = { zones: ZONES, areas: AREAS, offers: OFFER_TOPICS, asks: ASK_TOPICS };

/**
 * Other phrasings, other words, other zones: the warm-up's, so that what the warm-up
 * sees is not what a benchmark (or a real community) then brings.
 */
export const WARM_UP_VOCABULARY: SyntheticVocabulary = {
  zones: ['Europe/Berlin', 'Africa/Nairobi', 'Asia/Kolkata', 'America/Sao_Paulo', 'Asia/Tokyo', 'America/Halifax', 'Pacific/Honolulu', 'Europe/Madrid'],
  areas: [
    'college library', 'community college', 'branch library', 'county library system', 'high school library',
    'rare books', 'corporate archives', 'government documents', 'hospital library', 'music library',
    'acquisitions', 'metadata services', 'scholarly communication', 'outreach', 'teen services', 'circulation desk',
  ],
  offers: [
    'CV review', 'resumes', 'job talk practice', 'phone screens', 'negotiating an offer', 'finding aids', 'EAD encoding',
    'authority control', 'RDA', 'teaching information literacy', 'embedded librarianship', 'early literacy programs',
    'oral history', 'scanning workflows', 'data curation', 'Python for librarians', 'web accessibility', 'supervising staff',
    'weeding', 'licensing negotiations', 'applying to library school', 'conference presentations', 'OER', 'fair use',
    'evidence synthesis', 'bookmobiles', 'seed libraries', 'escape rooms',
  ],
  asks: [
    'my CV', 'cover letters for public libraries', 'academic interviews', 'negotiating salary', 'breaking into archives',
    'metadata jobs', 'library instruction', 'children\'s librarian jobs', 'school librarian certification',
    'digital scholarship', 'research data jobs', 'user research', 'first management job', 'career change into libraries',
    'coming back after a break', 'medical librarianship', 'which MLIS program', 'outreach jobs', 'rare books careers',
  ],
  details: [
    '',
    'Happy to do a 30-minute call; I\'ve hired for 3 roles this year.',
    'Mostly evenings (after 6pm) — UK time.',
    'I work in a small liberal-arts college library & run our zine collection.',
    'Looking for someone who has made the jump from teaching to librarianship!',
    'Spécialiste des archives numériques; happy to speak French or English.',
    'Can review a CV/résumé and a cover letter, with written comments.',
    'First-generation MLIS student, graduating in May 2027.',
  ],
};

const NAMES = ['Dana', 'Lee', 'Ana', 'Sam', 'Priya', 'Jo', 'Max', 'Ines', 'Tomas', 'Mei', 'Kofi', 'Ruth', 'Alex', 'Noor'];


export interface Community {
  members: MemberSnapshot[];
  ctx: MatchContext;
}

/** Options beyond size and seed; the defaults are the benchmark's community. */
export interface CommunityOptions {
  /** Past rounds of history (each member met about half as many others). */
  historyPerMember?: number;
  vocabulary?: SyntheticVocabulary;
  now?: Date;
}

/** A community of `size` members, seeded. */
export function generateCommunity(size: number, seed = 1, options: CommunityOptions = {}): Community {
  const { historyPerMember = 3, vocabulary = DEFAULT_VOCABULARY, now = new Date('2026-01-05T09:00:00Z') } = options;
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const stage = (): CareerStage => {
    let r = rand();
    for (const [s, p] of STAGES) {
      if (r < p) return s;
      r -= p;
    }
    return 'mid';
  };
  const members: MemberSnapshot[] = [];
  for (let i = 0; i < size; i++) {
    const careerStage = rand() < 0.1 ? null : stage();
    const senior = careerStage === 'mid' || careerStage === 'senior';
    const nOffers = senior ? 1 + Math.floor(rand() * 3) : Math.floor(rand() * 2);
    const nAsks = senior ? Math.floor(rand() * 2) : 1 + Math.floor(rand() * 2);
    const availability = rand() < 0.25 ? [] : AVAILABILITY_SLOTS.filter(() => rand() < 0.35);
    const helpedCount = Math.floor(rand() * (senior ? 12 : 3));
    const receivedCount = Math.floor(rand() * (senior ? 3 : 8));
    members.push({
      id: `m${i}`,
      displayName: `${pick(NAMES)} ${String.fromCharCode(65 + (i % 26))}.`,
      careerStage,
      timeZone: rand() < 0.05 ? null : pick(vocabulary.zones),
      areas: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(vocabulary.areas)),
      organisations: rand() < 0.5 ? ['ALA'] : [],
      offers: Array.from({ length: nOffers }, () => ({
        topic: pick(vocabulary.offers),
        details: vocabulary.details ? pick(vocabulary.details) : '',
        capacityPerMonth: 1 + Math.floor(rand() * 4),
      })),
      asks: Array.from({ length: nAsks }, () => ({ topic: pick(vocabulary.asks), details: vocabulary.details ? pick(vocabulary.details) : '' })),
      availability,
      helpedCount,
      receivedCount,
      helperLoadThisMonth: Math.floor(rand() * 3),
      paused: rand() < 0.02,
      removed: rand() < 0.005,
    });
  }
  const history: PastPair[] = [];
  const pastRounds = Math.max(1, Math.round(historyPerMember));
  // Past rounds: each member met a few random others, spread over two years (some recently).
  for (let r = 0; r < pastRounds; r++) {
    const at = new Date(now.getTime() - Math.floor(rand() * 730) * DAY);
    for (let i = 0; i < size; i++) {
      if (rand() < 0.5) continue;
      const j = Math.floor(rand() * size);
      if (j !== i) history.push({ a: `m${i}`, b: `m${j}`, at });
    }
  }
  const blocks: MatchContext['blocks'] = [];
  for (let i = 0; i < Math.ceil(size / 200); i++) {
    const a = Math.floor(rand() * size);
    const b = Math.floor(rand() * size);
    if (a !== b) blocks.push({ blocker: `m${a}`, blocked: `m${b}` });
  }
  return {
    members,
    ctx: { now, rematchWindowDays: 84, history, blocks, customTopics: [], seed },
  };
}
