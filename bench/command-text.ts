/**
 * Issue 12 item 6: how long one command's suffix parsing holds the event loop on a comma flood.
 * "before" runs the suffix pattern the parsers used (kept here as the reference); "after" runs
 * today's parsers. The core also refuses any command text over 4,000 characters before parsing.
 *   npx tsx bench/command-text.ts
 */
import { parseIntroText } from '../src/commands/intro-request.ts';
import { parseOfferText } from '../src/commands/offer-help.ts';

const OLD_CAPACITY = /[\s,;(]*(\d{1,3})\s*(?:\/|per|a|x)\s*month\)?\.?\s*$/i;
const OLD_LENGTH = /[\s,;(]*(\d{1,3})\s*(?:m|min|mins|minutes)\)?\.?\s*$/i;

function ms(f: () => unknown): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

console.log('commas     old offer ms  old intro ms  new offer ms  new intro ms');
for (const n of [10_000, 30_000, 100_000, ...(process.argv.includes('--big') ? [300_000] : [])]) {
  const text = `topic:${','.repeat(n)}x`;
  const row = [ms(() => OLD_CAPACITY.exec(text)), ms(() => OLD_LENGTH.exec(text)), ms(() => parseOfferText(text)), ms(() => parseIntroText(text))];
  console.log(`${String(n).padStart(7)} ${row.map((v) => v.toFixed(1).padStart(13)).join(' ')}`);
}
