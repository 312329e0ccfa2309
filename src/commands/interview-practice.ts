import { UserError } from '../errors.ts';
import { joinPool, leavePool, type PracticeArgs } from '../flows/practice.ts';
import { CAREER_STAGES, ROLE_FOCUSES, type AvailabilitySlot } from '../matching/types.ts';
import { ROLE_LABELS } from '../messages/copy/practice.ts';
import type { Form } from '../messages/model.ts';
import { firstWord } from './text.ts';
import type { FormHandler } from '../handler.ts';
import type { CommandDefinition } from './types.ts';
import { AVAILABILITY_WORDS, availabilityOf, careerStageOf, ROLE_WORDS, roleFocusOf, STAGE_WORDS } from './vocab.ts';

/** `/interview-practice`: join the pool for a reciprocal mock interview; `leave`. */

export const PRACTICE_FORM = 'interview-practice';

/** "<role focus> [level] [availability…]" → validated arguments, naming any word it did not understand. */
export function parsePracticeWords(words: string[]): PracticeArgs {
  const [roleWord, ...rest] = words;
  const roleFocus = roleWord ? roleFocusOf(roleWord) : null;
  if (!roleFocus) {
    throw new UserError('invalid_input', `${roleWord ? `"${roleWord}" is not a role focus I know. ` : ''}Choose one of: ${ROLE_WORDS}.`, {
      role: `Choose one of: ${ROLE_WORDS}.`,
    });
  }
  let level: PracticeArgs['level'] = null;
  const availability = new Set<AvailabilitySlot>();
  for (const word of rest) {
    const stage = careerStageOf(word);
    if (stage && !level) {
      level = stage;
      continue;
    }
    const slots = availabilityOf(word);
    if (slots) {
      slots.forEach((s) => availability.add(s));
      continue;
    }
    throw new UserError(
      'invalid_input',
      `"${word.slice(0, 40)}" is neither a level (${STAGE_WORDS}) nor an availability (${AVAILABILITY_WORDS}).`,
    );
  }
  return { roleFocus, level, availability: [...availability].sort() };
}

export function practiceForm(): Form {
  return {
    formId: PRACTICE_FORM,
    title: 'Interview practice',
    submitLabel: 'Join the pool',
    fields: [
      {
        name: 'role',
        label: 'Role focus',
        kind: 'select',
        required: true,
        options: ROLE_FOCUSES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
      },
      {
        name: 'level',
        label: 'Your level',
        kind: 'select',
        required: false,
        options: CAREER_STAGES.map((s) => ({ value: s, label: s })),
      },
      {
        name: 'availability',
        label: 'When you are free',
        kind: 'short',
        required: false,
        maxLength: 200,
        placeholder: 'e.g. weekday-evenings weekends (blank = flexible)',
      },
    ],
  };
}

export const interviewPractice: CommandDefinition = {
  name: 'interview-practice',
  summary: 'find a partner for reciprocal mock interviews: each of you interviews the other',
  usage: [
    '/interview-practice (opens a form)',
    '/interview-practice academic',
    '/interview-practice archives early weekday-evenings weekends',
    '/interview-practice leave',
    `Role focus: ${ROLE_WORDS}`,
  ],
  async run(ctx, inv, text) {
    const [word, rest] = firstWord(text);
    if (word === '') return { form: practiceForm() };
    if (word === 'leave' && rest === '') return leavePool(ctx, inv);
    return joinPool(ctx, inv, parsePracticeWords(text.trim().split(/[\s,]+/)));
  },
};

export const practiceFormHandler: FormHandler = {
  formId: PRACTICE_FORM,
  submit(ctx, inv, values) {
    const words = [values.role ?? '', values.level ?? '', ...(values.availability ?? '').split(/[\s,]+/)].filter(Boolean);
    return joinPool(ctx, inv, parsePracticeWords(words));
  },
};
