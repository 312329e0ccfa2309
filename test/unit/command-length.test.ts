import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIntroText } from '../../src/commands/intro-request.ts';
import { parseOfferText } from '../../src/commands/offer-help.ts';
import { MAX_COMMAND_TEXT, commandTextTooLong, numberSuffix } from '../../src/commands/text.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/**
 * Issue 12 item 6: the suffix patterns backtracked quadratically (100,000 commas held the
 * event loop for seconds). The suffixes are now read by a backwards scan, and the core refuses
 * an over-long command text before any parsing. No wall-clock bounds here: the scan is checked
 * against the old patterns' meaning, and the edge check structurally.
 */

// The patterns as they were: the reference meaning, safe to run on the short strings below.
const OLD_LENGTH = /[\s,;(]*(\d{1,3})\s*(?:m|min|mins|minutes)\)?\.?\s*$/i;
const OLD_CAPACITY = /[\s,;(]*(\d{1,3})\s*(?:\/|per|a|x)\s*month\)?\.?\s*$/i;

const pieces = fc.constantFrom(' ', '  ', '\t', ',', ';', '(', ')', '.', '1', '2', '0', '9', '5', 'm', 'M', 'min', 'mins', 'minutes', 'MIN', '/', 'per', 'a', 'x', 'X', 'month', 'Month', 'e', 'h', 'q?', '\u00a0', 'é');
const suffixy = fc.array(pieces, { maxLength: 14 }).map((p) => p.join(''));

const asOld = (re: RegExp, text: string) => {
  const m = re.exec(text);
  return m ? { index: m.index, value: m[1]! } : null;
};

describe('number suffixes are scanned, not backtracked', () => {
  it('reads exactly what the old length pattern read', () => {
    fc.assert(
      fc.property(fc.oneof(suffixy, fc.string({ maxLength: 30 })), (text) => {
        expect(numberSuffix(text, ['m', 'min', 'mins', 'minutes'])).toEqual(asOld(OLD_LENGTH, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads exactly what the old capacity pattern read', () => {
    fc.assert(
      fc.property(fc.oneof(suffixy, fc.string({ maxLength: 30 })), (text) => {
        expect(numberSuffix(text, ['/', 'per', 'a', 'x'], 'month')).toEqual(asOld(OLD_CAPACITY, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the documented examples', () => {
    expect(parseOfferText('archives: finding aids, 3/month').capacity).toBe('3');
    expect(parseOfferText('archives: finding aids (1 per month).').capacity).toBe('1');
    expect(parseOfferText('archives: finding aids, 2 A MONTH').details).toBe(' finding aids');
    expect(parseIntroText('metadata: What is it? (15 minutes).').length).toBe('15');
    expect(parseIntroText('metadata: What is it? 1234 min').length).toBe('234');
  });

  it('parses a comma flood in one pass: the scan looks at each character a bounded number of times', () => {
    // A structural bound instead of a timer: count character reads through a proxy string.
    let reads = 0;
    const n = 20_000;
    const raw = `,${','.repeat(n)}x`;
    const counting = new Proxy(Object(raw) as object, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        if (key === 'length') return raw.length;
        if (key === 'slice') return raw.slice.bind(raw);
        return Reflect.get(target, key) as unknown;
      },
    }) as unknown as string;
    expect(numberSuffix(counting, ['m', 'min'])).toBeNull();
    expect(reads).toBeLessThan(10);
    const floodMonth = `${','.repeat(n)}2/month`;
    expect(numberSuffix(floodMonth, ['/'], 'month')).toEqual({ index: 0, value: '2' });
  });
});

describe('the core refuses an over-long command before reading it', () => {
  it('names the limit', () => {
    expect(commandTextTooLong('x'.repeat(MAX_COMMAND_TEXT))).toBeNull();
    expect(commandTextTooLong('x'.repeat(MAX_COMMAND_TEXT + 1))).toMatch(/too long for one command .*at most 4,000/);
  });

  describe.each(testDatabases)('on $name', (testDb) => {
    const f = useHarness(testDb);

    it.each(['offer-help', 'intro-request', 'network', 'network-admin', 'interview-practice'])('/%s with 100,000 commas: a private explanation, nothing parsed or stored', async (name) => {
      const reply = await f.h.member('Flood').command(name, `topic:${','.repeat(100_000)}`);
      expect(textOf(reply)).toMatch(/too long for one command \(100,006 characters; at most 4,000\)/);
      // Rejected at the edge: not even the member row was created, so no handler ran.
      const members = await f.database.db.selectFrom('members').select('id').execute();
      expect(members).toEqual([]);
    });
  });
});
