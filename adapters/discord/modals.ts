import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData, type APILabelComponent } from 'discord.js';
import type { Form, FormField } from '../../src/index.ts';
import { encodeCustomId } from './custom-id.ts';

/**
 * The core's forms as Discord modals. A modal holds at most 5 inputs and only
 * text inputs are used: a select field becomes a short text input whose
 * description lists the allowed values, prefilled with the choice the member
 * already made through a command option (or the form's default). The core
 * validates every value on submit, so nothing here decides what is allowed.
 */

/** Discord's modal limits (developer docs, "Modal" and "Text Input"). */
export const MODAL_LIMITS = { title: 45, inputs: 5, label: 45, description: 100, placeholder: 100, value: 4000 } as const;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function describe(field: FormField): string | undefined {
  if (field.options?.length) return cut(`One of: ${field.options.map((o) => o.value).join(', ')}`, MODAL_LIMITS.description);
  return field.hint ? cut(field.hint, MODAL_LIMITS.description) : undefined;
}

function input(field: FormField, prefill: string | undefined): APILabelComponent {
  const value = (prefill ?? field.initial ?? '').slice(0, MODAL_LIMITS.value);
  const placeholder = field.placeholder ?? (field.options?.length ? field.options.map((o) => o.value).join(', ') : undefined);
  const description = describe(field);
  const maxLength = field.maxLength ?? (field.options ? Math.max(...field.options.map((o) => o.value.length)) : undefined);
  return {
    type: ComponentType.Label,
    label: cut(field.label, MODAL_LIMITS.label),
    ...(description ? { description } : {}),
    component: {
      type: ComponentType.TextInput,
      custom_id: field.name,
      style: field.kind === 'long' ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: field.required,
      ...(maxLength ? { max_length: Math.min(maxLength, MODAL_LIMITS.value) } : {}),
      ...(field.minLength && field.required ? { min_length: Math.min(field.minLength, MODAL_LIMITS.value) } : {}),
      ...(placeholder ? { placeholder: cut(placeholder, MODAL_LIMITS.placeholder) } : {}),
      ...(value ? { value } : {}),
    },
  };
}

/**
 * Builds the modal for a form, or null when its route (form id and payload)
 * would not fit a `custom_id`. Only the first five fields fit: callers answer
 * larger forms (the moderators' setup and meetup) with the command's options
 * instead of a modal (see `openForm` in interactions.ts), so none is cut short.
 */
export function renderModal(
  form: Form,
  options: { guildId?: string | null; prefill?: Record<string, string | undefined> } = {},
): APIModalInteractionResponseCallbackData | null {
  const customId = encodeCustomId(form.formId, form.payload ?? '', options.guildId);
  if (!customId) return null;
  return {
    custom_id: customId,
    title: cut(form.title, MODAL_LIMITS.title),
    components: form.fields.slice(0, MODAL_LIMITS.inputs).map((f) => input(f, options.prefill?.[f.name])),
  };
}

/** Labels of a form's fields by name, to name them when the core reports field errors. */
export function fieldLabels(form: Form): Record<string, string> {
  return Object.fromEntries(form.fields.map((f) => [f.name, f.label]));
}
