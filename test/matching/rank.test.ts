import { describe, expect, it } from 'vitest';
import { constraints, pairComponents, pairScore, prepare, rankHelpers, rankPracticePartners, totalOf } from '../../src/matching/index.ts';
import { pairScoreFast } from '../../src/matching/score.ts';
import { generateCommunity } from '../../src/matching/synthetic.ts';
import { context, daysAgo, member } from './support.ts';

const archivist = (id: string, extra = {}) =>
  member(id, { offers: [{ topic: 'archives', details: 'processing and finding aids', capacityPerMonth: 2 }], ...extra });

describe('rankHelpers', () => {
  const requester = member('ana', {
    careerStage: 'student',
    areas: ['academic library'],
    asks: [{ topic: 'archives careers', details: '' }],
    offers: [{ topic: 'cover letters', details: '', capacityPerMonth: 2 }],
  });

  it('returns only relevant helpers who pass every hard rule, best first', () => {
    const members = [
      requester,
      archivist('dana', { careerStage: 'senior', areas: ['university library'], asks: [{ topic: 'cover letter', details: '' }] }),
      archivist('excluded'),
      archivist('blocker'),
      archivist('blocked'),
      archivist('paused', { paused: true }),
      archivist('removed', { removed: true }),
      archivist('busy', { helperLoadThisMonth: 2 }),
      archivist('recent'),
      archivist('longago'),
      member('curator', { areas: ['special collections'] }),
      member('areaBusy', { areas: ['archives'], helperLoadThisMonth: 2 }),
      member('unrelated', { offers: [{ topic: 'salary negotiation', details: '', capacityPerMonth: 5 }] }),
    ];
    const ctx = context({
      blocks: [
        { blocker: 'blocker', blocked: 'ana' },
        { blocker: 'ana', blocked: 'blocked' },
      ],
      history: [
        { a: 'ana', b: 'recent', at: daysAgo(20) },
        { a: 'longago', b: 'ana', at: daysAgo(400) },
      ],
    });
    const ranked = rankHelpers({ requesterId: 'ana', topic: 'archives', questions: 'How did you start?', excludeIds: ['excluded'] }, members, ctx);
    const ids = ranked.map((r) => r.memberId);
    expect(ids[0]).toBe('dana');
    expect(new Set(ids)).toEqual(new Set(['dana', 'longago', 'curator']));
    expect(ids.indexOf('longago')).toBeGreaterThan(0);
    expect(ranked[0]!.explanation).toBe(
      'Dana offered archives advice, which matches your ask about archives (matched: archives and special collections); you both work in academic libraries; you could help them with cover letter in return',
    );
    expect(ranked.find((r) => r.memberId === 'curator')!.explanation).toBe(
      'Curator works in special collections, which matches your ask about archives (matched: archives and special collections)',
    );
    for (const r of ranked) {
      expect(r.components.benefitBtoA).toBeGreaterThan(0);
      expect(r.score).toBeCloseTo(totalOf(r.components));
    }
    const dana = ranked[0]!;
    const longago = ranked.find((r) => r.memberId === 'longago')!;
    expect(longago.components.novelty).toBeLessThan(dana.components.novelty);
  });

  it('prefers the less loaded helper when otherwise equal (spreading the load)', () => {
    const members = [requester, archivist('light'), archivist('heavy', { helperLoadThisMonth: 1 })];
    const ranked = rankHelpers({ requesterId: 'ana', topic: 'archives', questions: '', excludeIds: [] }, members, context());
    expect(ranked.map((r) => r.memberId)).toEqual(['light', 'heavy']);
  });

  it('named predicates agree with the rules', () => {
    const ctx = context({ blocks: [{ blocker: 'a', blocked: 'b' }], history: [{ a: 'a', b: 'c', at: daysAgo(10) }] });
    expect(constraints.sameMember('a', 'a')).toBe(true);
    expect(constraints.blockedPair('b', 'a', ctx)).toBe(true);
    expect(constraints.withinRematchWindow('c', 'a', ctx)).toBe(true);
    expect(constraints.withinRematchWindow('c', 'a', { ...ctx, rematchWindowDays: 5 })).toBe(false);
    expect(constraints.inactiveMember(member('p', { paused: true }))).toBe(true);
    expect(constraints.overCapacity(member('x', { helperLoadThisMonth: 2 }))).toBe(true);
    expect(constraints.overCapacity(archivist('y', { helperLoadThisMonth: 1 }))).toBe(false);
  });
});

describe('rankPracticePartners', () => {
  it('pairs same or related focus with overlapping availability and respects the rules', () => {
    const members = ['me', 'same', 'related', 'far', 'noOverlap', 'blocked', 'paused'].map((id) =>
      member(id, { paused: id === 'paused' }),
    );
    const mine = { requesterId: 'me', roleFocus: 'academic' as const, level: 'early' as const, availability: ['weekday-evenings' as const] };
    const pool = [
      { memberId: 'same', ask: { ...mine, requesterId: 'same' } },
      { memberId: 'related', ask: { ...mine, requesterId: 'related', roleFocus: 'reference' as const, availability: [] } },
      { memberId: 'far', ask: { ...mine, requesterId: 'far', roleFocus: 'school' as const } },
      { memberId: 'noOverlap', ask: { ...mine, requesterId: 'noOverlap', availability: ['weekend-mornings' as const] } },
      { memberId: 'blocked', ask: { ...mine, requesterId: 'blocked' } },
      { memberId: 'paused', ask: { ...mine, requesterId: 'paused' } },
      { memberId: 'me', ask: mine },
    ];
    const ranked = rankPracticePartners(mine, pool, members, context({ blocks: [{ blocker: 'blocked', blocked: 'me' }] }));
    expect(ranked.map((r) => r.memberId)).toEqual(['same', 'related']);
    expect(ranked[0]!.explanation).toBe('Same is also practising for academic library interviews; you are both free weekday evenings; you are at a similar stage');
  });
});

describe('scores', () => {
  it('the fast scorer equals the sum of named components', () => {
    const { members, ctx } = generateCommunity(150, 3);
    const p = prepare(members, ctx);
    for (let i = 0; i < 149; i++) {
      const j = (i * 37 + 11) % 150;
      if (i === j) continue;
      expect(pairScoreFast(p, i, j)).toBeCloseTo(totalOf(pairComponents(p, i, j)), 9);
      expect(pairScore(p, i, j)).toBeCloseTo(pairScore(p, j, i), 9);
    }
  });

  it('gives a mutual bonus only when both directions help', () => {
    const members = [
      member('a', { offers: [{ topic: 'cataloging', details: '', capacityPerMonth: 1 }], asks: [{ topic: 'salary negotiation', details: '' }] }),
      member('b', { offers: [{ topic: 'negotiation', details: '', capacityPerMonth: 1 }], asks: [{ topic: 'metadata', details: '' }] }),
      member('c', { asks: [{ topic: 'metadata', details: '' }] }),
    ];
    const p = prepare(members, context());
    expect(pairComponents(p, 0, 1).mutualBonus).toBeGreaterThan(0);
    expect(pairComponents(p, 0, 2).mutualBonus).toBe(0);
    expect(pairComponents(p, 0, 2).benefitAtoB).toBeGreaterThan(0);
  });
});
