import { describe, expect, it } from 'vitest';
import {
  addCustomTopic,
  mapTextToTopics,
  normaliseTokens,
  textSimilarity,
  topicSimilarity,
} from '../../src/matching/topics.ts';

describe('topics', () => {
  it('lets spelling variants and synonyms meet', () => {
    for (const text of ['metadata', 'cataloging', 'cataloguing', 'Cataloguing & Metadata', 'MARC records', 'catalogue']) {
      expect(mapTextToTopics(text)).toContain('cataloguing');
    }
    expect(mapTextToTopics('Résumé and cover-letter review')).toEqual(['resume-review']);
    expect(mapTextToTopics('digitisation')).toEqual(mapTextToTopics('digitization'));
    expect(textSimilarity('cataloging help', 'metadata')).toBe(1);
  });

  it('puts related topics near each other through parents', () => {
    expect(topicSimilarity('instruction', 'academic-libraries')).toBeGreaterThan(0);
    expect(topicSimilarity('instruction', 'academic-libraries')).toBeLessThan(1);
    expect(topicSimilarity('cataloguing', 'acquisitions')).toBeGreaterThan(0); // siblings
    expect(topicSimilarity('instruction', 'salary-negotiation')).toBe(0);
    expect(textSimilarity('information literacy instruction', 'academic libraries')).toBeGreaterThan(0);
  });

  it('still matches unknown words by normalised overlap', () => {
    expect(normaliseTokens('Zine-making, for the community!')).toEqual(['zine', 'mak', 'community']);
    expect(textSimilarity('zine making', 'Making zines')).toBeGreaterThan(0);
    expect(textSimilarity('zine making', 'podcasting')).toBe(0);
  });

  it('adds community topics purely and merges them into the lookup', () => {
    const empty: never[] = [];
    const added = addCustomTopic(empty, { label: 'Seed libraries', synonyms: ['seed library', 'seed lending'], parent: 'public-libraries' });
    expect(added.ok).toBe(true);
    expect(empty).toEqual([]);
    if (!added.ok) return;
    expect(added.topic.key).toBe('seed-libraries');
    expect(mapTextToTopics('seed lending programmes', added.topics)).toContain('seed-libraries');
    expect(mapTextToTopics('seed lending programmes')).not.toContain('seed-libraries');
    expect(topicSimilarity('seed-libraries', 'public-libraries', added.topics)).toBeGreaterThan(0);
    expect(addCustomTopic(added.topics, { label: 'Seed libraries' })).toMatchObject({ ok: false, code: 'duplicate-key' });
    expect(addCustomTopic([], { label: 'Toy lending', parent: 'nope' })).toMatchObject({ ok: false, code: 'unknown-parent' });
    expect(addCustomTopic([], { label: '  ' })).toMatchObject({ ok: false, code: 'empty-label' });
  });
});
