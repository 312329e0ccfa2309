import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/time.ts';
import { computeStats } from '../../src/flows/stats.ts';
import { plainText } from '../../src/messages/build.ts';
import { barColumns, barHeight, CHART } from '../../src/stats/chart.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness, useModerator } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';
import { readPng } from './png-reader.ts';

describe.each(testDatabases)('meetups and stats on $name', (testDb) => {
  const f = useHarness(testDb);
  const admin = useModerator(f);

  it('runs a meetup: RSVPs with a live count, two reminders, breakouts that respect blocks and the rematch window, the CSV, follow-ups', async () => {
    // The harness clock starts Monday 2 March 2026, 09:00 UTC.
    const names = ['Ann', 'Ben', 'Cat', 'Dee', 'Eve', 'Fay'];
    for (const n of names) await f.h.member(n).command('network', 'profile');
    // Ann blocks Ben; Cat and Dee met last week (inside the rematch window).
    await f.h.member('Ann').command('network', 'block @Ben');
    await f.h.member('Cat').command('offer-help', 'archives: processing and description');
    await f.h.member('Dee').command('intro-request', 'archives: How do you process a new collection? 20 min');
    await f.h.member('Cat').press('Accept');

    const created = await admin('meetup title="Spring meetup" start="2026-03-05 18:00" tz=Europe/London length=60 size=2');
    expect(textOf(created)).toContain('Meetup #1 is announced for Thursday 5 March 2026, 18:00 GMT');
    const announcement = f.h.port.deliveries.find((d) => plainText(d.message).startsWith('Meetup: Spring meetup'))!;
    expect(announcement.kind).toBe('channel');
    let latest = announcement.message;
    for (const n of names) {
      const reply = await f.h.member(n).press('Going');
      latest = reply.update!;
    }
    expect(plainText(latest)).toContain('6 going');
    const notGoing = await f.h.member('Fay').press('Not going');
    expect(plainText(notGoing.update!)).toContain('5 going');

    await f.h.advance(2 * DAY + 9 * HOUR); // Wed 18:00 UTC: 24 hours before
    for (const n of ['Ann', 'Ben', 'Cat', 'Dee', 'Eve']) expect(f.h.member(n).inbox().at(-1)).toContain('starts tomorrow');
    expect(f.h.member('Fay').inbox().some((t) => t.includes('starts tomorrow'))).toBe(false);
    await f.h.advance(23 * HOUR);
    for (const n of ['Ann', 'Ben', 'Cat', 'Dee', 'Eve']) expect(f.h.member(n).inbox().at(-1)).toContain('starts in an hour');
    await f.h.advance(HOUR);

    const groups = await f.database.db
      .selectFrom('match_participants as p')
      .innerJoin('matches as m', 'm.id', 'p.match_id')
      .innerJoin('members as mem', 'mem.id', 'p.member_id')
      .select(['m.id', 'mem.display_name'])
      .where('m.kind', '=', 'meetup')
      .execute();
    const byGroup = new Map<string, string[]>();
    for (const g of groups) byGroup.set(g.id, [...(byGroup.get(g.id) ?? []), g.display_name].sort());
    const sets = [...byGroup.values()];
    expect(sets.flat().sort()).toEqual(['Ann', 'Ben', 'Cat', 'Dee', 'Eve']);
    for (const s of sets) {
      expect(s.includes('Ann') && s.includes('Ben')).toBe(false);
      expect(s.includes('Cat') && s.includes('Dee')).toBe(false);
    }
    const toMod = f.h.port.to('mia').at(-1)!;
    expect(plainText(toMod.message)).toContain('Breakout groups: Spring meetup');
    const csv = Buffer.from(toMod.message.files![0]!.base64, 'base64').toString('utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('room,email,display_name');
    expect(lines.at(-1)).toBe('');
    const rooms = new Map<string, string[]>();
    for (const line of lines.slice(1, -1)) {
      const [room, email, name] = line.split(',');
      expect(room).toMatch(/^Room \d$/);
      expect(email).toBe(''); // the console shares no emails
      rooms.set(room!, [...(rooms.get(room!) ?? []), name!].sort());
    }
    expect([...rooms.values()].map((r) => r.join('+')).sort()).toEqual(sets.map((r) => r.join('+')).sort());
    expect([...rooms.keys()].sort()).toEqual(Array.from({ length: sets.length }, (_, i) => `Room ${i + 1}`));
    expect(toMod.message.files![0]!.name).toBe('meetup-1-breakout-rooms.csv');
    for (const n of ['Ann', 'Ben', 'Cat', 'Dee', 'Eve']) expect(f.h.member(n).inbox().at(-1)).toMatch(/Spring meetup is starting\. You are in Room \d/);

    await f.h.advance(HOUR);
    for (const n of ['Ann', 'Ben', 'Cat', 'Dee', 'Eve']) expect(f.h.member(n).inbox().at(-1)).toContain('Thanks for joining Spring meetup');
    // RSVPs close once it has started.
    expect(textOf(await f.h.member('Fay').press('Going'))).toContain('closed');
  });

  it('sends the stats with a 12-week PNG chart whose bars match the numbers', async () => {
    for (const n of ['Cat', 'Eli', 'Gus']) await f.h.member(n).command('offer-help', `archives: ${n} knows processing and description`);
    // Three weeks of activity: introductions, one meeting confirmed, one thanked.
    for (let week = 0; week < 3; week++) {
      for (let i = 0; i <= week; i++) {
        await f.h.member(`Asker${week}${i}`).command('intro-request', 'archives: How do you process a new collection? 20 min');
        const helper = ['cat', 'eli', 'gus'].find((id) => f.h.port.findButton(id, 'Accept'))!;
        await f.h.member(helper[0]!.toUpperCase() + helper.slice(1)).press('Accept');
      }
      await f.h.advance(7 * DAY);
    }
    await f.h.member('Asker00').press('Yes');
    const reply = await admin('stats');
    const stats = await computeStats(f.database.db, (await f.database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow()).id, f.h.clock.now());
    const text = textOf(reply);
    expect(text).toContain(`Introductions made: ${stats.introductionsMade}`);
    expect(stats.introductionsMade).toBe(6);
    expect(stats.accepted).toBe(6);
    expect(stats.met).toBe(1);
    const file = reply.reply!.files![0]!;
    expect(file.mimeType).toBe('image/png');
    const png = readPng(Buffer.from(file.base64, 'base64'));
    expect([png.width, png.height]).toEqual([CHART.width, CHART.height]);
    const max = Math.max(...stats.weeks.map((w) => Math.max(w.introductions, w.met)));
    const baseline = CHART.height - CHART.bottom - 1;
    const measure = (x: number, color: readonly number[]) => {
      let height = 0;
      while (height < baseline && png.pixel(x, baseline - height).slice(0, 3).every((v, i) => v === color[i])) height++;
      return height;
    };
    stats.weeks.forEach((w, i) => {
      const [a0, , b0] = barColumns(stats.weeks.length, i);
      expect(measure(a0 + 1, CHART.colors.introductions)).toBe(barHeight(w.introductions, max));
      expect(measure(b0 + 1, CHART.colors.met)).toBe(barHeight(w.met, max));
    });
    expect(stats.weeks.slice(-4).map((w) => w.introductions)).toEqual([1, 2, 3, 0]);
    const csv = await admin('export');
    const rows = Buffer.from(csv.reply!.files![0]!.base64, 'base64').toString('utf8').trim().split('\r\n');
    expect(rows[0]).toBe('week_start,introductions,accepted,met,thanked');
    expect(rows).toHaveLength(13);
  });
});
