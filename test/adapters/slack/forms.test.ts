import { describe, expect, test } from 'vitest';
import { errorsForView, formIdOf, formToModal, metadataOf, replyView, valuesOf } from '../../../adapters/slack/forms.ts';
import { introForm } from '../../../src/commands/intro-request.ts';
import { offerForm } from '../../../src/commands/offer-help.ts';
import { message, p } from '../../../src/messages/build.ts';
import type { Form } from '../../../src/messages/model.ts';
import { validateView } from '../../fakes/slack/index.ts';

describe('modals from core forms', () => {
  test('the core forms become valid modals with one input block per field', () => {
    for (const form of [offerForm(), introForm()]) {
      const view = formToModal(form);
      expect(validateView(view, 'modal')).toEqual([]);
      expect((view.blocks as { block_id: string }[]).map((b) => b.block_id)).toEqual(form.fields.map((f) => f.name));
      expect(formIdOf(view.callback_id as string)).toBe(form.formId);
    }
  });

  test('fields map to Slack elements with their limits and initial values', () => {
    const view = formToModal(introForm());
    const [topic, questions, length, member] = view.blocks as { optional: boolean; element: Record<string, unknown> }[];
    expect(topic!.element).toMatchObject({ type: 'plain_text_input', multiline: false, max_length: 80 });
    expect(questions!.element).toMatchObject({ type: 'plain_text_input', multiline: true, min_length: 15, max_length: 1000 });
    expect(length!.element).toMatchObject({ type: 'static_select', initial_option: { value: '20' } });
    expect(member!.optional).toBe(true);
  });

  test('long titles and labels are trimmed to Slack limits instead of failing', () => {
    const form: Form = {
      formId: 'x',
      title: 'A title far longer than twenty-four characters',
      submitLabel: 'Submit this very long form now please',
      payload: 'm-1',
      fields: [
        { name: 'a', label: 'L'.repeat(2500), kind: 'select', required: true, options: Array.from({ length: 120 }, (_, n) => ({ value: `v${n}`, label: 'o'.repeat(90) })) },
      ],
    };
    const view = formToModal(form);
    expect(validateView(view, 'modal')).toEqual([]);
    expect(metadataOf(view.private_metadata as string).payload).toBe('m-1');
  });

  test('submitted state values come back as strings by field name', () => {
    expect(
      valuesOf({
        topic: { value: { type: 'plain_text_input', value: 'archives' } },
        length: { value: { type: 'static_select', selected_option: { value: '30' } } },
        member: { value: { type: 'plain_text_input', value: null } },
      }),
    ).toEqual({ topic: 'archives', length: '30', member: '' });
  });

  test('field errors map to block ids; general errors go on the first field', () => {
    expect(errorsForView({ topic: 'Too short.', _form: 'Try again.', questions: 'Add a question mark.' }, ['topic', 'questions'])).toEqual({
      topic: 'Too short. Try again.',
      questions: 'Add a question mark.',
    });
    expect(errorsForView({ _form: 'That form expired.' }, ['note'])).toEqual({ note: 'That form expired.' });
  });

  test('the reply view is a valid closing modal', () => {
    expect(validateView(replyView('Informational interview', message(p('Saved <!here>'))), 'modal')).toEqual([]);
    expect(JSON.stringify(replyView('X', message(p('Saved <!here>'))))).not.toContain('<!here>');
  });
});
