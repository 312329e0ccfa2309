import { b, heading, message, p } from '../build.ts';
import type { Message } from '../model.ts';

/** Copy for /offer-help: giving first is a first-class act (DESIGN.md §1). */

export const offerSaved = (ref: number, topic: string, capacity: number): Message =>
  message(
    p(`Thank you! Offer #${ref} is live: `, b(topic), `, up to ${capacity} ${capacity === 1 ? 'conversation' : 'conversations'} a month.`),
    p('When someone asks about it we will show you their whole request first; you can always say no.'),
  );

export const offerList = (rows: { ref: number; topic: string; details: string; capacity: number }[]): Message =>
  rows.length === 0
    ? message(p('You have no active offers. Add one with /offer-help topic: what you can help with'))
    : message(
        heading('Your offers'),
        ...rows.map((r) => p(`#${r.ref} `, b(r.topic), ` (${r.capacity}/month): `, r.details)),
        p('Withdraw one with /offer-help withdraw N'),
      );

export const offerWithdrawn = (ref: number, topic: string): Message =>
  message(p(`Offer #${ref} (`, b(topic), ') is withdrawn. Thanks for the help you gave.'));
