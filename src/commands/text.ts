import { z } from 'zod';

/**
 * Validation for text members type. Control characters and platform mention
 * syntax are refused with a clear message rather than silently altered: the
 * member sees exactly what was wrong, and nothing stored can ping a group.
 */

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/;
/** @everyone / @here, Slack's <!channel>-style specials, raw user/role/channel mention tokens. */
const MENTION = /@(everyone|here|channel)\b|<[!@#][^>]*>|<@&\d+>/i;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export function hasMentionSyntax(text: string): boolean {
  return MENTION.test(text);
}

/** A free-text field: trimmed, length-limited, no control characters, no mention syntax. */
export function memberText(label: string, options: { min?: number; max: number; multiline?: boolean }) {
  const min = options.min ?? 1;
  return z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .refine((s) => min === 0 || s.length > 0, { message: `${label} is missing.` })
        .refine((s) => s.length === 0 || s.length >= min, { message: `${label} needs at least ${min} characters.` })
        .max(options.max, `${label} is too long: keep it under ${options.max} characters.`)
        .refine((s) => !hasControlCharacters(options.multiline ? s.replace(/[\n\t]/g, ' ') : s), {
          message: `${label} contains control characters; please retype it as plain text.`,
        })
        .refine((s) => !hasMentionSyntax(s), {
          message: `${label} contains mention syntax (like @everyone, @here or <@…>). Circulate never pings groups; please remove it.`,
        }),
    );
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

/** Every distinct problem in a zod error, phrased for a member, in one message. */
export function describeIssues(error: z.ZodError): string {
  const messages = [...new Set(error.issues.map((i) => i.message))];
  return messages.length ? messages.join(' ') : 'That did not look right.';
}

/** All problems keyed by the first path element, for inline form errors. */
export function fieldIssues(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}
