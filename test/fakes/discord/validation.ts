/**
 * Payload validation for the fake Discord. Real Discord rejects oversize or
 * malformed payloads with `400 {code: 50035, message: 'Invalid Form Body',
 * errors: {...}}`; an adapter that only ever talked to a permissive mock would
 * ship those bugs. The limits here are the documented ones (2025-era API v10).
 *
 * Lengths are counted in Unicode code points (what Discord documents as
 * "characters"), not UTF-16 units.
 */

/** Loose JSON object as received from the wire. */
export type Obj = Record<string, unknown>;

/** One entry of an `_errors` array, as Discord returns it. */
export interface FieldError {
  code: string;
  message: string;
}

/** The JSON error body Discord returns for REST failures. */
export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Obj;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const chars = (s: string): number => [...s].length;

export type Path = ReadonlyArray<string | number>;

/**
 * Accumulates field errors into Discord's nested `errors` shape, e.g.
 * `{data: {components: {0: {components: {1: {label: {_errors: [...]}}}}}}}`.
 */
export class FormErrors {
  readonly root: Obj = {};
  count = 0;

  add(path: Path, code: string, message: string): void {
    let node = this.root;
    for (const key of path) {
      const k = String(key);
      if (!isObj(node[k])) node[k] = {};
      node = node[k] as Obj;
    }
    const list = (node._errors as FieldError[] | undefined) ?? [];
    list.push({ code, message });
    node._errors = list;
    this.count++;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  toBody(): DiscordErrorBody {
    return { code: 50035, message: 'Invalid Form Body', errors: this.root };
  }
}

/** Checks a string field's presence and length, using Discord's error codes. */
export function checkString(
  errs: FormErrors,
  path: Path,
  value: unknown,
  { min = 0, max, required = false }: { min?: number; max: number; required?: boolean },
): void {
  if (value === undefined || value === null) {
    if (required) errs.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (typeof value !== 'string') {
    errs.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
    return;
  }
  const n = chars(value);
  if (min > 0 && (n < min || n > max)) {
    errs.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  } else if (n > max) {
    errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
}

export function checkArrayLength(errs: FormErrors, path: Path, value: unknown[], min: number, max: number): void {
  if (value.length < min || value.length > max) {
    errs.add(
      path,
      min > 0 ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH',
      min > 0 ? `Must be between ${min} and ${max} in length.` : `Must be ${max} or fewer in length.`,
    );
  }
}

export function checkInt(errs: FormErrors, path: Path, value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errs.add(path, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
  } else if (value < min) {
    errs.add(path, 'NUMBER_TYPE_MIN', `Int value should be greater than or equal to ${min}.`);
  } else if (value > max) {
    errs.add(path, 'NUMBER_TYPE_MAX', `Int value should be less than or equal to ${max}.`);
  }
}

// ---------------------------------------------------------------------------
// Message components
// ---------------------------------------------------------------------------

/** Message flag bits the fake interprets. */
export const MessageFlag = { Ephemeral: 1 << 6, SuppressNotifications: 1 << 12, IsComponentsV2: 1 << 15 } as const;

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
const V2_TOP_LEVEL = new Set([1, 9, 10, 12, 13, 14, 17]);

function validateButton(errs: FormErrors, path: Path, c: Obj, customIds: Set<string>): void {
  const style = c.style;
  if (typeof style !== 'number' || style < 1 || style > 6) {
    errs.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
    return;
  }
  checkString(errs, [...path, 'label'], c.label, { max: 80 });
  if (style === 5) {
    checkString(errs, [...path, 'url'], c.url, { max: 512, required: true });
    if (c.custom_id !== undefined) errs.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'A link button cannot have a custom_id');
  } else if (style === 6) {
    checkString(errs, [...path, 'sku_id'], c.sku_id, { max: 20, required: true });
  } else {
    checkString(errs, [...path, 'custom_id'], c.custom_id, { min: 1, max: 100, required: true });
    if (c.url !== undefined) errs.add([...path, 'url'], 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'A non-link button cannot have a url');
    if (c.label === undefined && c.emoji === undefined) {
      errs.add([...path, 'label'], 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A button must have a label or an emoji');
    }
  }
  if (typeof c.custom_id === 'string') trackCustomId(errs, [...path, 'custom_id'], c.custom_id, customIds);
}

function trackCustomId(errs: FormErrors, path: Path, id: string, seen: Set<string>): void {
  if (seen.has(id)) errs.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  seen.add(id);
}

function validateSelect(errs: FormErrors, path: Path, c: Obj, customIds: Set<string>): void {
  checkString(errs, [...path, 'custom_id'], c.custom_id, { min: 1, max: 100, required: true });
  if (typeof c.custom_id === 'string') trackCustomId(errs, [...path, 'custom_id'], c.custom_id, customIds);
  checkString(errs, [...path, 'placeholder'], c.placeholder, { max: 150 });
  checkInt(errs, [...path, 'min_values'], c.min_values, 0, 25);
  checkInt(errs, [...path, 'max_values'], c.max_values, 1, 25);
  if (c.type === 3) {
    if (!Array.isArray(c.options)) {
      errs.add([...path, 'options'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    checkArrayLength(errs, [...path, 'options'], c.options, 1, 25);
    c.options.forEach((o: unknown, i: number) => {
      if (!isObj(o)) return;
      checkString(errs, [...path, 'options', i, 'label'], o.label, { min: 1, max: 100, required: true });
      checkString(errs, [...path, 'options', i, 'value'], o.value, { min: 1, max: 100, required: true });
      checkString(errs, [...path, 'options', i, 'description'], o.description, { max: 100 });
    });
  }
}

function validateActionRow(errs: FormErrors, path: Path, row: Obj, customIds: Set<string>, inModal: boolean): number {
  const children = row.components;
  if (!Array.isArray(children)) {
    errs.add([...path, 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return 1;
  }
  checkArrayLength(errs, [...path, 'components'], children, 1, 5);
  const types = children.map((c) => (isObj(c) ? c.type : undefined));
  const selects = types.filter((t) => typeof t === 'number' && SELECT_TYPES.has(t)).length;
  if (selects > 0 && children.length > 1) {
    errs.add([...path, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
  }
  children.forEach((c: unknown, i: number) => {
    const p = [...path, 'components', i];
    if (!isObj(c)) return;
    if (c.type === 2 && !inModal) validateButton(errs, p, c, customIds);
    else if (typeof c.type === 'number' && SELECT_TYPES.has(c.type)) validateSelect(errs, p, c, customIds);
    else if (c.type === 4 && inModal) validateTextInput(errs, p, c, customIds, true);
    else errs.add([...p, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of (${inModal ? '4' : '2, 3, 5, 6, 7, 8'}).`);
  });
  return 1 + children.length;
}

/**
 * Validates `components` of a message (classic action rows, or Components V2
 * when `flags` has IS_COMPONENTS_V2).
 */
export function validateMessageComponents(errs: FormErrors, path: Path, components: unknown, flags: number): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    errs.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const customIds = new Set<string>();
  const v2 = (flags & MessageFlag.IsComponentsV2) !== 0;
  if (!v2) {
    checkArrayLength(errs, path, components, 0, 5);
    components.forEach((row: unknown, i: number) => {
      if (!isObj(row) || row.type !== 1) {
        errs.add([...path, i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1).');
        return;
      }
      validateActionRow(errs, [...path, i], row, customIds, false);
    });
    return;
  }
  // Components V2: up to 40 components in total, any nesting.
  let total = 0;
  const walk = (c: unknown, p: Path, topLevel: boolean): void => {
    if (!isObj(c)) return;
    total++;
    if (topLevel && !(typeof c.type === 'number' && V2_TOP_LEVEL.has(c.type))) {
      errs.add([...p, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 9, 10, 12, 13, 14, 17).');
    }
    if (c.type === 1) {
      total += validateActionRow(errs, p, c, customIds, false) - 1;
      return;
    }
    if (c.type === 10) checkString(errs, [...p, 'content'], c.content, { min: 1, max: 4000, required: true });
    if (c.type === 9 && isObj(c.accessory)) {
      if (c.accessory.type === 2) validateButton(errs, [...p, 'accessory'], c.accessory, customIds);
      total++;
    }
    if (Array.isArray(c.components)) c.components.forEach((child: unknown, i: number) => walk(child, [...p, 'components', i], false));
  };
  components.forEach((c: unknown, i: number) => walk(c, [...path, i], true));
  if (total > 40) errs.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 40 or fewer in length.');
}

// ---------------------------------------------------------------------------
// Embeds
// ---------------------------------------------------------------------------

/** Validates `embeds` (≤ 10; per-field limits; ≤ 6000 characters in total). */
export function validateEmbeds(errs: FormErrors, path: Path, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errs.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  checkArrayLength(errs, path, embeds, 0, 10);
  let total = 0;
  const count = (v: unknown): void => {
    if (typeof v === 'string') total += chars(v);
  };
  embeds.forEach((e: unknown, i: number) => {
    if (!isObj(e)) return;
    const p = [...path, i];
    checkString(errs, [...p, 'title'], e.title, { max: 256 });
    checkString(errs, [...p, 'description'], e.description, { max: 4096 });
    count(e.title);
    count(e.description);
    if (isObj(e.footer)) {
      checkString(errs, [...p, 'footer', 'text'], e.footer.text, { max: 2048, required: true });
      count(e.footer.text);
    }
    if (isObj(e.author)) {
      checkString(errs, [...p, 'author', 'name'], e.author.name, { max: 256, required: true });
      count(e.author.name);
    }
    if (Array.isArray(e.fields)) {
      checkArrayLength(errs, [...p, 'fields'], e.fields, 0, 25);
      e.fields.forEach((f: unknown, j: number) => {
        if (!isObj(f)) return;
        checkString(errs, [...p, 'fields', j, 'name'], f.name, { min: 1, max: 256, required: true });
        checkString(errs, [...p, 'fields', j, 'value'], f.value, { min: 1, max: 1024, required: true });
        count(f.name);
        count(f.value);
      });
    }
  });
  if (total > 6000) errs.add(path, 'MESSAGE_EMBEDS_TOO_LONG', 'Embed size exceeds maximum size of 6000');
}

// ---------------------------------------------------------------------------
// Allowed mentions
// ---------------------------------------------------------------------------

/** Validates `allowed_mentions` (parse values; parse vs explicit list exclusivity; ≤ 100 ids). */
export function validateAllowedMentions(errs: FormErrors, path: Path, am: unknown): void {
  if (am === undefined || am === null) return;
  if (!isObj(am)) {
    errs.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const parse = Array.isArray(am.parse) ? (am.parse as unknown[]) : [];
  parse.forEach((p, i) => {
    if (p !== 'users' && p !== 'roles' && p !== 'everyone') {
      errs.add([...path, 'parse', i], 'BASE_TYPE_CHOICES', "Value must be one of {'everyone', 'users', 'roles'}.");
    }
  });
  for (const kind of ['users', 'roles'] as const) {
    const list = am[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errs.add([...path, kind], 'BASE_TYPE_ARRAY', 'Must be an array.');
      continue;
    }
    if (list.length > 100) errs.add([...path, kind], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    if (list.length > 0 && parse.includes(kind)) {
      errs.add(
        [...path, 'parse'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
      );
    }
  }
}

// ---------------------------------------------------------------------------
// Whole message payloads
// ---------------------------------------------------------------------------

/**
 * Validates a message-creating or -editing body (channel message, webhook,
 * interaction response `data`). `creating` enables the "empty message" check.
 * Returns a 50006 body for empty messages (Discord answers that one with its
 * own code, not 50035), a 50035 body for field errors, or null when valid.
 */
export function validateMessageBody(
  body: Obj,
  { path = [], creating, hasFiles = false }: { path?: Path; creating: boolean; hasFiles?: boolean },
): DiscordErrorBody | null {
  const errs = new FormErrors();
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const v2 = (flags & MessageFlag.IsComponentsV2) !== 0;
  checkString(errs, [...path, 'content'], body.content, { max: 2000 });
  if (v2 && body.content) errs.add([...path, 'content'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'content\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2');
  if (v2 && Array.isArray(body.embeds) && body.embeds.length) errs.add([...path, 'embeds'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'embeds\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2');
  validateEmbeds(errs, [...path, 'embeds'], body.embeds);
  validateMessageComponents(errs, [...path, 'components'], body.components, flags);
  validateAllowedMentions(errs, [...path, 'allowed_mentions'], body.allowed_mentions);
  if (!errs.empty) return errs.toBody();
  if (creating) {
    const nonEmpty =
      (typeof body.content === 'string' && body.content.length > 0) ||
      (Array.isArray(body.embeds) && body.embeds.length > 0) ||
      (Array.isArray(body.components) && body.components.length > 0) ||
      (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) ||
      body.poll !== undefined && body.poll !== null ||
      hasFiles;
    if (!nonEmpty) return { code: 50006, message: 'Cannot send an empty message' };
  }
  return null;
}

function validateTextInput(errs: FormErrors, path: Path, c: Obj, customIds: Set<string>, labelRequired: boolean): void {
  checkString(errs, [...path, 'custom_id'], c.custom_id, { min: 1, max: 100, required: true });
  if (typeof c.custom_id === 'string') trackCustomId(errs, [...path, 'custom_id'], c.custom_id, customIds);
  if (c.style !== 1 && c.style !== 2) errs.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
  checkString(errs, [...path, 'label'], c.label, { min: 1, max: 45, required: labelRequired });
  checkString(errs, [...path, 'placeholder'], c.placeholder, { max: 100 });
  checkString(errs, [...path, 'value'], c.value, { max: 4000 });
  checkInt(errs, [...path, 'min_length'], c.min_length, 0, 4000);
  checkInt(errs, [...path, 'max_length'], c.max_length, 1, 4000);
}

/** Validates the `data` of a MODAL (type 9) interaction response. */
export function validateModal(data: unknown): DiscordErrorBody | null {
  const errs = new FormErrors();
  if (!isObj(data)) {
    errs.add(['data'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return errs.toBody();
  }
  checkString(errs, ['data', 'title'], data.title, { min: 1, max: 45, required: true });
  checkString(errs, ['data', 'custom_id'], data.custom_id, { min: 1, max: 100, required: true });
  const comps = data.components;
  if (!Array.isArray(comps)) {
    errs.add(['data', 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return errs.toBody();
  }
  checkArrayLength(errs, ['data', 'components'], comps, 1, 5);
  const customIds = new Set<string>();
  comps.forEach((c: unknown, i: number) => {
    const p = ['data', 'components', i];
    if (!isObj(c)) return;
    if (c.type === 1) {
      const children = Array.isArray(c.components) ? c.components : [];
      if (children.length !== 1) errs.add([...p, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 1 in length.');
      validateActionRow(errs, p, c, customIds, true);
    } else if (c.type === 18) {
      checkString(errs, [...p, 'label'], c.label, { min: 1, max: 45, required: true });
      checkString(errs, [...p, 'description'], c.description, { max: 100 });
      const inner = c.component;
      if (!isObj(inner)) errs.add([...p, 'component'], 'BASE_TYPE_REQUIRED', 'This field is required');
      else if (inner.type === 4) validateTextInput(errs, [...p, 'component'], inner, customIds, false);
      else if (typeof inner.type === 'number' && SELECT_TYPES.has(inner.type)) validateSelect(errs, [...p, 'component'], inner, customIds);
    } else if (c.type !== 10) {
      errs.add([...p, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 10, 18).');
    }
  });
  return errs.empty ? null : errs.toBody();
}
