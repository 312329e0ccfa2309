import { b, type Form, list, message, type Message, p } from '../../src/index.ts';

/**
 * The few sentences only the Discord adapter says: platform situations the core
 * never sees (a form that cannot open after a deferral, a command used outside a
 * server). Everything about the product itself comes from the core's copy.
 */

/** A DM click or form naming a server the member is not in (a forged or stale button): nothing is done. */
export const notYourServer = (): Message =>
  message(p('This button belongs to a server you are not a member of, so nothing was done. Use Circulate from inside your own server.'));

/** Shown for a DM slash command: a community is a server. */
export const useInAServer = (): Message => message(p('Circulate works inside a server. Run this command from a channel there.'));

/** Discord modals cannot show errors beside fields, so the problems are listed instead. */
export const formProblems = (problems: { label: string; problem: string }[]): Message =>
  message(p(b('Not quite.'), ' Nothing was saved. Please run the command again and fix:'), list(problems.map((x) => [b(x.label), ': ', x.problem])));

/** The core answered with a form after the reply was already deferred; a modal can only be the first answer. */
export const formAfterDefer = (): Message => message(p('That took longer than expected, so the form could not open. Please run the command again.'));

/**
 * A form with more fields than a Discord modal holds (5): the command takes
 * them as options instead. Lists each option with its current value.
 */
export const formTooLarge = (form: Form, command: string | null): Message =>
  message(
    p(
      b(form.title),
      ` has ${form.fields.length} fields, more than a Discord form can hold, so nothing was opened and nothing changed. `,
      command ? b(command) : 'Run the command again',
      command ? ' takes them as options: type the command again and fill in the options you want to change; the rest stay as they are.' : ' and fill in its options.',
    ),
    list(form.fields.map((f) => [b(f.name), ` (${f.label})`, f.initial ? `: ${f.initial}` : ''])),
  );

/** A click or form we cannot route: an old message, or a custom id from elsewhere. */
export const unknownComponent = (): Message => message(p('That button or form is no longer supported. Please run the command again.'));

/** Trailer for content that had to be cut to fit Discord's limits. */
export const MORE = '…(more)';

/** Note for buttons that did not fit (more than 25, or an id too long for Discord). */
export const BUTTONS_OMITTED = '…(more options are not shown here)';

/** Note for files that could not be attached: more than 10, or over Discord's upload size. */
export const filesOmitted = (names: string[]): string => `…(not attached, over Discord's file limits: ${names.join(', ')})`;

/** Content for a message that would otherwise be empty (Discord refuses empty messages). */
export const EMPTY = 'Done.';
