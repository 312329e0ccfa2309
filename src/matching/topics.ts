/**
 * The library-career topic list and the text-to-topic mapping.
 *
 * Members describe offers and asks in their own words ("cataloging help", "MARC
 * records", "metadata"); matching only works if those meet. So free text is
 * normalised (lowercase, accents and punctuation stripped, stopwords dropped, light
 * stemming that also folds British/American spellings) and looked up against a
 * curated list of topics with synonyms. Each topic has a parent, which is how
 * "instruction" ends up near "academic libraries" without being the same thing.
 * Words the list does not know still count, by normalised overlap.
 */
import type { CustomTopic } from './types.ts';

/** A topic has the same shape whether built in or added by a community. */
export type TopicDef = CustomTopic;

const t = (key: string, label: string, parent: string | null, synonyms: string[]): TopicDef => ({
  key,
  label,
  parent,
  synonyms,
});

/**
 * Built-in topics: sectors, specialties and job-search skills. Parents are chosen
 * for how advice transfers (someone who teaches information literacy can talk about
 * academic libraries), not as a strict taxonomy.
 */
export const BUILTIN_TOPICS: readonly TopicDef[] = [
  // Sectors and broad areas (roots).
  t('academic-libraries', 'academic libraries', null, [
    'academic library', 'academic librarian', 'academic librarianship', 'university library',
    'college library', 'higher education', 'higher ed', 'community college library', 'academia',
  ]),
  t('public-libraries', 'public libraries', null, [
    'public library', 'public librarian', 'public librarianship', 'branch library', 'library branch',
  ]),
  t('school-libraries', 'school libraries', null, [
    'school library', 'school librarian', 'teacher librarian', 'school media specialist',
    'media specialist', 'k-12', 'k12', 'school library media',
  ]),
  t('special-libraries', 'special libraries', null, [
    'special library', 'corporate library', 'government library', 'museum library', 'news library',
    'embedded librarian', 'knowledge management',
  ]),
  t('archives', 'archives and special collections', null, [
    'archive', 'archival', 'archivist', 'special collection', 'rare book', 'manuscript',
    'archival processing', 'finding aid', 'museum', 'museums', 'glam',
  ]),
  t('technical-services', 'technical services', null, ['tech services', 'technical service', 'back office']),
  t('public-services', 'public services', null, [
    'access services', 'circulation', 'patron services', 'front line', 'customer service', 'user services',
  ]),
  t('job-search', 'job search', null, [
    'job hunting', 'job hunt', 'job application', 'applying for jobs', 'career change', 'career',
    'job market', 'finding a job', 'getting hired', 'first library job', 'returning to work',
  ]),
  t('management', 'management and leadership', null, [
    'leadership', 'manager', 'managing', 'supervision', 'supervising', 'managing people', 'library director',
    'director', 'administration', 'team lead', 'strategic planning', 'budgeting', 'budget',
  ]),

  // Specialties.
  t('cataloguing', 'cataloguing and metadata', 'technical-services', [
    'cataloging', 'catalog', 'catalogue', 'cataloguer', 'cataloger', 'metadata', 'marc', 'marc records',
    'rda', 'bibframe', 'authority control', 'classification', 'dewey', 'lcsh', 'subject headings',
    'linked data', 'metadata librarian',
  ]),
  t('acquisitions', 'acquisitions and e-resources', 'technical-services', [
    'acquisition', 'e-resources', 'electronic resources', 'eresources', 'licensing', 'serials', 'vendor',
  ]),
  t('collection-development', 'collection development', 'technical-services', [
    'collection management', 'collections', 'weeding', 'selection', 'collection strategy',
  ]),
  t('systems', 'library systems', 'technical-services', [
    'ils', 'integrated library system', 'library systems', 'systems librarian', 'alma', 'koha', 'sierra',
    'folio', 'discovery layer', 'library technology', 'library tech',
  ]),
  t('instruction', 'instruction', 'academic-libraries', [
    'information literacy', 'library instruction', 'teaching', 'bibliographic instruction', 'one-shot',
    'one shot', 'pedagogy', 'instructional design', 'teaching librarian', 'workshops',
  ]),
  t('reference', 'reference', 'public-services', [
    'reference services', 'reference desk', 'research help', 'chat reference', 'reference interview',
    'reference librarian', 'research consultation',
  ]),
  t('youth-services', 'youth services', 'public-libraries', [
    "children's services", 'children services', "children's librarian", 'childrens librarian',
    'teen services', 'young adult', 'ya', 'storytime', 'story time', 'early literacy', 'youth librarian',
  ]),
  t('programming', 'programming and outreach', 'public-libraries', [
    'library programs', 'programs', 'events', 'outreach', 'community engagement', 'adult services',
    'marketing', 'communications',
  ]),
  t('digital-collections', 'digital collections', 'archives', [
    'digitisation', 'digitization', 'digitising', 'digitizing', 'digital archives', 'digital preservation',
    'digital library', 'institutional repository', 'repository', 'digital humanities', 'digital asset management',
  ]),
  t('preservation', 'preservation and conservation', 'archives', ['conservation', 'book repair', 'book conservation']),
  t('records-management', 'records management', 'archives', ['records manager', 'records and information management', 'rim']),
  t('data-services', 'data and research services', 'academic-libraries', [
    'research data', 'data management', 'data services', 'research data management', 'rdm', 'data curation',
    'gis', 'data librarian', 'research services', 'bibliometrics', 'research impact', 'data literacy',
  ]),
  t('scholarly-communication', 'scholarly communication', 'academic-libraries', [
    'scholarly communications', 'open access', 'copyright', 'publishing', 'open educational resources', 'oer',
  ]),
  t('user-experience', 'user experience', 'public-services', [
    'ux', 'usability', 'web services', 'accessibility', 'service design', 'user research', 'website',
  ]),
  t('law-libraries', 'law libraries', 'special-libraries', ['law library', 'law librarian', 'legal research', 'law firm library']),
  t('health-sciences', 'health sciences libraries', 'special-libraries', [
    'medical library', 'medical librarian', 'health sciences library', 'hospital library', 'systematic reviews',
    'evidence synthesis', 'health sciences',
  ]),

  // Job-search skills.
  t('resume-review', 'resume and cover-letter review', 'job-search', [
    'resume', 'résumé', 'cv', 'curriculum vitae', 'resume review', 'cover letter', 'cover letters',
    'application materials', 'job application materials', 'portfolio',
  ]),
  t('interview-preparation', 'interview preparation', 'job-search', [
    'interview', 'interviews', 'interviewing', 'job interview', 'mock interview', 'interview practice',
    'interview prep', 'job talk', 'presentation', 'search committee',
  ]),
  t('salary-negotiation', 'salary negotiation', 'job-search', [
    'negotiation', 'negotiating', 'salary', 'pay', 'compensation', 'job offer', 'offer negotiation', 'benefits',
  ]),
  t('networking', 'networking and professional associations', 'job-search', [
    'network', 'informational interview', 'professional association', 'professional associations',
    'conferences', 'conference', 'mentoring', 'mentor', 'mentorship', 'ala', 'cilip',
  ]),
  t('lis-education', 'library school (MLIS)', 'job-search', [
    'mlis', 'mls', 'mlis degree', 'library school', 'lis degree', 'grad school', 'ischool', 'ala accredited',
  ]),
];

/** Words that carry no topic on their own in offers and asks ("help with…", "advice on…"). */
const STOPWORDS = new Set(
  (
    'a an the and or of for to in on with about at by from my your our their i me we you he she they it its ' +
    'this that these those as into is are was be been being am do does how what which who whom when where why ' +
    'can could would should will shall may might must have has had not no yes so if than then just also very ' +
    'help helping advice advise tip tips want wanted like need get some any more most learn learning know ' +
    'talk chat question questions thing things work working please thanks hi hello general basic'
  ).split(' '),
);

/** Folds case, accents, punctuation and the common spelling variants so both sides of a match agree. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  w = w.replace(/isation$/, 'ization').replace(/ise$/, 'ize').replace(/ising$/, 'izing');
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 6 && w.endsWith('er')) w = w.slice(0, -2);
  if (w.endsWith('ization')) w = w.slice(0, -5);
  else if (w.endsWith('ize')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('ue')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('gu')) w = w.slice(0, -1);
  return w;
}

/** Lowercase, strip accents and punctuation, drop stopwords, stem. */
export function normaliseTokens(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ');
  const out: string[] = [];
  for (const raw of folded.split(' ')) {
    if (raw === '' || STOPWORDS.has(raw)) continue;
    const s = stem(raw);
    if (s !== '' && !STOPWORDS.has(s)) out.push(s);
  }
  return out;
}

/**
 * Everything needed to map text and compare topics, built once per topic list.
 * `sim` is a dense T×T matrix because T is small (tens) and lookups sit in the
 * candidate-scoring hot loop.
 */
export interface TopicIndex {
  topics: TopicDef[];
  idOf: Map<string, number>;
  /** Normalised phrase ("cover letter") → topic id. */
  phrases: Map<string, number>;
  maxPhraseLength: number;
  sim: Float64Array;
  /** For each topic, the ids of topics with positive similarity (itself included). */
  related: Int32Array[];
}

/** Similarity between topics by their place in the tree: why "instruction" is near "academic libraries". */
export const TOPIC_SIMILARITY = { same: 1, parentChild: 0.6, siblings: 0.4, grandparent: 0.3 } as const;

/**
 * Merges community topics into the built-in list (pure). A custom topic with a
 * built-in key adds synonyms to it rather than replacing it, so a community can teach
 * the matcher local jargon without losing the curated parent.
 */
export function mergeTopics(customTopics: readonly CustomTopic[]): TopicDef[] {
  const byKey = new Map<string, TopicDef>();
  for (const topic of BUILTIN_TOPICS) byKey.set(topic.key, { ...topic, synonyms: [...topic.synonyms] });
  for (const custom of customTopics) {
    const existing = byKey.get(custom.key);
    if (existing) existing.synonyms.push(...custom.synonyms, custom.label);
    else byKey.set(custom.key, { ...custom, synonyms: [...custom.synonyms] });
  }
  return [...byKey.values()];
}

function buildIndex(customTopics: readonly CustomTopic[]): TopicIndex {
  const topics = mergeTopics(customTopics);
  const idOf = new Map<string, number>();
  topics.forEach((topic, i) => idOf.set(topic.key, i));
  const T = topics.length;
  const parent = new Int32Array(T).fill(-1);
  topics.forEach((topic, i) => {
    const p = topic.parent === null ? undefined : idOf.get(topic.parent);
    if (p !== undefined && p !== i) parent[i] = p;
  });
  const phrases = new Map<string, number>();
  let maxPhraseLength = 1;
  topics.forEach((topic, i) => {
    for (const text of [topic.label, topic.key.replace(/-/g, ' '), ...topic.synonyms]) {
      const tokens = normaliseTokens(text);
      if (tokens.length === 0) continue;
      const phrase = tokens.join(' ');
      // Built-ins come first, so a community synonym never hijacks a curated phrase.
      if (!phrases.has(phrase)) phrases.set(phrase, i);
      maxPhraseLength = Math.max(maxPhraseLength, tokens.length);
    }
  });
  const sim = new Float64Array(T * T);
  const grand = (i: number): number => (parent[i]! >= 0 ? parent[parent[i]!]! : -1);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      let s = 0;
      if (i === j) s = TOPIC_SIMILARITY.same;
      else if (parent[i] === j || parent[j] === i) s = TOPIC_SIMILARITY.parentChild;
      else if (parent[i]! >= 0 && parent[i] === parent[j]) s = TOPIC_SIMILARITY.siblings;
      else if (grand(i) === j || grand(j) === i) s = TOPIC_SIMILARITY.grandparent;
      sim[i * T + j] = s;
    }
  }
  const related: Int32Array[] = [];
  for (let i = 0; i < T; i++) {
    const ids: number[] = [];
    for (let j = 0; j < T; j++) if (sim[i * T + j]! > 0) ids.push(j);
    // Closest first, so callers that stop early keep the strongest matches.
    ids.sort((a, b) => sim[i * T + b]! - sim[i * T + a]! || a - b);
    related.push(Int32Array.from(ids));
  }
  return { topics, idOf, phrases, maxPhraseLength, sim, related };
}

const builtinIndex = buildIndex([]);
const indexCache = new Map<string, TopicIndex>();

/** The lookup for a community: built-ins plus its custom topics; cached because flows call it per request. */
export function topicIndex(customTopics: readonly CustomTopic[] = []): TopicIndex {
  if (customTopics.length === 0) return builtinIndex;
  const cacheKey = JSON.stringify(customTopics);
  let index = indexCache.get(cacheKey);
  if (!index) {
    index = buildIndex(customTopics);
    if (indexCache.size > 32) indexCache.clear();
    indexCache.set(cacheKey, index);
  }
  return index;
}

/** Topics found in a text and the leftover words, which still match by overlap. */
export interface AnalysedText {
  topicIds: number[];
  rest: string[];
}

/** Greedy longest-phrase lookup, so "cover letter review" is one topic, not three words. */
export function analyseText(text: string, index: TopicIndex): AnalysedText {
  const tokens = normaliseTokens(text);
  const topicIds: number[] = [];
  const rest: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    for (let len = Math.min(index.maxPhraseLength, tokens.length - i); len >= 1; len--) {
      const id = index.phrases.get(tokens.slice(i, i + len).join(' '));
      if (id !== undefined) {
        if (!topicIds.includes(id)) topicIds.push(id);
        matched = len;
        break;
      }
    }
    if (matched > 0) i += matched;
    else {
      const word = tokens[i]!;
      if (!rest.includes(word)) rest.push(word);
      i += 1;
    }
  }
  return { topicIds, rest };
}

/** Topic keys a text talks about (offers, asks, profile areas). */
export function mapTextToTopics(text: string, customTopics: readonly CustomTopic[] = []): string[] {
  const index = topicIndex(customTopics);
  return analyseText(text, index).topicIds.map((id) => index.topics[id]!.key);
}

/** Similarity of two topic keys in [0, 1]; unknown keys are 0 unless identical. */
export function topicSimilarity(a: string, b: string, customTopics: readonly CustomTopic[] = []): number {
  if (a === b) return 1;
  const index = topicIndex(customTopics);
  const i = index.idOf.get(a);
  const j = index.idOf.get(b);
  if (i === undefined || j === undefined) return 0;
  return index.sim[i * index.topics.length + j]!;
}

/** Weight of plain word overlap relative to a topic match: known topics are the stronger signal. */
export const WORD_OVERLAP_WEIGHT = 0.8;

/** How well two free texts meet in [0, 1]: best topic similarity, or word overlap for unknown words. */
export function textSimilarity(a: string, b: string, customTopics: readonly CustomTopic[] = []): number {
  const index = topicIndex(customTopics);
  const x = analyseText(a, index);
  const y = analyseText(b, index);
  const T = index.topics.length;
  let best = 0;
  for (const i of x.topicIds) for (const j of y.topicIds) best = Math.max(best, index.sim[i * T + j]!);
  if (x.rest.length > 0 && y.rest.length > 0) {
    const shared = x.rest.filter((w) => y.rest.includes(w)).length;
    best = Math.max(best, (WORD_OVERLAP_WEIGHT * shared) / Math.min(x.rest.length, y.rest.length));
  }
  return best;
}

/**
 * The least topic relevance that counts as "related" for an intro invitation (issue 14,
 * finding 4); relevance is `textSimilarity`-like, in [0, 1]. Pinned by
 * test/matching/relevance.test.ts with library examples:
 * - archives vs school librarianship: 0, not related (two roots of the topic list, no shared word);
 * - digital preservation vs archives: 0.6, related: "digital preservation" is a synonym of
 *   digital collections, which this list files under archives and special collections (parent
 *   and child), so an archivist is a fair person to ask; the explanation says it is the broader area;
 * - cataloging vs metadata: 1, related (both are cataloguing and metadata).
 * Siblings (0.4, e.g. preservation vs digital collections), grandparents (0.3) and a single
 * shared word among several (≤ 0.4) fall below it; a profile area (weighted 0.5) reaches it only
 * with the exact topic. It is measured against the ask's topic line: the questions rank helpers
 * but never qualify one ("I work in a school library; how do I move into archives?" is an archives ask).
 */
export const MIN_TOPIC_RELEVANCE = 0.5;

/** Why two texts meet, in words a member can check: the topics or words they share. */
export interface MatchedTerms {
  /** The first text's topic label and the second's when they are the same topic or close in the tree. */
  topics: { mine: string; theirs: string; same: boolean }[];
  /** Words outside any topic that both texts use, as the first text spells them. */
  words: string[];
}

/** The topics and words two texts share (a's phrasing first), strongest first; empty when unrelated. */
export function matchedTerms(a: string, b: string, customTopics: readonly CustomTopic[] = []): MatchedTerms {
  return matchedTermsIn(a, b, topicIndex(customTopics));
}

/** matchedTerms with the community's topic index already built. */
export function matchedTermsIn(a: string, b: string, index: TopicIndex): MatchedTerms {
  const x = analyseText(a, index);
  const y = analyseText(b, index);
  const T = index.topics.length;
  const topics: (MatchedTerms['topics'][number] & { s: number })[] = [];
  for (const i of x.topicIds) {
    for (const j of y.topicIds) {
      const s = index.sim[i * T + j]!;
      if (s > 0) topics.push({ mine: index.topics[i]!.label, theirs: index.topics[j]!.label, same: i === j, s });
    }
  }
  topics.sort((p, q) => q.s - p.s);
  const shared = new Set(x.rest.filter((w) => y.rest.includes(w)));
  const words: string[] = [];
  for (const raw of a.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    const stemmed = normaliseTokens(raw)[0];
    if (stemmed !== undefined && shared.has(stemmed) && !words.includes(raw)) {
      words.push(raw);
      shared.delete(stemmed);
    }
  }
  return { topics: topics.map(({ mine, theirs, same }) => ({ mine, theirs, same })), words };
}

/** What a moderator submits to add a topic; key and parent are checked against the merged list. */
export interface NewTopicInput {
  label: string;
  synonyms?: string[];
  parent?: string | null;
  key?: string;
}

/** A failed addition carries a stable code so the command layer can explain it. */
export type AddTopicResult =
  | { ok: true; topics: CustomTopic[]; topic: CustomTopic }
  | { ok: false; code: 'empty-label' | 'duplicate-key' | 'unknown-parent'; message: string };

/**
 * Adds a community topic (pure: returns the new list; storage belongs to the flows).
 * The key is derived from the label so moderators never have to invent identifiers.
 */
export function addCustomTopic(existing: readonly CustomTopic[], input: NewTopicInput): AddTopicResult {
  const label = input.label.trim();
  if (label === '') return { ok: false, code: 'empty-label', message: 'A topic needs a name.' };
  const key =
    input.key ??
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const merged = mergeTopics(existing);
  if (key === '' || merged.some((topic) => topic.key === key)) {
    return { ok: false, code: 'duplicate-key', message: `There is already a topic called "${label}".` };
  }
  const parent = input.parent ?? null;
  if (parent !== null && !merged.some((topic) => topic.key === parent)) {
    return { ok: false, code: 'unknown-parent', message: `There is no topic "${parent}" to put "${label}" under.` };
  }
  const topic: CustomTopic = {
    key,
    label,
    parent,
    synonyms: (input.synonyms ?? []).map((s) => s.trim()).filter((s) => s !== ''),
  };
  return { ok: true, topics: [...existing, topic], topic };
}
