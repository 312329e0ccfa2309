import type { Form, FormField, Message } from '../../src/index.ts';
import { LIMITS, renderBlocks, trimPlain, type SlackBlock } from './render.ts';

/**
 * Core forms as Slack modals, and modal submissions back as plain values. Each
 * field is one input block whose `block_id` is the field name, so the core's
 * field errors map straight onto `response_action: 'errors'`.
 */

/** Every Circulate modal's `callback_id` starts with this; the rest is the form id. */
export const CALLBACK_PREFIX = 'circulate:';

/** The one `action_id` inside each input block. */
export const INPUT_ACTION = 'value';

const VIEW_TEXT = 24;
const PLACEHOLDER = 150;
const OPTION_TEXT = 75;
const OPTION_VALUE = 150;
const SELECT_OPTIONS = 100;
const PRIVATE_METADATA = 3000;
const INPUT_MAX_LENGTH = 3000;

/** What a modal carries through Slack between opening and submission. */
export interface ModalMetadata {
  /** The core's form payload (opaque). */
  payload: string;
}

function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: trimPlain(text, max) || ' ', emoji: true };
}

function option(o: { value: string; label: string }) {
  return { text: plain(o.label, OPTION_TEXT), value: o.value.slice(0, OPTION_VALUE) };
}

function inputElement(field: FormField): SlackBlock {
  if (field.kind === 'select') {
    const options = (field.options ?? []).slice(0, SELECT_OPTIONS).map(option);
    const initial = options.find((o) => o.value === field.initial);
    return {
      type: 'static_select',
      action_id: INPUT_ACTION,
      options: options.length ? options : [option({ value: '', label: '(none)' })],
      ...(initial ? { initial_option: initial } : {}),
      ...(field.placeholder ? { placeholder: plain(field.placeholder, PLACEHOLDER) } : {}),
    };
  }
  const max = Math.min(field.maxLength ?? INPUT_MAX_LENGTH, INPUT_MAX_LENGTH);
  return {
    type: 'plain_text_input',
    action_id: INPUT_ACTION,
    multiline: field.kind === 'long',
    max_length: max,
    ...(field.minLength ? { min_length: Math.min(field.minLength, max) } : {}),
    ...(field.placeholder ? { placeholder: plain(field.placeholder, PLACEHOLDER) } : {}),
    ...(field.initial ? { initial_value: field.initial.slice(0, max) } : {}),
  };
}

/** A core form as a `views.open` modal; the form id rides in `callback_id`, the payload in `private_metadata`. */
export function formToModal(form: Form): SlackBlock {
  const metadata: ModalMetadata = { payload: form.payload ?? '' };
  const privateMetadata = JSON.stringify(metadata);
  if (privateMetadata.length > PRIVATE_METADATA) throw new Error(`form ${form.formId}: payload too long for private_metadata`);
  const blocks = form.fields.slice(0, LIMITS.viewBlocks).map((field) => ({
    type: 'input',
    block_id: field.name,
    optional: !field.required,
    label: plain(field.label, 2000),
    element: inputElement(field),
    ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
  }));
  return {
    type: 'modal',
    callback_id: `${CALLBACK_PREFIX}${form.formId}`.slice(0, 255),
    private_metadata: privateMetadata,
    title: plain(form.title, VIEW_TEXT),
    submit: plain(form.submitLabel, VIEW_TEXT),
    close: plain('Cancel', VIEW_TEXT),
    blocks,
  };
}

/** The form id from a submitted view's `callback_id`, or null when the view is not ours. */
export function formIdOf(callbackId: string): string | null {
  return callbackId.startsWith(CALLBACK_PREFIX) ? callbackId.slice(CALLBACK_PREFIX.length) : null;
}

/** The payload stored by {@link formToModal}; empty when missing or mangled. */
export function metadataOf(privateMetadata: string | undefined): ModalMetadata {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<ModalMetadata>;
    return { payload: typeof parsed.payload === 'string' ? parsed.payload : '' };
  } catch {
    return { payload: '' };
  }
}

/** One submitted element as Slack sends it in `view.state.values`. */
interface StateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
}

/** `view.state.values` as the raw strings the core validates, keyed by field name. */
export function valuesOf(state: Record<string, Record<string, StateValue>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state ?? {})) {
    const v = actions[INPUT_ACTION] ?? Object.values(actions)[0];
    if (!v) continue;
    out[blockId] = v.selected_option?.value ?? v.value ?? '';
  }
  return out;
}

/**
 * The core's field errors as `response_action: 'errors'` keyed by block id. Errors
 * without a matching field (the core's general `_form`) go on the first field,
 * because Slack can only show an error beside an input.
 */
export function errorsForView(fieldErrors: Record<string, string>, blockIds: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const first = blockIds[0];
  for (const [field, problem] of Object.entries(fieldErrors)) {
    const target = blockIds.includes(field) ? field : first;
    if (!target) continue;
    out[target] = out[target] ? `${out[target]} ${problem}` : problem;
  }
  for (const k of Object.keys(out)) out[k] = trimPlain(out[k]!, 2000);
  return out;
}

/** A closing modal that shows the core's reply in place of the form (modal submissions have no channel to answer in). */
export function replyView(title: string, reply: Message): SlackBlock {
  return {
    type: 'modal',
    title: plain(title, VIEW_TEXT),
    close: plain('Done', VIEW_TEXT),
    blocks: reply.blocks.length ? renderBlocks(reply, LIMITS.viewBlocks) : [{ type: 'section', text: { type: 'mrkdwn', text: 'Done.' } }],
  };
}
