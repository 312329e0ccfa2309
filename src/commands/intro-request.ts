import { z } from 'zod';
import { findMemberByName } from '../db/members.ts';
import { findRequestByRef, listOpenRequests } from '../db/requests.ts';
import { UserError } from '../errors.ts';
import { cancelIntro, createIntro } from '../flows/intro.ts';
import * as copy from '../messages/copy/intro.ts';
import type { Form } from '../messages/model.ts';
import { takeMemberRef } from './member-ref.ts';
import { fieldIssues, describeIssues, firstWord, memberText, numberSuffix } from './text.ts';
import type { FormHandler, HandlerContext, Invocation, Result } from '../handler.ts';
import type { CommandDefinition } from './types.ts';

/** `/intro-request`: ask for a short, specific informational interview; `list`; `cancel N`. */

export const INTRO_FORM = 'intro-request';

export const introSchema = z.object({
  topic: memberText('The topic', { min: 2, max: 80 }),
  questions: memberText('Your questions', { min: 15, max: 1000, multiline: true }).refine((q) => q.includes('?'), {
    message: 'Write the questions you want to ask, each ending with a question mark, so the helper knows exactly what you need.',
  }),
  length: z
    .string()
    .trim()
    .refine((v) => ['15', '20', '30'].includes(v), { message: 'The length must be 15, 20 or 30 minutes; informational interviews stay short.' })
    .transform((v) => Number(v) as 15 | 20 | 30),
});

/** "… 20 min", "(30 minutes).": read by a linear backwards scan (see numberSuffix). */
const LENGTH_UNITS = ['m', 'min', 'mins', 'minutes'] as const;

/** "topic: questions [20 min]" → raw fields; length defaults to 20 minutes. */
export function parseIntroText(text: string): { topic: string; questions: string; length: string } {
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new UserError('invalid_input', 'Put a colon between the topic and your questions, e.g. "archives: How did you move into archives? 20 min".');
  }
  let questions = text.slice(colon + 1);
  let length = '20';
  const len = numberSuffix(questions, LENGTH_UNITS);
  if (len) {
    length = len.value;
    questions = questions.slice(0, len.index);
  }
  return { topic: text.slice(0, colon), questions, length };
}

export function introForm(): Form {
  return {
    formId: INTRO_FORM,
    title: 'Informational interview',
    submitLabel: 'Send request',
    fields: [
      { name: 'topic', label: 'Topic', kind: 'short', required: true, maxLength: 80, placeholder: 'e.g. archives, school libraries' },
      {
        name: 'questions',
        label: 'What you want to learn',
        kind: 'long',
        required: true,
        minLength: 15,
        maxLength: 1000,
        placeholder: 'The questions you will ask, e.g. How did you move from public libraries into archives?',
      },
      {
        name: 'length',
        label: 'Length',
        kind: 'select',
        required: true,
        initial: '20',
        options: [15, 20, 30].map((m) => ({ value: String(m), label: `${m} minutes` })),
      },
      { name: 'member', label: 'Someone in particular? (optional)', kind: 'short', required: false, maxLength: 80 },
    ],
  };
}

async function submit(ctx: HandlerContext, inv: Invocation, raw: Record<string, string>, named: Awaited<ReturnType<typeof takeMemberRef>>['member']): Promise<Result> {
  const parsed = introSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
  return createIntro(ctx, inv, {
    topic: parsed.data.topic,
    questions: parsed.data.questions,
    lengthMinutes: parsed.data.length,
    namedMember: named,
  });
}

export const introRequest: CommandDefinition = {
  name: 'intro-request',
  summary: 'ask for a short informational interview; the helper sees your whole request before agreeing',
  usage: [
    '/intro-request (opens a form)',
    '/intro-request archives: How did you move from public libraries into archives? Which skills mattered most? 20 min',
    '/intro-request @Dana metadata: What does a metadata librarian do all day? 15 min',
    '/intro-request list',
    '/intro-request cancel 4',
  ],
  async run(ctx, inv, text) {
    const [word, rest] = firstWord(text);
    if (word === '') return { form: introForm() };
    if (word === 'list' && rest === '') {
      const open = await listOpenRequests(ctx.db, inv.community.id, { memberId: inv.member.id, kind: 'intro' });
      return { reply: copy.requestList(open.map((r) => ({ ref: r.ref, topic: r.topic, status: r.status, lengthMinutes: r.length_minutes }))) };
    }
    if (word === 'cancel') {
      const ref = Number(rest.replace(/^#/, ''));
      if (!Number.isInteger(ref) || ref <= 0) throw new UserError('invalid_input', 'Say which request to cancel by its number, e.g. /intro-request cancel 4.');
      const request = await findRequestByRef(ctx.db, inv.community.id, ref);
      if (!request) throw new UserError('not_found', `You have no intro request #${ref}. See yours with /intro-request list.`);
      return cancelIntro(ctx, inv, request);
    }
    const { member, rest: body } = await takeMemberRef(ctx.db, inv.community.id, text);
    return submit(ctx, inv, parseIntroText(body), member);
  },
};

export const introFormHandler: FormHandler = {
  formId: INTRO_FORM,
  async submit(ctx, inv, values) {
    const name = (values.member ?? '').trim().replace(/^@/, '');
    let named = null;
    if (name) {
      named = (await findMemberByName(ctx.db, inv.community.id, name)) ?? null;
      if (!named) throw new UserError('not_found', `Nobody called "${name}" has used Circulate here yet.`, { member: 'No member by that name.' });
    }
    return submit(ctx, inv, { topic: values.topic ?? '', questions: values.questions ?? '', length: values.length ?? '20' }, named);
  },
};
