import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_TOPIC_RELEVANCE, helperShortfall, pairRound, rankHelpers, textSimilarity } from '../../src/matching/index.ts';
import { context, member } from './support.ts';

/**
 * Issue 14, finding 4: a helper is invited only when their offers or profile relate to the
 * ask, and the explanation names the ask's exact topic and what matched. The minimum is
 * documented at MIN_TOPIC_RELEVANCE in src/matching/topics.ts.
 */
const offering = (id: string, topic: string, details = '') => member(id, { offers: [{ topic, details, capacityPerMonth: 3 }] });
const ask = (topic: string, questions = 'How did you get started?') => ({ requesterId: 'alice', topic, questions, excludeIds: [] as string[] });

describe('minimum topic relevance, pinned with library examples', () => {
  it('archives vs school librarianship: not related', () => {
    expect(textSimilarity('school librarianship', 'archives')).toBeLessThan(MIN_TOPIC_RELEVANCE);
    const ranked = rankHelpers(ask('archives'), [member('alice'), offering('sam', 'school librarianship', 'running a K-12 school library')], context());
    expect(ranked).toEqual([]);
    // The questions rank helpers but never qualify one: this is still an archives ask.
    const schoolContext = ask('archives', 'I run a school library; how do I move into archives?');
    expect(rankHelpers(schoolContext, [member('alice'), offering('sam', 'school librarianship', 'running a K-12 school library')], context())).toEqual([]);
  });

  it('digital preservation vs archives: related (digital collections sits under archives in the topic list), explained as close, not as asked', () => {
    expect(textSimilarity('archives', 'digital preservation')).toBeGreaterThanOrEqual(MIN_TOPIC_RELEVANCE);
    const ranked = rankHelpers(ask('digital preservation'), [member('alice'), offering('ruth', 'archives')], context());
    expect(ranked.map((r) => r.memberId)).toEqual(['ruth']);
    expect(ranked[0]!.explanation).toContain(
      'Ruth offered archives advice, close to your ask about digital preservation (matched: archives and special collections / digital collections)',
    );
    expect(ranked[0]!.explanation).not.toContain('which you asked about');
  });

  it('cataloging vs metadata: related, explained as a match naming the shared topic', () => {
    expect(textSimilarity('cataloging', 'metadata')).toBeGreaterThanOrEqual(MIN_TOPIC_RELEVANCE);
    const ranked = rankHelpers(ask('metadata'), [member('alice'), offering('kim', 'cataloging')], context());
    expect(ranked[0]!.explanation).toContain('Kim offered cataloging advice, which matches your ask about metadata (matched: cataloguing and metadata)');
  });

  it('a sibling topic or one shared word among several is below the minimum', () => {
    expect(textSimilarity('preservation', 'digital preservation')).toBeLessThan(MIN_TOPIC_RELEVANCE);
    expect(rankHelpers(ask('digital preservation'), [member('alice'), offering('pat', 'book conservation')], context())).toEqual([]);
  });

  it('nobody related counts as nobody offering, not as busy', () => {
    expect(helperShortfall(ask('archives'), [member('alice'), offering('sam', 'school librarianship')], context())).toBe('nobody-offers');
  });
});

const PHRASES = [
  'archives',
  'school librarianship',
  'digital preservation',
  'cataloging',
  'metadata',
  'cover letters',
  'salary negotiation',
  'youth services',
  'records management',
  'book conservation',
  'instruction',
  'zine shelves',
  'systems librarian',
  'data management',
] as const;

describe('explanations on generated communities', () => {
  it('no explanation names a topic the helper did not offer, every invited helper relates to the ask, and the ask is named', () => {
    const phrase = fc.constantFrom(...PHRASES);
    const helper = fc.record({ offers: fc.array(phrase, { minLength: 0, maxLength: 3 }), areas: fc.array(phrase, { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(helper, { minLength: 1, maxLength: 12 }), phrase, phrase, (helpers, topic, questions) => {
        const members = [
          member('alice'),
          ...helpers.map((h, i) =>
            member(`h${i}`, { displayName: `H${i}`, areas: h.areas, offers: h.offers.map((t) => ({ topic: t, details: '', capacityPerMonth: 3 })) }),
          ),
        ];
        const ranked = rankHelpers(ask(topic, questions), members, context());
        for (const r of ranked) {
          const m = members.find((x) => x.id === r.memberId)!;
          const offered = /^H\d+ offered (.+?)(?: advice)?, (?:which matches|close to) your ask about /.exec(r.explanation);
          const worksIn = /^H\d+ works in (.+?), (?:which matches|close to) your ask about /.exec(r.explanation);
          expect(offered ?? worksIn, r.explanation).not.toBeNull();
          if (offered) expect(m.offers.map((o) => o.topic)).toContain(offered[1]);
          else expect(m.areas).toContain(worksIn![1]);
          expect(r.explanation).toContain(`your ask about ${topic}`);
          const rel = (t: string): number => textSimilarity(t, topic);
          const best = Math.max(0, ...m.offers.map((o) => rel(o.topic)), 0.5 * rel(m.areas.join(', ')));
          expect(best).toBeGreaterThanOrEqual(MIN_TOPIC_RELEVANCE);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('round explanations name the ask and what matched', () => {
  it('a digital preservation ask paired with an archivist is explained as close, never as "which you asked about"', () => {
    const alice = member('alice', { asks: [{ topic: 'digital preservation', details: '' }] });
    const round = pairRound([alice, offering('ruth', 'archives')], context());
    const why = round.groups[0]!.explanations['alice']!;
    expect(why).toContain('Ruth offered archives advice, close to your ask about digital preservation (matched: archives and special collections / digital collections)');
    expect(why).not.toContain('which you asked about');
  });

  it('an unrelated offer is never given as the reason (archives ask, school librarianship offer)', () => {
    const alice = member('alice', { asks: [{ topic: 'archives', details: '' }] });
    const round = pairRound([alice, offering('sam', 'school librarianship')], context());
    expect(round.groups[0]!.explanations['alice']).not.toContain('school librarianship');
  });

  it('on generated communities, a pair explanation only names an offer the other member made, for an ask the reader made', () => {
    const phrase = fc.constantFrom(...PHRASES);
    const person = fc.record({ offers: fc.array(phrase, { maxLength: 2 }), asks: fc.array(phrase, { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(person, { minLength: 2, maxLength: 10 }), (people) => {
        const members = people.map((x, i) =>
          member(`m${i}`, {
            displayName: `M${i}`,
            offers: x.offers.map((t) => ({ topic: t, details: '', capacityPerMonth: 3 })),
            asks: x.asks.map((t) => ({ topic: t, details: '' })),
          }),
        );
        const round = pairRound(members, context());
        for (const group of round.groups) {
          for (const [readerId, why] of Object.entries(group.explanations)) {
            const reader = members.find((m) => m.id === readerId)!;
            for (const hit of why.matchAll(/(M\d+) offered (.+?)(?: advice)?, (?:which matches|close to) your ask about (.+?)(?: \(|;|$)/g)) {
              const other = members.find((m) => m.displayName === hit[1])!;
              expect(other.offers.map((o) => o.topic)).toContain(hit[2]);
              expect(reader.asks.map((a) => a.topic)).toContain(hit[3]);
              expect(textSimilarity(hit[2]!, hit[3]!)).toBeGreaterThanOrEqual(MIN_TOPIC_RELEVANCE);
            }
            expect(why).not.toContain('which you asked about');
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
