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
import { checkinRoutes, sendThanks } from './flows/checkin.ts';
import { introRoutes } from './flows/intro.ts';
import { meetupRoutes } from './flows/meetups.ts';
import { moderationRoutes } from './flows/moderation.ts';
import { practiceRoutes, submitFeedback } from './flows/practice.ts';
import { privacyRoutes } from './flows/privacy.ts';
import { roundsRoutes } from './flows/rounds.ts';
import type { ActionHandler, FlowRoutes, FormHandler } from './handler.ts';
import { THANKS_FORM } from './messages/copy/checkin.ts';
import { HOME_ACTIONS } from './messages/copy/home.ts';
import { PRACTICE_FEEDBACK_FORM } from './messages/copy/practice.ts';

/**
 * The routing tables, in one place beside the composition root (app.ts): which
 * handler runs for a command name, a form id, a button's action id and a durable
 * timer kind, composed from what commands/ and each flow export (a flow's
 * `...Routes`: its buttons and timers). app.ts hands them to
 * the core (`new Core(..., routes)`); nothing else imports this module (an eslint
 * rule enforces it), so a reader follows an id from here to the flow that runs it.
 */

const commandsByName = byId(
  commands.map((c) => [c.name, c]),
  'command',
);

const practiceFeedbackSchema = z.object({
  went_well: memberText('What went well', { max: 500, multiline: true }),
  to_practise: memberText('What to practise', { max: 500, multiline: true }),
});
const thanksSchema = z.object({ note: memberText('Your note', { max: 1000, multiline: true }) });

const forms = byId(
  (
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
    ] satisfies FormHandler[]
  ).map((f) => [f.formId, f]),
  'form',
);

/** Buttons that open a command's form (Slack's App Home); commands own those forms, so they are bound here. */
const homeActions: ActionHandler[] = [
  { actionId: HOME_ACTIONS.offerHelp, run: async () => ({ form: offerForm() }) },
  { actionId: HOME_ACTIONS.introRequest, run: async () => ({ form: introForm() }) },
  { actionId: HOME_ACTIONS.practice, run: async () => ({ form: practiceForm() }) },
  { actionId: HOME_ACTIONS.editProfile, run: async (_ctx, inv) => ({ form: profileForm(inv.member) }) },
];

/** Each flow's buttons and timer kinds, as the flow exports them. */
const flows: readonly FlowRoutes[] = [introRoutes, checkinRoutes, roundsRoutes, practiceRoutes, moderationRoutes, meetupRoutes, privacyRoutes];

/** A map by id that refuses two handlers for one id, so a route is never silently shadowed. */
function byId<T>(entries: Iterable<[string, T]>, what: string): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const [id, value] of entries) {
    if (map.has(id)) throw new Error(`two ${what} handlers for ${id}`);
    map.set(id, value);
  }
  return map;
}

const actions = byId(
  [...flows.flatMap((f) => f.actions ?? []), ...homeActions].map((a) => [a.actionId, a]),
  'button',
);
const timers = byId(
  flows.flatMap((f) => Object.entries(f.timers ?? {})),
  'timer',
);

export const routes: Routes = { commands: commandsByName, forms, actions, timers };
