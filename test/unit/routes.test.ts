import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/registry.ts';
import { TIMER_CHECKIN_EXPIRE, TIMER_CHECKIN_REMINDER } from '../../src/flows/checkin.ts';
import { TIMER_CHECKIN, TIMER_RESPONSE_DUE } from '../../src/flows/intro.ts';
import { TIMER_MEETUP_FOLLOW_UP, TIMER_MEETUP_REMIND_DAY, TIMER_MEETUP_REMIND_HOUR, TIMER_MEETUP_START } from '../../src/flows/meetups.ts';
import { TIMER_PRACTICE_FEEDBACK } from '../../src/flows/practice.ts';
import { ADMIN_ACTIONS } from '../../src/messages/copy/admin.ts';
import { CHECKIN_ACTIONS, THANKS_FORM } from '../../src/messages/copy/checkin.ts';
import { HOME_ACTIONS } from '../../src/messages/copy/home.ts';
import { INTRO_ACTIONS } from '../../src/messages/copy/intro.ts';
import { PRACTICE_ACTIONS, PRACTICE_FEEDBACK_FORM } from '../../src/messages/copy/practice.ts';
import { RHYTHM_ACTIONS } from '../../src/messages/copy/rhythm.ts';
import { routes } from '../../src/routes.ts';

/**
 * The routing tables are composed from what each flow exports (src/routes.ts).
 * Every button id the copy can put on a message, every timer kind a flow can
 * schedule and every command must have exactly one route: a button whose flow
 * forgot to export it would otherwise answer "unexpected" only in production.
 */
describe('routes', () => {
  it('routes every button the copy defines, and nothing else', () => {
    const buttons = [ADMIN_ACTIONS, CHECKIN_ACTIONS, HOME_ACTIONS, INTRO_ACTIONS, PRACTICE_ACTIONS, RHYTHM_ACTIONS].flatMap((ids) => Object.values(ids));
    expect([...routes.actions.keys()].sort()).toEqual([...buttons].sort());
  });

  it('routes every durable timer kind the flows schedule, and nothing else', () => {
    const kinds = [
      TIMER_RESPONSE_DUE,
      TIMER_CHECKIN,
      TIMER_CHECKIN_REMINDER,
      TIMER_CHECKIN_EXPIRE,
      TIMER_PRACTICE_FEEDBACK,
      TIMER_MEETUP_REMIND_DAY,
      TIMER_MEETUP_REMIND_HOUR,
      TIMER_MEETUP_START,
      TIMER_MEETUP_FOLLOW_UP,
    ];
    expect([...routes.timers.keys()].sort()).toEqual([...kinds].sort());
  });

  it('routes every command by name, and the forms that only flows submit', () => {
    expect([...routes.commands.keys()].sort()).toEqual(commands.map((c) => c.name).sort());
    expect(routes.forms.has(THANKS_FORM)).toBe(true);
    expect(routes.forms.has(PRACTICE_FEEDBACK_FORM)).toBe(true);
  });

  it('keeps moderator-only buttons moderator-only', () => {
    expect(routes.actions.get(ADMIN_ACTIONS.resolveReport)?.moderatorOnly).toBe(true);
    expect(routes.actions.get(INTRO_ACTIONS.accept)?.moderatorOnly).toBeFalsy();
  });
});
