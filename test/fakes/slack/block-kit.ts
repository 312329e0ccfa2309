/**
 * Block Kit limits as Slack enforces them on chat.* and views.*. Each problem is reported the way
 * Slack words it in `response_metadata.messages`: a sentence followed by a JSON pointer to the
 * offending field, e.g. `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 * Keeping the pointer lets a failing test say exactly which block the adapter got wrong.
 */

/** Documented limits, collected in one place so tests and the README can cite them. */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputMaxLength: 3000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  checkboxOptions: 10,
  overflowOptions: 5,
  imageAltText: 2000,
  markdownBlockText: 12_000,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

/** Where the blocks will be shown: messages allow 50 blocks, modals and App Home 100. */
export type Surface = 'message' | 'modal' | 'home';

const BLOCK_TYPES = new Set([
  'section',
  'divider',
  'image',
  'actions',
  'context',
  'input',
  'header',
  'rich_text',
  'video',
  'file',
  'markdown',
  'call',
  'table',
  'context_actions',
]);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Collector {
  readonly errors: string[] = [];
  add(message: string, pointer: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }
  maxLen(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }
  maxItems(value: unknown[], max: number, pointer: string): void {
    if (value.length > max) this.add(`no more than ${max} items allowed`, pointer);
  }
}

function textObject(c: Collector, v: unknown, pointer: string, max: number, plainOnly = false): void {
  if (!isObject(v)) {
    c.add('must be an object', pointer);
    return;
  }
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') {
    c.add('must be one of: plain_text, mrkdwn', `${pointer}/type`);
    return;
  }
  if (plainOnly && v.type !== 'plain_text') c.add('must be plain_text', `${pointer}/type`);
  if (typeof v.text !== 'string') {
    c.add('must be a string', `${pointer}/text`);
    return;
  }
  if (v.text.length === 0) c.add('must be more than 0 characters', `${pointer}/text`);
  c.maxLen(v.text, max, `${pointer}/text`);
}

function optionList(c: Collector, options: unknown, pointer: string, max: number): void {
  if (!Array.isArray(options)) return;
  c.maxItems(options, max, pointer);
  options.forEach((o, i) => {
    if (!isObject(o)) return c.add('must be an object', `${pointer}/${i}`);
    textObject(c, o.text, `${pointer}/${i}/text`, BLOCK_KIT_LIMITS.optionText);
    c.maxLen(o.value, BLOCK_KIT_LIMITS.optionValue, `${pointer}/${i}/value`);
  });
}

function element(c: Collector, el: unknown, pointer: string): void {
  if (!isObject(el)) return c.add('must be an object', pointer);
  if (typeof el.type !== 'string') return c.add('missing required field: type', pointer);
  c.maxLen(el.action_id, BLOCK_KIT_LIMITS.actionId, `${pointer}/action_id`);
  if (el.placeholder !== undefined) textObject(c, el.placeholder, `${pointer}/placeholder`, BLOCK_KIT_LIMITS.placeholder, true);
  switch (el.type) {
    case 'button':
      textObject(c, el.text, `${pointer}/text`, BLOCK_KIT_LIMITS.buttonText, true);
      c.maxLen(el.value, BLOCK_KIT_LIMITS.buttonValue, `${pointer}/value`);
      c.maxLen(el.url, BLOCK_KIT_LIMITS.url, `${pointer}/url`);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        c.add('must be one of: primary, danger', `${pointer}/style`);
      }
      break;
    case 'plain_text_input':
      for (const key of ['max_length', 'min_length'] as const) {
        const n = el[key];
        if (typeof n === 'number' && (n > BLOCK_KIT_LIMITS.plainTextInputMaxLength || n < 0)) {
          c.add(`must be between 0 and ${BLOCK_KIT_LIMITS.plainTextInputMaxLength}`, `${pointer}/${key}`);
        }
      }
      if (typeof el.initial_value === 'string' && typeof el.max_length === 'number' && el.initial_value.length > el.max_length) {
        c.add(`must be less than ${el.max_length + 1} characters`, `${pointer}/initial_value`);
      }
      break;
    case 'static_select':
    case 'multi_static_select':
      optionList(c, el.options, `${pointer}/options`, BLOCK_KIT_LIMITS.selectOptions);
      if (Array.isArray(el.option_groups)) c.maxItems(el.option_groups, BLOCK_KIT_LIMITS.selectOptions, `${pointer}/option_groups`);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      optionList(c, el.options, `${pointer}/options`, BLOCK_KIT_LIMITS.checkboxOptions);
      break;
    case 'overflow':
      optionList(c, el.options, `${pointer}/options`, BLOCK_KIT_LIMITS.overflowOptions);
      break;
    case 'image':
      c.maxLen(el.alt_text, BLOCK_KIT_LIMITS.imageAltText, `${pointer}/alt_text`);
      break;
    default:
      break;
  }
}

function block(c: Collector, b: unknown, pointer: string, seenIds: Set<string>): void {
  if (!isObject(b)) return c.add('must be an object', pointer);
  if (typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) {
    return c.add('failed to match all allowed schemas', pointer);
  }
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string') c.add('must be a string', `${pointer}/block_id`);
    else {
      c.maxLen(b.block_id, BLOCK_KIT_LIMITS.blockId, `${pointer}/block_id`);
      if (seenIds.has(b.block_id)) c.add(`duplicate block_id: ${b.block_id}`, `${pointer}/block_id`);
      seenIds.add(b.block_id);
    }
  }
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) c.add('must provide either text or fields', pointer);
      if (b.text !== undefined) textObject(c, b.text, `${pointer}/text`, BLOCK_KIT_LIMITS.sectionText);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) c.add('must be an array', `${pointer}/fields`);
        else {
          c.maxItems(b.fields, BLOCK_KIT_LIMITS.sectionFields, `${pointer}/fields`);
          b.fields.forEach((f, i) => textObject(c, f, `${pointer}/fields/${i}`, BLOCK_KIT_LIMITS.sectionFieldText));
        }
      }
      if (b.accessory !== undefined) element(c, b.accessory, `${pointer}/accessory`);
      break;
    }
    case 'header':
      textObject(c, b.text, `${pointer}/text`, BLOCK_KIT_LIMITS.headerText, true);
      break;
    case 'actions':
    case 'context': {
      const max = b.type === 'actions' ? BLOCK_KIT_LIMITS.actionsElements : BLOCK_KIT_LIMITS.contextElements;
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        c.add('must provide at least 1 element', `${pointer}/elements`);
        break;
      }
      c.maxItems(b.elements, max, `${pointer}/elements`);
      b.elements.forEach((el, i) => {
        const p = `${pointer}/elements/${i}`;
        if (b.type === 'context' && isObject(el) && (el.type === 'plain_text' || el.type === 'mrkdwn')) {
          textObject(c, el, p, BLOCK_KIT_LIMITS.sectionText);
        } else element(c, el, p);
      });
      break;
    }
    case 'input':
      textObject(c, b.label, `${pointer}/label`, BLOCK_KIT_LIMITS.inputLabel, true);
      if (b.hint !== undefined) textObject(c, b.hint, `${pointer}/hint`, BLOCK_KIT_LIMITS.inputHint, true);
      if (b.element === undefined) c.add('missing required field: element', pointer);
      else element(c, b.element, `${pointer}/element`);
      break;
    case 'image':
      c.maxLen(b.alt_text, BLOCK_KIT_LIMITS.imageAltText, `${pointer}/alt_text`);
      c.maxLen(b.image_url, BLOCK_KIT_LIMITS.url, `${pointer}/image_url`);
      break;
    case 'markdown':
      c.maxLen(b.text, BLOCK_KIT_LIMITS.markdownBlockText, `${pointer}/text`);
      break;
    default:
      break;
  }
}

/**
 * Validates a `blocks` array for a surface and returns Slack-style error strings (empty when
 * valid). `pointer` is where the array sits in the request: `/blocks` for messages and
 * `/view/blocks` for views.
 */
export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const c = new Collector();
  if (!Array.isArray(blocks)) {
    c.add('must be an array', pointer);
    return c.errors;
  }
  c.maxItems(blocks, surface === 'message' ? BLOCK_KIT_LIMITS.messageBlocks : BLOCK_KIT_LIMITS.viewBlocks, pointer);
  const seen = new Set<string>();
  blocks.forEach((b, i) => block(c, b, `${pointer}/${i}`, seen));
  return c.errors;
}

/**
 * Validates a view payload for views.open/push/update (`modal`) or views.publish (`home`):
 * type, title/submit/close lengths, a submit button when there are input blocks, metadata
 * sizes and the blocks themselves.
 */
export function validateView(view: unknown, expected: 'modal' | 'home'): string[] {
  const c = new Collector();
  if (!isObject(view)) {
    c.add('must be an object', '/view');
    return c.errors;
  }
  if (view.type !== expected) {
    c.add(`must be ${expected}`, '/view/type');
  }
  if (expected === 'modal') {
    if (view.title === undefined) c.add('missing required field: title', '/view');
    else textObject(c, view.title, '/view/title', BLOCK_KIT_LIMITS.viewTitle, true);
    if (view.submit !== undefined && view.submit !== null) {
      textObject(c, view.submit, '/view/submit', BLOCK_KIT_LIMITS.viewSubmit, true);
    }
    if (view.close !== undefined && view.close !== null) {
      textObject(c, view.close, '/view/close', BLOCK_KIT_LIMITS.viewClose, true);
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && (view.submit === undefined || view.submit === null)) {
      c.add('must provide submit if there are input blocks', '/view/submit');
    }
  }
  c.maxLen(view.private_metadata, BLOCK_KIT_LIMITS.privateMetadata, '/view/private_metadata');
  c.maxLen(view.callback_id, BLOCK_KIT_LIMITS.callbackId, '/view/callback_id');
  c.maxLen(view.external_id, BLOCK_KIT_LIMITS.externalId, '/view/external_id');
  if (view.blocks === undefined) c.add('missing required field: blocks', '/view');
  else c.errors.push(...validateBlocks(view.blocks, expected, '/view/blocks'));
  return c.errors;
}
