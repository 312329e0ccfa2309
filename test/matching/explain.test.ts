import { describe, expect, it } from 'vitest';
import { explainHelper, explainPair, explainPracticePartner, topicPhrase, type PairFacts } from '../../src/matching/explain.ts';

const base: PairFacts = {
  otherName: 'Dana',
  iCanHelpWith: null,
  theyOffered: null,
  theyWorkIn: null,
  sharedArea: null,
  sharedSlot: null,
  stage: null,
  neverMet: true,
};

describe('explanations', () => {
  it('says what each side can do for the other', () => {
    expect(explainPair({ ...base, iCanHelpWith: 'Cover letters', theyOffered: 'archives' })).toBe(
      'You can help Dana with cover letters; Dana offered archives advice, which you asked about',
    );
  });

  it('addresses the requester when ranking helpers', () => {
    expect(explainHelper({ ...base, theyOffered: 'archives', sharedArea: 'academic libraries' })).toBe(
      'Dana offered archives advice, which you asked about; you both work in academic libraries',
    );
    expect(explainHelper({ ...base, theyWorkIn: 'special collections' })).toBe(
      'Dana works in special collections, which you asked about',
    );
  });

  it('falls back to something true when no topic connects the pair', () => {
    expect(explainPair(base)).toBe('Dana is someone in the community you have not met yet');
    expect(explainPair({ ...base, sharedSlot: 'weekday-evenings' })).toBe('You are both free weekday evenings');
  });

  it('never passes through text that could ping a group', () => {
    expect(topicPhrase('<!channel> @everyone help')).not.toMatch(/[<>@]/);
    expect(topicPhrase('x'.repeat(200)).length).toBeLessThanOrEqual(60);
    expect(topicPhrase('MARC records')).toBe('MARC records');
  });

  it('explains practice partners by role focus and availability', () => {
    expect(
      explainPracticePartner({ otherName: 'Lee', sameFocus: 'academic', relatedFocus: null, sharedSlot: 'weekday-evenings', sameLevel: false }),
    ).toBe('Lee is also practising for academic library interviews; you are both free weekday evenings');
  });
});
