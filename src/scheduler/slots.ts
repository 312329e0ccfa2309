import { DAY } from '../time.ts';
import { DateTime } from 'luxon';
import { WEEKDAYS, type CommunitySettings, type Weekday } from '../settings.ts';

/**
 * When a community's recurring jobs fall due. Slots are computed in the
 * community's own time zone, so a 9:00 Monday prompt stays at 9:00 local time
 * across daylight-saving changes (the UTC instant moves instead).
 */

export type Cadence = CommunitySettings['pairingCadence'];

export interface WeeklySchedule {
  day: Weekday;
  /** "HH:MM", local. */
  time: string;
  zone: string;
}

/** Week numbers counted from a Monday, so fortnights don't reset at New Year like ISO weeks. */
const EPOCH_MONDAY = DateTime.fromISO('1970-01-05', { zone: 'UTC' });

/** Weekly occurrences strictly after `from` and at or before `to`. */
export function weeklySlots(schedule: WeeklySchedule, from: Date, to: Date): Date[] {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const weekday = WEEKDAYS.indexOf(schedule.day) + 1;
  const out: Date[] = [];
  let day = DateTime.fromJSDate(from, { zone: schedule.zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone: schedule.zone }).startOf('day');
  while (day <= last) {
    if (day.weekday === weekday) {
      const at = day.set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
      if (at > from && at <= to) out.push(at);
    }
    day = day.plus({ days: 1 });
  }
  return out;
}

/** Keeps the slots a pairing cadence uses: every week, every other week, or the first of the month. */
export function cadenceSlots(cadence: Cadence, slots: Date[], zone: string): Date[] {
  switch (cadence) {
    case 'off':
      return [];
    case 'weekly':
      return slots;
    case 'biweekly':
      return slots.filter((s) => {
        const local = DateTime.fromJSDate(s, { zone });
        const days = Math.round(local.startOf('day').setZone('UTC', { keepLocalTime: true }).diff(EPOCH_MONDAY, 'days').days);
        return Math.floor(days / 7) % 2 === 0;
      });
    case 'monthly':
      return slots.filter((s) => DateTime.fromJSDate(s, { zone }).day <= 7);
  }
}

/** The first slot of a job after `after`, looking ahead up to `horizonDays`. */
export function nextSlot(slotsIn: (from: Date, to: Date) => Date[], after: Date, horizonDays = 70): Date | null {
  const to = new Date(after.getTime() + horizonDays * DAY);
  return slotsIn(after, to)[0] ?? null;
}
