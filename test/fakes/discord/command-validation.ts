/**
 * Validation of application commands (PUT/POST/PATCH …/commands) and of autocomplete results,
 * with Discord's documented limits: names, descriptions, option and choice counts, option
 * order. Split from validation.ts, which holds the shared helpers and message payload checks.
 */
import { checkArrayLength, checkInt, checkString, chars, FormErrors, isObj, type DiscordErrorBody, type Obj, type Path } from './validation.ts';

/** Validates the `data` of an APPLICATION_COMMAND_AUTOCOMPLETE_RESULT (type 8) response. */
export function validateAutocompleteResult(data: unknown): DiscordErrorBody | null {
  const errs = new FormErrors();
  const choices = isObj(data) ? data.choices : undefined;
  if (!Array.isArray(choices)) {
    errs.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return errs.toBody();
  }
  checkArrayLength(errs, ['data', 'choices'], choices, 0, 25);
  choices.forEach((c: unknown, i: number) => validateChoice(errs, ['data', 'choices', i], c));
  return errs.empty ? null : errs.toBody();
}

function validateChoice(errs: FormErrors, path: Path, c: unknown): void {
  if (!isObj(c)) return;
  checkString(errs, [...path, 'name'], c.name, { min: 1, max: 100, required: true });
  if (typeof c.value === 'string') checkString(errs, [...path, 'value'], c.value, { max: 100 });
  else if (typeof c.value !== 'number') errs.add([...path, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
}

// ---------------------------------------------------------------------------
// Application commands
// ---------------------------------------------------------------------------

/** Discord's documented name pattern for CHAT_INPUT commands and options. */
export const COMMAND_NAME_RE = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommandName(errs: FormErrors, path: Path, name: unknown, chatInput: boolean, what: 'command' | 'option'): void {
  if (typeof name !== 'string') {
    errs.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (!chatInput) {
    checkString(errs, path, name, { min: 1, max: 32 });
    return;
  }
  if (!COMMAND_NAME_RE.test(name)) {
    errs.add(path, what === 'command' ? 'APPLICATION_COMMAND_INVALID_NAME' : 'APPLICATION_COMMAND_OPTION_INVALID_NAME', what === 'command' ? 'Command name is invalid' : 'Option name is invalid');
  } else if (name !== name.toLowerCase()) {
    errs.add(path, 'APPLICATION_COMMAND_NAME_LOWERCASE', 'Command name must be lowercase');
  }
}

function optionChars(o: Obj): number {
  let n = (typeof o.name === 'string' ? chars(o.name) : 0) + (typeof o.description === 'string' ? chars(o.description) : 0);
  if (Array.isArray(o.choices)) for (const c of o.choices) if (isObj(c)) n += (typeof c.name === 'string' ? chars(c.name) : 0) + String(c.value ?? '').length;
  if (Array.isArray(o.options)) for (const sub of o.options) if (isObj(sub)) n += optionChars(sub);
  return n;
}

function validateOptions(errs: FormErrors, path: Path, options: unknown, level: 'top' | 'group' | 'subcommand'): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errs.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  checkArrayLength(errs, path, options, 0, 25);
  const names = new Set<string>();
  let sawOptional = false;
  let sawSub = false;
  let sawPlain = false;
  options.forEach((o: unknown, i: number) => {
    const p = [...path, i];
    if (!isObj(o)) return;
    const type = o.type;
    if (typeof type !== 'number' || type < 1 || type > 11) {
      errs.add([...p, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
      return;
    }
    checkCommandName(errs, [...p, 'name'], o.name, true, 'option');
    if (typeof o.name === 'string') {
      if (names.has(o.name)) errs.add([...p, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
      names.add(o.name);
    }
    checkString(errs, [...p, 'description'], o.description, { min: 1, max: 100, required: true });
    const isSub = type === 1 || type === 2;
    if (isSub) sawSub = true;
    else sawPlain = true;
    if (type === 2 && level !== 'top') errs.add([...p, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommand groups can only be nested at the top level');
    if (type === 1 && level === 'subcommand') errs.add([...p, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommands cannot be nested in subcommands');
    if (level === 'group' && type !== 1) errs.add([...p, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommand groups may only contain subcommands');
    if (!isSub) {
      if (o.required === true && sawOptional) errs.add([...p, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
      if (o.required !== true) sawOptional = true;
    }
    if (o.choices !== undefined) {
      if (!Array.isArray(o.choices)) errs.add([...p, 'choices'], 'BASE_TYPE_ARRAY', 'Must be an array.');
      else {
        checkArrayLength(errs, [...p, 'choices'], o.choices, 0, 25);
        o.choices.forEach((c: unknown, j: number) => validateChoice(errs, [...p, 'choices', j], c));
        if (o.autocomplete === true && o.choices.length > 0) errs.add([...p, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES', 'Autocomplete cannot be set with choices');
      }
    }
    checkInt(errs, [...p, 'min_length'], o.min_length, 0, 6000);
    checkInt(errs, [...p, 'max_length'], o.max_length, 1, 6000);
    if (type === 2) validateOptions(errs, [...p, 'options'], o.options, 'group');
    else if (type === 1) validateOptions(errs, [...p, 'options'], o.options, 'subcommand');
  });
  if (sawSub && sawPlain) errs.add(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
}

/** Validates one application command create/edit body, adding errors under `path`. */
export function validateCommand(errs: FormErrors, path: Path, cmd: unknown): void {
  if (!isObj(cmd)) {
    errs.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const type = cmd.type ?? 1;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    errs.add([...path, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
    return;
  }
  const chatInput = type === 1;
  checkCommandName(errs, [...path, 'name'], cmd.name, chatInput, 'command');
  if (chatInput) {
    checkString(errs, [...path, 'description'], cmd.description, { min: 1, max: 100, required: true });
    validateOptions(errs, [...path, 'options'], cmd.options, 'top');
    if (optionChars(cmd) > 4000) errs.add(path, 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (4000)');
  } else {
    if (cmd.description !== undefined && cmd.description !== '' && cmd.description !== null) {
      errs.add([...path, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have description');
    }
    if (Array.isArray(cmd.options) && cmd.options.length) errs.add([...path, 'options'], 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS', 'Context menu commands cannot have options');
  }
  if (cmd.default_member_permissions !== undefined && cmd.default_member_permissions !== null && !(typeof cmd.default_member_permissions === 'string' && /^\d+$/.test(cmd.default_member_permissions))) {
    errs.add([...path, 'default_member_permissions'], 'BASE_TYPE_STRING', 'Must be a numeric string.');
  }
}

/** Validates a bulk-overwrite (PUT) list: each command, ≤ 100 chat-input, ≤ 15 user/message, unique names per type. */
export function validateCommandList(list: unknown): DiscordErrorBody | null {
  const errs = new FormErrors();
  if (!Array.isArray(list)) {
    errs.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return errs.toBody();
  }
  const byType = new Map<unknown, Set<string>>();
  list.forEach((cmd: unknown, i: number) => {
    validateCommand(errs, [i], cmd);
    if (!isObj(cmd) || typeof cmd.name !== 'string') return;
    const type = cmd.type ?? 1;
    const seen = byType.get(type) ?? new Set<string>();
    if (seen.has(cmd.name)) errs.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(cmd.name);
    byType.set(type, seen);
  });
  if ((byType.get(1)?.size ?? 0) > 100) errs.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  for (const t of [2, 3]) if ((byType.get(t)?.size ?? 0) > 15) errs.add([], 'BASE_TYPE_MAX_LENGTH', 'Maximum number of context menu commands reached (15)');
  return errs.empty ? null : errs.toBody();
}
