import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { cadenceSlots, weeklySlots } from '../../src/scheduler/slots.ts';

const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-LL-dd HH:mm');

describe('weekly slots across daylight-saving changes', () => {
  it.each([
    ['America/New_York', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z', ['13:00', '13:00', '13:00', '13:00', '13:00'].length],
    ['Europe/London', '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z', 3],
  ])('keeps Monday 09:00 local in %s', (zone, from, to, count) => {
    const slots = weeklySlots({ day: 'monday', time: '09:00', zone }, new Date(from), new Date(to));
    expect(slots).toHaveLength(count);
    for (const s of slots) expect(local(s, zone)).toMatch(/^Mon \d{4}-\d\d-\d\d 09:00$/);
  });

  it('moves the UTC instant by an hour when the clocks change', () => {
    const ny = weeklySlots({ day: 'monday', time: '09:00', zone: 'America/New_York' }, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-17T00:00:00Z'));
    // US clocks go forward on 8 March 2026.
    expect(ny.map((d) => d.toISOString())).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z']);
    const london = weeklySlots({ day: 'monday', time: '09:00', zone: 'Europe/London' }, new Date('2026-03-20T00:00:00Z'), new Date('2026-04-01T00:00:00Z'));
    // UK clocks go forward on 29 March 2026.
    expect(london.map((d) => d.toISOString())).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z']);
  });

  it('is exclusive of the start and inclusive of the end', () => {
    const at = new Date('2026-03-02T09:00:00Z');
    expect(weeklySlots({ day: 'monday', time: '09:00', zone: 'UTC' }, at, at)).toEqual([]);
    expect(weeklySlots({ day: 'monday', time: '09:00', zone: 'UTC' }, new Date(at.getTime() - 1), at)).toEqual([at]);
  });

  it('keeps every other week for a fortnightly cadence, across New Year', () => {
    const slots = weeklySlots({ day: 'monday', time: '09:00', zone: 'UTC' }, new Date('2026-12-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'));
    const fortnightly = cadenceSlots('biweekly', slots, 'UTC');
    for (let i = 1; i < fortnightly.length; i++) expect(fortnightly[i]!.getTime() - fortnightly[i - 1]!.getTime()).toBe(14 * 86_400_000);
    expect(cadenceSlots('monthly', slots, 'UTC').map((d) => d.getUTCDate())).toEqual([7, 4]);
    expect(cadenceSlots('off', slots, 'UTC')).toEqual([]);
  });
});
