import { b, heading, list, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy shared by every command: errors, usage and help. */

export const problem = (text: string, usage: string[] = []): Message =>
  message(p(b('Not quite.'), ' ', text), ...(usage.length ? [p('Usage:'), list(usage.map((u) => [u]))] : []));

export const unexpected = (): Message =>
  message(p('Something went wrong on our side and nothing was changed. Please try again in a moment.'));

/** The database cannot be written or reached (outage, deleted or read-only file): nothing was saved. */
export const temporarilyUnavailable = (): Message =>
  message(p('Circulate is temporarily unavailable; nothing was saved. Please try again in a few minutes.'));

export const moderatorsOnly = (): Message =>
  message(p('Only moderators can do that. Nothing was changed. If you think you should be one, ask a workspace or server admin.'));

export const removedMember = (): Message =>
  message(p('Your Circulate membership in this community has ended, so there is nothing to do here. Contact a moderator if you think this is a mistake.'));

export const helpFor = (commands: { name: string; summary: string; usage: string[] }[]): Message =>
  message(
    heading('Circulate: help each other grow in library work'),
    ...commands.flatMap((c) => [p(b(`/${c.name}`), `: ${c.summary}`), list(c.usage.map((u) => [u]))]),
    p('Every answer from Circulate is private to you unless it says otherwise. Moderators: /network-admin.'),
  );
