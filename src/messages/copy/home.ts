import { actions, b, button, divider, heading, list, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy for a member's home (Slack App Home; a summary elsewhere). */

export const HOME_ACTIONS = {
  offerHelp: 'home.offer_help',
  introRequest: 'home.intro_request',
  practice: 'home.practice',
  editProfile: 'home.edit_profile',
} as const;

export interface HomeView {
  name: string;
  careerStage: string | null;
  areas: string[];
  offers: { ref: number; topic: string; capacity: number }[];
  asks: { ref: number; topic: string; kind: string }[];
  matches: { with: string; kind: string; when: string }[];
  pausedUntil: string | null;
}

export function home(v: HomeView): Message {
  return message(
    heading(`Welcome, ${v.name}`),
    p('Circulate introduces library people who can help each other: one short, specific conversation at a time.'),
    ...(v.pausedUntil ? [p(b('Paused'), ` until ${v.pausedUntil.slice(0, 10)}.`)] : []),
    p(b('Profile: '), v.careerStage ?? 'career stage not set', ' · ', v.areas.length ? v.areas.join(', ') : 'no areas yet'),
    divider(),
    p(b('Your offers')),
    v.offers.length ? list(v.offers.map((o) => [`#${o.ref} `, o.topic, ` (${o.capacity}/month)`])) : p('None yet. Giving first is the best way in.'),
    p(b('Your open asks')),
    v.asks.length ? list(v.asks.map((a) => [`#${a.ref} `, a.topic, a.kind === 'practice' ? ' (practice pool)' : ''])) : p('None open.'),
    p(b('Recent matches')),
    v.matches.length ? list(v.matches.map((m) => [m.with, ` (${m.kind}, ${m.when.slice(0, 10)})`])) : p('No matches yet.'),
    actions(
      button(HOME_ACTIONS.offerHelp, 'Offer help', 'home', 'primary'),
      button(HOME_ACTIONS.introRequest, 'Ask for an intro', 'home'),
      button(HOME_ACTIONS.practice, 'Practise interviews', 'home'),
      button(HOME_ACTIONS.editProfile, 'Edit profile', 'home'),
    ),
  );
}
