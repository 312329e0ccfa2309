import { z } from 'zod';

/**
 * Validation for text members type. Control characters and platform mention
 * syntax are refused with a clear message rather than silently altered: the
 * member sees exactly what was wrong, and nothing stored can ping a group.
 */

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/;
/**
 * Group pings: `@everyone` / `@here` / `@channel` as a token of their own (not inside a word or an
 * e-mail address such as alice@here.org), in any case.
 */
const GROUP_WORD = /(?<![\p{L}\p{N}_])@(?:everyone|here|channel)(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/iu;
/**
 * Raw platform mention syntax: Slack specials (`<!channel>`, `<!here>`, `<!everyone>`,
 * `<!subteam^S1|name>`, any `<!…>`), user and channel tokens (`<@U123>`, `<@U123|ann>`, `<#C1>`),
 * Discord users, nicknames, roles and channels (`<@123>`, `<@!123>`, `<@&123>`, `<#123>`).
 */
const RAW_MENTION = /<![^<>\s][^<>]*>|<@[!&]?[A-Za-z0-9]+(?:\|[^<>]*)?>|<#[A-Za-z0-9]+(?:\|[^<>]*)?>/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export function hasMentionSyntax(text: string): boolean {
  return GROUP_WORD.test(text) || RAW_MENTION.test(text);
}

/** "The details are" / "The topic is": field labels name one thing or several. */
function isPlural(label: string): boolean {
  const last = label.trim().split(/\s+/).pop() ?? '';
  return /[^s]s$/i.test(last);
}

/** A free-text field: trimmed, length-limited, no control characters, no mention syntax. */
export function memberText(label: string, options: { min?: number; max: number; multiline?: boolean }) {
  const min = options.min ?? 1;
  const plural = isPlural(label);
  const is = plural ? 'are' : 'is';
  const needs = plural ? 'need' : 'needs';
  const contains = plural ? 'contain' : 'contains';
  return z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .refine((s) => min === 0 || s.length > 0, { message: `${label} ${is} missing.` })
        .refine((s) => s.length === 0 || s.length >= min, { message: `${label} ${needs} at least ${min} characters.` })
        .max(options.max, `${label} ${is} too long: keep it under ${options.max} characters.`)
        .refine((s) => !hasControlCharacters(options.multiline ? s.replace(/[\n\t]/g, ' ') : s), {
          message: `${label} ${contains} control characters; please retype it as plain text.`,
        })
        .refine((s) => !hasMentionSyntax(s), {
          message: `${label} ${contains} mention syntax (like @everyone, @here or <@…>). Circulate never pings groups; please remove it. E-mail addresses are fine.`,
        }),
    );
}

/**
 * The longest command text Circulate reads. Checked at the core's command entry before any
 * parsing, so no pattern ever runs over a huge input (Slack caps slash-command text near 4,000).
 */
export const MAX_COMMAND_TEXT = 4000;

/** The member-facing problem with an over-long command text, or null when it is fine. */
export function commandTextTooLong(text: string): string | null {
  if (text.length <= MAX_COMMAND_TEXT) return null;
  return `That is too long for one command (${text.length.toLocaleString('en-US')} characters; at most ${MAX_COMMAND_TEXT.toLocaleString('en-US')}). Please shorten it.`;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * A trailing "N unit" suffix such as "20 min", "(3/month)." or ", 2 a month", found by one
 * backwards scan (linear in the text; no backtracking pattern). It matches what
 * `[\s,;(]*(\d{1,3})\s*(?:UNIT)TAIL\)?\.?\s*$` (case-insensitive) would match, where TAIL
 * is `\s*month` when `tail` is given: `index` is where the suffix starts, `value` the digits.
 */
export function numberSuffix(text: string, units: readonly string[], tail?: string): { index: number; value: string } | null {
  let i = text.length;
  while (isSpace(text[i - 1])) i--;
  if (text[i - 1] === '.') i--;
  if (text[i - 1] === ')') i--;
  const lower = (from: number, to: number) => text.slice(from, to).toLowerCase();
  if (tail !== undefined) {
    if (i < tail.length || lower(i - tail.length, i) !== tail) return null;
    i -= tail.length;
    while (isSpace(text[i - 1])) i--;
  }
  // The unit that ends here; at most one can, since no unit is a suffix of another we use.
  const unit = [...units].sort((a, b) => b.length - a.length).find((u) => i >= u.length && lower(i - u.length, i) === u);
  if (unit === undefined) return null;
  i -= unit.length;
  while (isSpace(text[i - 1])) i--;
  const end = i;
  while (end - i < 3 && isDigit(text[i - 1])) i--;
  if (i === end) return null;
  const value = text.slice(i, end);
  while (text[i - 1] !== undefined && (isSpace(text[i - 1]) || ',;('.includes(text[i - 1]!))) i--;
  return { index: i, value };
}

/** Splits "word rest of text" into the first word (lowercased) and the rest. */
export function firstWord(text: string): [string, string] {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return ['', ''];
  return [match[1]!.toLowerCase(), match[2]!];
}

/**
 * Parses `key=value key="quoted value"` pairs, the grammar shared by profile edits
 * and console form answers. Returns null when the text is not in that shape.
 */
export function parseKeyValues(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  const re = /\s*([a-z][a-z0-9_-]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/giy;
  let rest = text.trim();
  if (!rest) return null;
  re.lastIndex = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) {
    out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    consumed = re.lastIndex;
  }
  rest = rest.slice(consumed).trim();
  if (rest !== '' || Object.keys(out).length === 0) return null;
  return out;
}

/**
 * One issue in a member's words. Our schemas phrase their own problems; what is left are zod's
 * defaults for a field that was not given at all ("Invalid input: expected string, received
 * undefined"), which say nothing to a member, so they name the missing field instead.
 */
function phrase(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const key = issue.path.map(String).join('.') || 'a value';
  return /received undefined$/.test(issue.message) ? `${key} is missing: add ${key}=….` : `${key} is not valid here.`;
}

/** Every distinct problem in a zod error, phrased for a member, in one message. */
export function describeIssues(error: z.ZodError): string {
  const messages = [...new Set(error.issues.map(phrase))];
  return messages.length ? messages.join(' ') : 'That did not look right.';
}

/** All problems keyed by the first path element, for inline form errors. */
export function fieldIssues(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= phrase(issue);
  }
  return out;
}
