import { actions, b, button, heading, list, mention, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy for the community rhythm: prompts, digests, rounds, reminders and reconnecting. */

export const RHYTHM_ACTIONS = {
  joinRounds: 'rounds.join',
  skipRound: 'rounds.skip',
  volunteer: 'digest.help',
} as const;

export const weeklyPrompt = (text: string): Message => message(heading('This week in Circulate'), p(text));

export interface DigestView {
  opportunities: { organisation: string; title: string }[];
  offers: { topic: string; name: string }[];
  asks: { id: string; ref: number; topic: string; name: string; lengthMinutes: number }[];
}

/** New offers and open asks, by topic and name only (no member text that could ping). */
export function digest(v: DigestView): Message {
  const blocks = [heading('Weekly digest')];
  if (v.offers.length) {
    blocks.push(p(b('New offers of help')), list(v.offers.map((o) => [o.name, ': ', o.topic])));
  }
  if (v.asks.length) {
    blocks.push(p(b('Open asks')), list(v.asks.map((a) => [`#${a.ref} `, a.name, ': ', a.topic, ` (${a.lengthMinutes} min)`])));
    blocks.push(p('Can you help? Press a button below and you will be introduced; the request already says what they want to learn.'));
    blocks.push(actions(...v.asks.slice(0, 5).map((a) => button(RHYTHM_ACTIONS.volunteer, `I can help with #${a.ref}`, a.id))));
  }
  if (v.opportunities.length) {
    blocks.push(p(b('Volunteer and committee openings')), list(v.opportunities.map((o) => [o.organisation, ': ', o.title])));
  }
  if (!v.offers.length && !v.asks.length && !v.opportunities.length) blocks.push(p('A quiet week. Offer help with /offer-help or ask with /intro-request.'));
  blocks.push(p('Offer help with /offer-help · ask for an intro with /intro-request · practise with /interview-practice'));
  return message(...blocks);
}

export const roundAnnouncement = (when: string): Message =>
  message(
    heading('Pairing round tomorrow'),
    p(`The next pairing round is ${when}. Everyone who joins is introduced to one or two people for a relaxed conversation.`),
    actions(button(RHYTHM_ACTIONS.joinRounds, 'Join pairing rounds', 'join', 'primary')),
  );

export const roundNotice = (slot: string, when: string): Message =>
  message(
    p(`Heads up: you are in tomorrow's pairing round (${when}). Nothing to do if you are happy to be paired.`),
    actions(button(RHYTHM_ACTIONS.skipRound, 'Skip this round', slot)),
  );

export const roundSkipped = (): Message => message(p('You will sit this round out. You stay opted in for the next one.'));
export const roundsJoined = (): Message => message(p('You have joined the pairing rounds. We will tell you the day before each one.'));
export const roundsLeft = (): Message => message(p('You have left the pairing rounds. Join again any time with /network rounds on.'));
export const roundsAlready = (on: boolean): Message => message(p(on ? 'You are already in the pairing rounds.' : 'You are not in the pairing rounds.'));

export function roundIntroduction(people: { platformUserId: string; name: string }[], why: string): Message {
  const names = people.map((x) => mention(x.platformUserId, x.name));
  const joined = names.flatMap((n, i) => (i === 0 ? [n] : [i === names.length - 1 ? ' and ' : ', ', n]));
  return message(
    heading('Your pairing for this round'),
    p(...joined, people.length > 2 ? ', you are this round\'s trio.' : ', you are paired this round.'),
    p(why),
    p('Find 20 to 30 minutes in the next two weeks. No agenda needed: your work, your path, what you are curious about.'),
  );
}

export const unplaced = (reason: string): Message =>
  message(p('We could not pair you this round: ', reason, ' You stay in for the next one.'));

export const checkinReminder = (otherNames: string, matchId: string, ids: { yes: string; notYet: string; no: string }): Message =>
  message(
    p('Checking once more: did you get to meet ', b(otherNames), '?'),
    actions(button(ids.yes, 'Yes', matchId, 'primary'), button(ids.notYet, 'Not yet', matchId), button(ids.no, "It didn't happen", matchId)),
  );

export const pausedForSilence = (): Message =>
  message(
    p('We have not heard back on your last few check-ins, so we have paused your pairing rounds. No problem at all: life gets busy.'),
    p('Join again whenever you like with /network rounds on.'),
  );

export const reconnectInvite = (): Message =>
  message(
    heading('Time to reconnect'),
    p('Networking is long-term. Try /network reconnect for a few people you have not talked to in a while, with a hello that asks for nothing.'),
  );

export interface ReconnectSuggestion {
  name: string;
  monthsAgo: number;
  topic: string | null;
  draft: string;
}

export const reconnectSuggestions = (rows: ReconnectSuggestion[]): Message =>
  rows.length === 0
    ? message(p('Nobody to reconnect with yet: your connections are all recent, or you have none so far. Check back in a few months.'))
    : message(
        heading('People you could reconnect with'),
        ...rows.flatMap((r) => [
          p(b(r.name), ` (last in touch about ${r.monthsAgo} months ago${r.topic ? `, about ${r.topic}` : ''})`),
          p('Draft: ', r.draft),
        ]),
        p('Send it your own way. There is nothing to ask for: just say hello.'),
      );

export const reconnectDraft = (name: string, topic: string | null): string =>
  topic
    ? `Hi ${name}, I was thinking about our conversation on ${topic} and wanted to say hello. I hope things are going well for you. No need to reply!`
    : `Hi ${name}, it has been a while and I wanted to say hello. I hope things are going well for you. No need to reply!`;

export const volunteered = (requesterName: string): Message =>
  message(p('Thank you! You are now introduced to ', b(requesterName), '. Look for the introduction message.'));
export const volunteerTooLate = (): Message => message(p('Someone already picked up that request. Thank you for offering!'));
export const volunteerOwn = (): Message => message(p('That is your own request, so you cannot volunteer for it.'));
export const takenByVolunteer = (): Message =>
  message(p('Another member volunteered for this request, so it no longer needs you. Thank you for considering it.'));
