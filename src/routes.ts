import { z } from 'zod';
import { commands } from './commands/registry.ts';
import { practiceForm, practiceFormHandler } from './commands/interview-practice.ts';
import { introForm, introFormHandler } from './commands/intro-request.ts';
import { meetupFormHandler, setupFormHandler } from './commands/network-admin.ts';
import { profileForm, profileFormHandler } from './commands/network.ts';
import { offerForm, offerFormHandler } from './commands/offer-help.ts';
import { describeIssues, fieldIssues, memberText } from './commands/text.ts';
import type { Routes } from './core.ts';
import { UserError } from './errors.ts';
import { answerCheckin, expireCheckins, remindCheckins, sendCheckins, sendThanks, thanksForm, TIMER_CHECKIN_EXPIRE, TIMER_CHECKIN_REMINDER } from './flows/checkin.ts';
import { acceptInvitation, declineInvitation, expireInvitation, TIMER_CHECKIN, TIMER_RESPONSE_DUE, volunteerForRequest } from './flows/intro.ts';
import {
  followUpMeetup,
  remind,
  rsvp,
  startMeetup,
  TIMER_MEETUP_FOLLOW_UP,
  TIMER_MEETUP_REMIND_DAY,
  TIMER_MEETUP_REMIND_HOUR,
  TIMER_MEETUP_START,
} from './flows/meetups.ts';
import { resolveReport } from './flows/moderation.ts';
import { feedbackForm, promptFeedback, submitFeedback, TIMER_PRACTICE_FEEDBACK } from './flows/practice.ts';
import { deleteMyData } from './flows/privacy.ts';
import { setRoundsOptIn, skipRound } from './flows/rounds.ts';
import type { ActionHandler, FormHandler, TimerHandler } from './handler.ts';
import { ADMIN_ACTIONS, deleteCancelled } from './messages/copy/admin.ts';
import { CHECKIN_ACTIONS, THANKS_FORM } from './messages/copy/checkin.ts';
import { HOME_ACTIONS } from './messages/copy/home.ts';
import { INTRO_ACTIONS } from './messages/copy/intro.ts';
import { PRACTICE_ACTIONS, PRACTICE_FEEDBACK_FORM } from './messages/copy/practice.ts';
import { RHYTHM_ACTIONS } from './messages/copy/rhythm.ts';

/**
 * The routing tables, in one place beside the composition root (app.ts): which
 * handler runs for a command name, a form id, a button's action id and a durable
 * timer kind, bound from what commands/ and flows/ export. app.ts hands them to
 * the core (`new Core(..., routes)`); nothing else imports this module (an eslint
 * rule enforces it), so a reader follows an id from here to the flow that runs it.
 */

const commandsByName = new Map(commands.map((c) => [c.name, c]));

const practiceFeedbackSchema = z.object({
  went_well: memberText('What went well', { max: 500, multiline: true }),
  to_practise: memberText('What to practise', { max: 500, multiline: true }),
});
const thanksSchema = z.object({ note: memberText('Your note', { max: 1000, multiline: true }) });

const forms: ReadonlyMap<string, FormHandler> = new Map(
  [
    offerFormHandler,
    introFormHandler,
    { ...setupFormHandler, moderatorOnly: true },
    { ...meetupFormHandler, moderatorOnly: true },
    practiceFormHandler,
    profileFormHandler,
    {
      formId: THANKS_FORM,
      submit: async (ctx, inv, values, payload) => {
        const parsed = thanksSchema.safeParse(values);
        if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
        return sendThanks(ctx, inv, payload, parsed.data.note);
      },
    } satisfies FormHandler,
    {
      formId: PRACTICE_FEEDBACK_FORM,
      submit: async (ctx, inv, values, payload) => {
        const parsed = practiceFeedbackSchema.safeParse(values);
        if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
        return submitFeedback(ctx, inv, payload, { wentWell: parsed.data.went_well, toPractise: parsed.data.to_practise });
      },
    } satisfies FormHandler,
  ].map((f) => [f.formId, f]),
);

const actions: ReadonlyMap<string, ActionHandler> = new Map(
  (
    [
      { actionId: INTRO_ACTIONS.accept, run: (ctx, inv, payload) => acceptInvitation(ctx, inv, payload) },
      { actionId: INTRO_ACTIONS.decline, run: (ctx, inv, payload) => declineInvitation(ctx, inv, payload, false) },
      { actionId: INTRO_ACTIONS.notNow, run: (ctx, inv, payload) => declineInvitation(ctx, inv, payload, true) },
      { actionId: CHECKIN_ACTIONS.yes, run: (ctx, inv, payload) => answerCheckin(ctx, inv, payload, 'yes') },
      { actionId: CHECKIN_ACTIONS.notYet, run: (ctx, inv, payload) => answerCheckin(ctx, inv, payload, 'not_yet') },
      { actionId: CHECKIN_ACTIONS.no, run: (ctx, inv, payload) => answerCheckin(ctx, inv, payload, 'no') },
      { actionId: CHECKIN_ACTIONS.thank, run: async (_ctx, _inv, payload) => ({ form: thanksForm(payload) }) },
      { actionId: PRACTICE_ACTIONS.feedback, run: async (_ctx, _inv, payload) => ({ form: feedbackForm(payload) }) },
      { actionId: RHYTHM_ACTIONS.joinRounds, run: (ctx, inv) => setRoundsOptIn(ctx, inv, true) },
      { actionId: RHYTHM_ACTIONS.skipRound, run: (ctx, inv, payload) => skipRound(ctx, inv, payload) },
      { actionId: RHYTHM_ACTIONS.volunteer, run: (ctx, inv, payload) => volunteerForRequest(ctx, inv, payload) },
      {
        actionId: ADMIN_ACTIONS.resolveReport,
        moderatorOnly: true,
        // From the button, the list message itself is replaced; no separate reply.
        run: async (ctx, inv, payload) => ({ update: (await resolveReport(ctx, inv, payload, '')).update! }),
      },
      { actionId: ADMIN_ACTIONS.rsvpGoing, run: (ctx, inv, payload) => rsvp(ctx, inv, payload, true) },
      { actionId: ADMIN_ACTIONS.rsvpNotGoing, run: (ctx, inv, payload) => rsvp(ctx, inv, payload, false) },
      { actionId: ADMIN_ACTIONS.confirmDelete, run: (ctx, inv) => deleteMyData(ctx, inv) },
      { actionId: ADMIN_ACTIONS.cancelDelete, run: async () => ({ update: deleteCancelled() }) },
      { actionId: HOME_ACTIONS.offerHelp, run: async () => ({ form: offerForm() }) },
      { actionId: HOME_ACTIONS.introRequest, run: async () => ({ form: introForm() }) },
      { actionId: HOME_ACTIONS.practice, run: async () => ({ form: practiceForm() }) },
      { actionId: HOME_ACTIONS.editProfile, run: async (_ctx, inv) => ({ form: profileForm(inv.member) }) },
    ] satisfies ActionHandler[]
  ).map((a) => [a.actionId, a]),
);

/** What each durable timer kind does when it comes due. */
const timers: ReadonlyMap<string, TimerHandler> = new Map<string, TimerHandler>([
  [TIMER_RESPONSE_DUE, (ctx, community, matchId, now) => expireInvitation(ctx, community, matchId, now)],
  [TIMER_CHECKIN, (ctx, community, matchId, now) => sendCheckins(ctx, community, matchId, now)],
  [TIMER_CHECKIN_REMINDER, (ctx, community, matchId, now) => remindCheckins(ctx, community, matchId, now)],
  [TIMER_CHECKIN_EXPIRE, (ctx, community, matchId, now) => expireCheckins(ctx, community, matchId, now)],
  [TIMER_PRACTICE_FEEDBACK, (ctx, community, matchId) => promptFeedback(ctx, community, matchId)],
  [TIMER_MEETUP_REMIND_DAY, (ctx, community, meetupId) => remind(ctx, community, meetupId, 24)],
  [TIMER_MEETUP_REMIND_HOUR, (ctx, community, meetupId) => remind(ctx, community, meetupId, 1)],
  [TIMER_MEETUP_START, (ctx, community, meetupId, now) => startMeetup(ctx, community, meetupId, now)],
  [TIMER_MEETUP_FOLLOW_UP, (ctx, community, meetupId) => followUpMeetup(ctx, community, meetupId)],
]);

export const routes: Routes = { commands: commandsByName, forms, actions, timers };
