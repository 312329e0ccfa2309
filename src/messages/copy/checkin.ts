import { actions, b, button, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy for after an introduction: did you meet, and always thank. */

export const CHECKIN_ACTIONS = {
  yes: 'checkin.yes',
  notYet: 'checkin.not_yet',
  no: 'checkin.no',
  thank: 'thanks.send',
} as const;
export const THANKS_FORM = 'thanks';

export const didYouMeet = (otherNames: string, matchId: string): Message =>
  message(
    p('Did you get to meet ', b(otherNames), '?'),
    actions(
      button(CHECKIN_ACTIONS.yes, 'Yes', matchId, 'primary'),
      button(CHECKIN_ACTIONS.notYet, 'Not yet', matchId),
      button(CHECKIN_ACTIONS.no, "It didn't happen", matchId),
    ),
  );

export const metReplyRequester = (helperName: string, matchId: string): Message =>
  message(
    p('Wonderful. A short thank-you to ', b(helperName), ' goes a long way, and we will pass it on.'),
    actions(button(CHECKIN_ACTIONS.thank, `Thank ${helperName}`.slice(0, 60), matchId, 'primary')),
  );

export const metReply = (): Message => message(p('Glad you met. Thanks for making time for each other.'));
export const notYetReply = (days: number): Message => message(p(`No rush. We will check in again in ${days} days.`));
export const didNotHappenReply = (): Message =>
  message(p('Thanks for telling us. Plans fall through; nobody is blamed. You can always ask again.'));
export const alreadyAnswered = (): Message => message(p('You already answered this check-in.'));

export const thanksReceived = (fromName: string, note: string): Message =>
  message(p(b(fromName), ' says thank you for your time:'), p(note));
export const thanksSent = (helperName: string): Message => message(p('Your thanks is on its way to ', b(helperName), '.'));
