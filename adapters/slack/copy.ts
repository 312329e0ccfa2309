import { b, message, type Message, p } from '../../src/index.ts';

/**
 * The few sentences only the Slack adapter says: transport problems the core
 * never sees. Kept apart from the logic, like the core's own copy.
 */

export const formDidNotOpen = (): Message =>
  message(p('Slack did not let us open the form in time. Please run the command again, or type the details after it (see /network help).'));

export const stillWorking = (): Message =>
  message(p('That took longer than Slack allows, so the form closed. Your answer is being saved; you will get a message here when it is done.'));

/** Ephemeral messages cannot carry files, so they go to the member's DM with the bot. */
export const filesSentToDm = (names: string[]): Message => message(p(b(names.join(', ')), ' sent to your DMs with Circulate.'));

export const filesNotSent = (names: string[]): Message =>
  message(p('Slack did not accept ', b(names.join(', ')), ', so it was not sent. Please run the command again in a minute.'));
