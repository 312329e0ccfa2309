import type { RoleFocus } from '../../matching/types.ts';
import { actions, b, button, heading, i, list, mention, message, p } from '../build.ts';
import type { Message } from '../model.ts';
import { PRACTICE_QUESTIONS } from '../practice-questions.ts';

/** Copy for reciprocal interview practice: both halves, question sets, structured peer feedback. */

export const PRACTICE_ACTIONS = { feedback: 'practice.feedback' } as const;
export const PRACTICE_FEEDBACK_FORM = 'practice.feedback';

export const ROLE_LABELS: Record<RoleFocus, string> = {
  reference: 'reference and user services',
  academic: 'academic libraries',
  public: 'public libraries',
  school: 'school libraries',
  archives: 'archives and special collections',
  'technical-services': 'technical services and cataloguing',
  management: 'management and leadership',
};

interface Partner {
  platformUserId: string;
  name: string;
  roleFocus: RoleFocus;
}

/** The plan both partners get: two halves, each interviews the other, then feedback. */
export function practicePlan(a: Partner, b2: Partner, why: string): Message {
  const sets = a.roleFocus === b2.roleFocus ? [a] : [a, b2];
  return message(
    heading('Interview practice partners'),
    p(mention(a.platformUserId, a.name), ' and ', mention(b2.platformUserId, b2.name), ', you are practice partners.'),
    p(i(why)),
    p(b('The plan'), ' (about an hour):'),
    list([
      [`First half (25 min): ${a.name} interviews ${b2.name} for a role in ${ROLE_LABELS[b2.roleFocus]}.`],
      [`Second half (25 min): ${b2.name} interviews ${a.name} for a role in ${ROLE_LABELS[a.roleFocus]}.`],
      ['Last 10 minutes: feedback both ways. One thing that went well, one thing to practise.'],
    ]),
    ...sets.flatMap((s) => [
      p(b(`Questions for ${ROLE_LABELS[s.roleFocus]}`)),
      list(PRACTICE_QUESTIONS[s.roleFocus].map((q) => [q])),
    ]),
    p('Agree a time here. A few days after, we will ask each of you for short feedback for the other.'),
  );
}

export const joinedPool = (roleFocus: RoleFocus): Message =>
  message(
    p('You are in the practice pool for ', b(ROLE_LABELS[roleFocus]), '.'),
    p('We pair you as soon as a compatible partner joins, and tell you both privately. Leave any time with /interview-practice leave.'),
  );

export const pairedNow = (partnerName: string): Message =>
  message(p('You are paired with ', b(partnerName), ' for interview practice. The plan is in your conversation.'));

export const alreadyInPool = (): Message =>
  message(p('You are already in the practice pool. Leave with /interview-practice leave, then join again to change your focus.'));

export const leftPool = (): Message => message(p('You have left the practice pool. Come back any time.'));

export const notInPool = (): Message => message(p('You are not in the practice pool, so there is nothing to leave.'));

export const feedbackPrompt = (partnerName: string, matchId: string): Message =>
  message(
    p('How did interview practice with ', b(partnerName), ' go?'),
    p('Two short answers help them most: one thing that went well, and one thing to practise.'),
    actions(button(PRACTICE_ACTIONS.feedback, 'Give feedback', matchId, 'primary')),
  );

export const feedbackReceived = (fromName: string, wentWell: string, toPractise: string): Message =>
  message(
    p(b(fromName), ' left you practice feedback:'),
    list([
      ['Went well: ', wentWell],
      ['To practise: ', toPractise],
    ]),
  );

export const feedbackThanks = (): Message => message(p('Thanks! Your feedback is on its way to your partner.'));
export const feedbackAlreadyGiven = (): Message => message(p('You already sent feedback for this session.'));
