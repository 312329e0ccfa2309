import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_TOPIC_RELEVANCE, helperShortfall, rankHelpers, textSimilarity } from '../../src/matching/index.ts';
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
