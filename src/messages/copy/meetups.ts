import { actions, b, button, heading, link, list, mention, message, p } from '../build.ts';
import type { Message, MessageFile } from '../model.ts';
import { ADMIN_ACTIONS } from './admin.ts';

/** Copy for virtual meetups: the announcement with RSVPs, reminders, breakouts and follow-ups. */

export interface MeetupView {
  id: string;
  ref: number;
  title: string;
  when: string;
  lengthMinutes: number;
  videoLink: string | null;
  going: number;
}

export function announcement(v: MeetupView): Message {
  return message(
    heading(`Meetup: ${v.title}`),
    p(b('When: '), v.when, ` (${v.lengthMinutes} minutes)`),
    ...(v.videoLink ? [p(b('Where: '), link(v.videoLink, 'video call'))] : []),
    p(`${v.going} going. Breakout groups are made at the start by the same matcher as introductions.`),
    actions(button(ADMIN_ACTIONS.rsvpGoing, 'Going', v.id, 'primary'), button(ADMIN_ACTIONS.rsvpNotGoing, 'Not going', v.id)),
  );
}

export const created = (ref: number, when: string): Message => message(p(`Meetup #${ref} is announced for ${when}. Reminders go to those going 24 hours and 1 hour before.`));

export const reminder = (title: string, when: string, videoLink: string | null, hours: number): Message =>
  message(p(`Reminder: `, b(title), ` starts ${hours === 1 ? 'in an hour' : 'tomorrow'} (${when}).`), ...(videoLink ? [p(link(videoLink, 'Join the video call'))] : []));

export const yourGroup = (title: string, room: string, others: { platformUserId: string; name: string }[]): Message =>
  message(
    p(b(title), ` is starting. You are in `, b(room), ' with ', ...others.flatMap((o, i) => [i ? ', ' : '', mention(o.platformUserId, o.name)]), '.'),
  );

export const groupsForModerator = (
  title: string,
  rooms: { room: string; names: string[] }[],
  unassigned: { name: string; reason: string }[],
  files: MessageFile[],
): Message => ({
  ...message(
    heading(`Breakout groups: ${title}`),
    list(rooms.map((r) => [b(r.room), ': ', r.names.join(', ')])),
    ...(unassigned.length
      ? [p(b('Please seat by hand'), ' (no group fitted without breaking a matching rule):'), list(unassigned.map((u) => [u.name, ': ', u.reason]))]
      : []),
    p('The attached CSV pre-assigns breakout rooms: room, email (where shared), display name.'),
  ),
  files,
});

export const hostWillSeat = (title: string): Message =>
  message(p(b(title), ' is starting. The host will put you in a breakout room in a moment; welcome!'));

export const nobodyGoing = (title: string): Message => message(p(b(title), ' started with fewer than two people going, so there are no breakout groups.'));

export const followUp = (title: string, others: string[]): Message =>
  message(p('Thanks for joining ', b(title), '! If you enjoyed talking with ', others.join(', '), ', a short follow-up message keeps the connection going.'));
