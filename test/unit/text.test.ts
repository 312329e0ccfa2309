import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/clock.ts';
import { parseIntroText } from '../../src/commands/intro-request.ts';
import { parsePracticeWords } from '../../src/commands/interview-practice.ts';
import { parseOfferText } from '../../src/commands/offer-help.ts';
import { hasControlCharacters, hasMentionSyntax, parseKeyValues } from '../../src/commands/text.ts';
import { availabilityOf } from '../../src/commands/vocab.ts';

describe('free-text grammar', () => {
  it('splits an offer into topic, details and capacity', () => {
    expect(parseOfferText('cataloging: happy to walk new catalogers through RDA and MARC')).toEqual({
      topic: 'cataloging',
      details: ' happy to walk new catalogers through RDA and MARC',
      capacity: '2',
    });
    expect(parseOfferText('archives: finding aids, 3/month').capacity).toBe('3');
    expect(parseOfferText('archives: finding aids (1 per month)').capacity).toBe('1');
  });

  it('splits an intro request into topic, questions and length', () => {
    const parsed = parseIntroText('archives: How did you move into archives? Which skills mattered most? 20 min');
    expect(parsed.topic).toBe('archives');
    expect(parsed.questions.trim()).toBe('How did you move into archives? Which skills mattered most?');
    expect(parsed.length).toBe('20');
    expect(parseIntroText('metadata: What is it? 15 minutes').length).toBe('15');
    expect(parseIntroText('metadata: What is it?').length).toBe('20');
  });

  it('reads practice words in any order after the role focus', () => {
    expect(parsePracticeWords(['tech-services', 'weekends', 'early'])).toEqual({
      roleFocus: 'technical-services',
      level: 'early',
      availability: ['weekend-afternoons', 'weekend-evenings', 'weekend-mornings'],
    });
    expect(availabilityOf('evenings')).toEqual(['weekday-evenings', 'weekend-evenings']);
    expect(availabilityOf('anytime')).toEqual([]);
    expect(availabilityOf('never')).toBeNull();
  });

  it('parses key=value pairs with quotes, and refuses anything else', () => {
    expect(parseKeyValues('tz=Europe/London bio="Cataloguer, \\"public\\" libraries"')).toEqual({
      tz: 'Europe/London',
      bio: 'Cataloguer, "public" libraries',
    });
    expect(parseKeyValues('just some words')).toBeNull();
    expect(parseKeyValues('a=1 trailing words')).toBeNull();
  });

  it('spots mention syntax and control characters', () => {
    for (const s of ['@everyone', '@here', '<!channel>', '<!subteam^S1>', '<@U123>', '<@&42>', '<#C1>']) expect(hasMentionSyntax(s)).toBe(true);
    for (const s of ['email me at ann@example.org', 'R&D <3', 'a @ b']) expect(hasMentionSyntax(s)).toBe(false);
    expect(hasControlCharacters('bell\u0007')).toBe(true);
    expect(hasControlCharacters('rtl\u202E')).toBe(true);
    expect(hasControlCharacters('plain text')).toBe(false);
  });

  it('parses durations', () => {
    expect(parseDuration('3d')).toBe(3 * 86_400_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('2 w')).toBe(14 * 86_400_000);
    expect(parseDuration('soon')).toBeNull();
  });
});
