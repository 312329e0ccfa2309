import { actions, b, button, fields, heading, i, mention, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy for the informational-interview flow (DESIGN.md §1: specific, short, no bait and switch). */

export interface IntroView {
  ref: number;
  topic: string;
  questions: string;
  lengthMinutes: number;
  requester: { platformUserId: string; name: string };
  helper: { platformUserId: string; name: string };
  why: string;
}

export const INTRO_ACTIONS = {
  accept: 'intro.accept',
  decline: 'intro.decline',
  notNow: 'intro.not_now',
} as const;

const NOT_A_JOB_INTERVIEW =
  'This is an informational conversation: not a job interview, and not free consulting. Keep to the agreed length.';

/** The private invitation a helper sees, with the whole request, before agreeing. */
export function invitation(v: IntroView, matchId: string): Message {
  return message(
    heading('Would you take an informational interview?'),
    p(b(v.requester.name), ` would like a ${v.lengthMinutes}-minute conversation about `, b(v.topic), '.'),
    fields([
      ['Topic', v.topic],
      ['What they want to learn', v.questions],
      ['Length', `${v.lengthMinutes} minutes`],
    ]),
    p(i('Why you: ', v.why)),
    p(NOT_A_JOB_INTERVIEW, ' Saying no is fine; no reason needed.'),
    actions(
      button(INTRO_ACTIONS.accept, 'Accept', matchId, 'primary'),
      button(INTRO_ACTIONS.decline, 'Decline', matchId),
      button(INTRO_ACTIONS.notNow, 'Not now', matchId),
    ),
  );
}

/** The one introduction both members receive, restating what was agreed. */
export function introduction(v: IntroView): Message {
  return message(
    heading('Introduction'),
    p(
      mention(v.requester.platformUserId, v.requester.name),
      ', meet ',
      mention(v.helper.platformUserId, v.helper.name),
      `, who agreed to a ${v.lengthMinutes}-minute informational interview about `,
      b(v.topic),
      '.',
    ),
    fields([
      ['Topic', v.topic],
      ['Questions', v.questions],
      ['Length', `${v.lengthMinutes} minutes`],
    ]),
    p(i(`Why we suggested ${v.helper.name} to ${v.requester.name}: `, v.why)),
    p(NOT_A_JOB_INTERVIEW),
    p(v.requester.name, ', please suggest two or three times that suit ', v.helper.name, ', and say thank you afterwards.'),
  );
}

export const invitationAccepted = (v: IntroView): Message =>
  message(p('You accepted ', b(v.requester.name), `'s request about `, b(v.topic), '. The introduction is on its way. Thank you!'));

export const invitationDeclined = (requesterName: string, notNow: boolean): Message =>
  message(
    p(
      notNow
        ? 'No problem: not now is a fine answer. '
        : 'Thanks for letting us know. ',
      'We will ask someone else; ',
      requesterName,
      ' will not be told who said no.',
    ),
  );

export const invitationExpiredNote = (): Message =>
  message(p('This request has moved on to someone else after a few quiet days. No harm done: thanks for being open to helping.'));

export const invitationAlreadyAnswered = (): Message =>
  message(p('This request has already been answered or has moved on, so nothing changed.'));

export const invitationCancelled = (requesterName: string, topic: string): Message =>
  message(p(requesterName, ' no longer needs the conversation about ', b(topic), '. Thanks for considering it.'));

export const requestSent = (ref: number, topic: string, lengthMinutes: number): Message =>
  message(
    p(`Request #${ref} is out: a ${lengthMinutes}-minute conversation about `, b(topic), '.'),
    p('We ask one person at a time and give each a few days. You will hear as soon as someone says yes.'),
  );

/**
 * Nobody was asked: the requester is told which case it is (issue 14, finding 5), never who.
 * 'nobody-offers': no member's offers or profile relate to the ask; 'all-busy': some do, but
 * each met the requester recently, is at their monthly limit, or is taking a break.
 */
export const requestNobodyYet = (ref: number, topic: string, why: 'nobody-offers' | 'all-busy'): Message =>
  message(
    why === 'nobody-offers'
      ? p(`Request #${ref} about `, b(topic), ' is saved. Nobody here offers help with this yet.')
      : p(
          `Request #${ref} about `,
          b(topic),
          ' is saved. Some people here do offer help with this, but right now each of them has met you recently, ',
          'is at their limit for the month, or is taking a break, so we are not asking them.',
        ),
    p('It stays open and will appear in the weekly digest, where the right person may spot it.'),
  );

/** Silence is not rejection: the requester is told kindly, with no blame. */
export const requestExhausted = (ref: number, topic: string): Message =>
  message(
    p(`An update on request #${ref} about `, b(topic), ': the people we asked could not take it on right now.'),
    p(
      'That is about their schedules, not about you. Your request stays open and will be in the weekly digest. ',
      'Meanwhile, offering help yourself with /offer-help is a great way to meet people.',
    ),
  );

export const requestCancelled = (ref: number): Message => message(p(`Request #${ref} is cancelled. Anyone we had asked has been told kindly.`));

export const requestList = (rows: { ref: number; topic: string; status: string; lengthMinutes: number | null }[]): Message =>
  rows.length === 0
    ? message(p('You have no open intro requests. Start one with /intro-request topic: your questions, 20 min'))
    : message(
        heading('Your open requests'),
        ...rows.map((r) => p(`#${r.ref} `, b(r.topic), ` (${r.lengthMinutes ?? 20} min): ${r.status === 'waiting' ? 'waiting for the right person' : 'being offered around'}`)),
      );

/** Why the helper was asked, addressed to the helper (the requester sees the engine's own explanation). */
export const whyYou = {
  named: (requesterName: string): string => `${requesterName} asked for you by name.`,
  /** `matched`: the topics or words the offer and the ask share, e.g. "archives and special collections". */
  offer: (offerTopic: string, requesterName: string, topic: string, matched = ''): string =>
    `you offered help with ${offerTopic}, and ${requesterName} is asking about ${topic}${matched ? ` (matched: ${matched})` : ''}.`,
  area: (area: string, requesterName: string, topic: string, matched = ''): string =>
    `you work in ${area}, and ${requesterName} is asking about ${topic}${matched ? ` (matched: ${matched})` : ''}.`,
  general: (requesterName: string, topic: string): string => `your experience is close to what ${requesterName} is asking about (${topic}).`,
};

/** "Ann", "Ann and Ben", "Ann, Ben and Cy". */
const names = (list: string[]): string => (list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`);

/** Posted in a conversation opened without members who have left the server or workspace. */
export const membersLeftNote = (left: string[]): Message =>
  message(p(`${names(left)} could not be added to this conversation: they have left the community. The rest of you are still introduced.`));

/** Sent privately instead of a conversation when everyone else in the group has left. */
export const introPartnersLeft = (left: string[]): Message =>
  message(
    p(
      `We were about to introduce you to ${names(left)}, but they have left the community, so there is no conversation this time. `,
      'Nothing else changes for you.',
    ),
  );
