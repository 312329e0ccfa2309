import { b, fields, heading, list, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy for /network: profile, pausing and past matches. */

export interface ProfileView {
  name: string;
  timeZone: string | null;
  careerStage: string | null;
  areas: string[];
  organisations: string[];
  availability: string[];
  bio: string;
  pausedUntil: string | null;
}

const orNone = (values: string[]): string => (values.length ? values.join(', ') : 'not set');

export const profile = (v: ProfileView): Message =>
  message(
    heading(`Profile: ${v.name}`),
    fields([
      ['Career stage', v.careerStage ?? 'not set'],
      ['Time zone', v.timeZone ?? 'not set'],
      ['Areas of work', orNone(v.areas)],
      ['Organisations', orNone(v.organisations)],
      ['Availability', orNone(v.availability)],
      ['About', v.bio || 'not set'],
    ]),
    ...(v.pausedUntil ? [p(b('Paused'), ` until ${v.pausedUntil.slice(0, 10)}. Resume with /network resume`)] : []),
    p('Edit with /network profile edit, or e.g. /network profile stage=early tz=America/Chicago areas="archives, metadata"'),
  );

export const profileUpdated = (changed: string[]): Message =>
  message(p('Profile updated: ', changed.join(', '), '. See it with /network profile'));

export const paused = (until: Date): Message =>
  message(
    p(`You are paused until ${until.toISOString().slice(0, 10)}. Nobody will be matched with you until then.`),
    p('Your open asks stay open. Resume early with /network resume'),
  );

export const resumed = (): Message => message(p('Welcome back! You can be matched again.'));
export const notPaused = (): Message => message(p('You are not paused, so there is nothing to resume.'));

export const matches = (rows: { kind: string; with: string; when: string; status: string; why: string }[]): Message =>
  rows.length === 0
    ? message(p('No matches yet. Try /offer-help, /intro-request or /interview-practice.'))
    : message(
        heading('Your recent matches'),
        list(rows.map((r) => [b(r.with), ` (${r.kind}, ${r.when.slice(0, 10)}${r.status === 'invited' ? ', awaiting an answer' : ''}): `, r.why])),
      );

export const dmRefused = (): Message =>
  message(
    p(
      'Heads up: we could not send you a direct message recently, probably because your DMs are closed. ',
      'Open direct messages from this server or workspace so introductions can reach you.',
    ),
  );
