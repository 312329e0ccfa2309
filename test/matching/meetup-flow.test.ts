/**
 * Issue 14, finding 2, through the real meetup flow on the console: people who met
 * inside the rematch window still get a breakout room (before: no rooms at all, every
 * CSV row "Unassigned", each told "the host will put you in a breakout room").
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/time.ts';
import { plainText } from '../../src/messages/build.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness, useModerator } from '../support/fixture.ts';

describe.each(testDatabases)('meetup breakouts through the flow on $name', (testDb) => {
  const f = useHarness(testDb);
  const admin = useModerator(f);

  it.each([2, 3])('two going who met last week get one room together at size %i, and nobody is unassigned', async (size) => {
    for (const n of ['Cat', 'Dee']) await f.h.member(n).command('network', 'profile');
    // Cat and Dee met last week (an accepted introduction: inside the rematch window).
    await f.h.member('Cat').command('offer-help', 'archives: processing and description');
    await f.h.member('Dee').command('intro-request', 'archives: How do you process a new collection? 20 min');
    await f.h.member('Cat').press('Accept');
    await admin(`meetup title="Spring meetup" start="2026-03-05 18:00" tz=Europe/London length=60 size=${size}`);
    for (const n of ['Cat', 'Dee']) await f.h.member(n).press('Going');
    await f.h.advance(2 * DAY + 9 * HOUR);
    await f.h.advance(23 * HOUR);
    await f.h.advance(HOUR);

    const toMod = f.h.port.to('mia').at(-1)!;
    expect(plainText(toMod.message)).toContain('Breakout groups: Spring meetup');
    const csv = Buffer.from(toMod.message.files![0]!.base64, 'base64').toString('utf8');
    const rows = csv.split('\r\n').slice(1, -1).map((l) => l.split(','));
    expect(rows.map((r) => `${r[0]} ${r[2]}`).sort()).toEqual(['Room 1 Cat', 'Room 1 Dee']);
    expect(csv).not.toContain('Unassigned');
    for (const n of ['Cat', 'Dee']) expect(f.h.member(n).inbox().at(-1)).toMatch(/Spring meetup is starting\. You are in Room 1/);
  });
});
