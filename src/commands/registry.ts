import { z } from 'zod';
import { answerCheckin, sendThanks, thanksForm } from '../flows/checkin.ts';
import { acceptInvitation, declineInvitation, volunteerForRequest } from '../flows/intro.ts';
import { setRoundsOptIn, skipRound } from '../flows/rounds.ts';
import { feedbackForm, submitFeedback } from '../flows/practice.ts';
import { CHECKIN_ACTIONS, THANKS_FORM } from '../messages/copy/checkin.ts';
import { helpFor } from '../messages/copy/common.ts';
import { HOME_ACTIONS } from '../messages/copy/home.ts';
import { INTRO_ACTIONS } from '../messages/copy/intro.ts';
import { PRACTICE_ACTIONS, PRACTICE_FEEDBACK_FORM } from '../messages/copy/practice.ts';
import { RHYTHM_ACTIONS } from '../messages/copy/rhythm.ts';
import { UserError } from '../errors.ts';
import { meetupFormHandler, networkAdmin, setupFormHandler } from './network-admin.ts';
import { resolveReport } from '../flows/moderation.ts';
import { rsvp } from '../flows/meetups.ts';
import { deleteMyData } from '../flows/privacy.ts';
import { ADMIN_ACTIONS, deleteCancelled } from '../messages/copy/admin.ts';
import { interviewPractice, practiceForm, practiceFormHandler } from './interview-practice.ts';
import { introForm, introFormHandler, introRequest } from './intro-request.ts';
import { createNetworkCommand, profileForm, profileFormHandler } from './network.ts';
import { offerForm, offerFormHandler, offerHelp } from './offer-help.ts';
import { fieldIssues, describeIssues, memberText } from './text.ts';
import type { ActionHandler, FormHandler } from '../handler.ts';
import type { CommandDefinition } from './types.ts';

/**
 * Every command, form and button the core understands, each defined once. Adapters
 * read `commands` to register slash commands and route by name and action id.
 */

const memberCommands: CommandDefinition[] = [offerHelp, introRequest, interviewPractice];

const network = createNetworkCommand(() => helpFor(commands.filter((c) => !c.moderatorOnly)));

export const commands: readonly CommandDefinition[] = [...memberCommands, network, networkAdmin];

export const commandsByName: ReadonlyMap<string, CommandDefinition> = new Map(commands.map((c) => [c.name, c]));

const practiceFeedbackSchema = z.object({
  went_well: memberText('What went well', { max: 500, multiline: true }),
  to_practise: memberText('What to practise', { max: 500, multiline: true }),
});
const thanksSchema = z.object({ note: memberText('Your note', { max: 1000, multiline: true }) });

export const forms: ReadonlyMap<string, FormHandler> = new Map(
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

export const actionHandlers: ReadonlyMap<string, ActionHandler> = new Map(
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
