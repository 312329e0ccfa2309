import { z } from 'zod';
import { findOfferByRef, listActiveOffers, createOffer, withdrawOffer } from '../db/offers.ts';
import { UserError } from '../errors.ts';
import * as copy from '../messages/copy/offer.ts';
import type { Form } from '../messages/model.ts';
import { fieldIssues, describeIssues, firstWord, memberText, numberSuffix } from './text.ts';
import type { FormHandler, HandlerContext, Invocation, Result } from '../handler.ts';
import type { CommandDefinition } from './types.ts';

/** `/offer-help`: offer help on a topic; `list`; `withdraw N`. Empty text opens the form. */

export const OFFER_FORM = 'offer-help';

export const offerSchema = z.object({
  topic: memberText('The topic', { min: 2, max: 80 }),
  details: memberText('The details', { min: 10, max: 1000, multiline: true }),
  capacity: z.coerce
    .number({ message: 'How often must be a number of conversations a month.' })
    .int('How often must be a whole number.')
    .min(1, 'How often must be at least 1 a month.')
    .max(10, 'How often can be at most 10 a month; quality over quantity.'),
});

/** "…, 2/month", "(3 per month)", "2 a month.": read by a linear backwards scan (see numberSuffix). */
const CAPACITY_UNITS = ['/', 'per', 'a', 'x'] as const;

/** "topic: details [N/month]" → raw fields for the schema. */
export function parseOfferText(text: string): { topic: string; details: string; capacity: string } {
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new UserError('invalid_input', 'Put a colon between the topic and the details, e.g. "cataloging: happy to walk people through RDA".');
  }
  let details = text.slice(colon + 1);
  let capacity = '2';
  const cap = numberSuffix(details, CAPACITY_UNITS, 'month');
  if (cap) {
    capacity = cap.value;
    details = details.slice(0, cap.index);
  }
  return { topic: text.slice(0, colon), details, capacity };
}

export function offerForm(): Form {
  return {
    formId: OFFER_FORM,
    title: 'Offer help',
    submitLabel: 'Offer',
    fields: [
      { name: 'topic', label: 'Topic', kind: 'short', required: true, maxLength: 80, placeholder: 'e.g. cataloging, cover letters' },
      {
        name: 'details',
        label: 'What you can help with',
        kind: 'long',
        required: true,
        minLength: 10,
        maxLength: 1000,
        placeholder: 'e.g. happy to walk new catalogers through RDA and MARC',
      },
      {
        name: 'capacity',
        label: 'How many conversations a month',
        kind: 'select',
        required: true,
        initial: '2',
        options: ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v })),
      },
    ],
  };
}

async function saveOffer(ctx: HandlerContext, inv: Invocation, raw: Record<string, string>): Promise<Result> {
  const parsed = offerSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
  const offer = await createOffer(
    ctx.db,
    inv.community.id,
    inv.member.id,
    { topic: parsed.data.topic, details: parsed.data.details, capacityPerMonth: parsed.data.capacity },
    inv.now,
  );
  return { reply: copy.offerSaved(offer.ref, offer.topic, offer.capacity_per_month) };
}

export const offerHelp: CommandDefinition = {
  name: 'offer-help',
  summary: 'offer help on a topic; someone who asks about it will be introduced only if you agree',
  usage: [
    '/offer-help (opens a form)',
    '/offer-help cataloging: happy to walk new catalogers through RDA and MARC, 2/month',
    '/offer-help list',
    '/offer-help withdraw 3',
  ],
  async run(ctx, inv, text) {
    const [word, rest] = firstWord(text);
    if (word === '') return { form: offerForm() };
    if (word === 'list' && rest === '') {
      const offers = await listActiveOffers(ctx.db, inv.community.id, inv.member.id);
      return { reply: copy.offerList(offers.map((o) => ({ ref: o.ref, topic: o.topic, details: o.details, capacity: o.capacity_per_month }))) };
    }
    if (word === 'withdraw') {
      const ref = Number(rest.replace(/^#/, ''));
      if (!Number.isInteger(ref) || ref <= 0) throw new UserError('invalid_input', 'Say which offer to withdraw by its number, e.g. /offer-help withdraw 3.');
      const offer = await findOfferByRef(ctx.db, inv.community.id, ref);
      if (!offer || offer.member_id !== inv.member.id || !offer.active) {
        throw new UserError('not_found', `You have no active offer #${ref}. See yours with /offer-help list.`);
      }
      await withdrawOffer(ctx.db, inv.community.id, offer.id, inv.now);
      return { reply: copy.offerWithdrawn(offer.ref, offer.topic) };
    }
    return saveOffer(ctx, inv, parseOfferText(text));
  },
};

export const offerFormHandler: FormHandler = {
  formId: OFFER_FORM,
  submit: (ctx, inv, values) => saveOffer(ctx, inv, values),
};
