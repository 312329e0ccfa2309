import type { APIApplicationCommandOptionChoice } from 'discord.js';
import { AVAILABILITY_WORDS, BUILTIN_TOPICS } from '../../src/index.ts';

/**
 * Autocomplete suggestions. They only help members type; the core decides what
 * a topic means, so what the member typed is always offered first, unchanged.
 */

/** Discord's limits on autocomplete answers. */
export const AUTOCOMPLETE_LIMITS = { choices: 25, name: 100, value: 100 } as const;

type Choice = APIApplicationCommandOptionChoice<string>;

const fit = (text: string): string => text.slice(0, AUTOCOMPLETE_LIMITS.value);

function uniqueChoices(values: string[]): Choice[] {
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const raw of values) {
    const value = fit(raw.trim());
    if (!value || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    out.push({ name: value, value });
    if (out.length === AUTOCOMPLETE_LIMITS.choices) break;
  }
  return out;
}

/** Topics from the built-in library-career list whose label or a synonym contains what was typed. */
export function suggestTopics(typed: string): Choice[] {
  const q = typed.trim().toLowerCase();
  const labels = BUILTIN_TOPICS.filter((t) => !q || t.label.includes(q) || t.synonyms.some((s) => s.includes(q))).map((t) => t.label);
  const prefix = labels.filter((l) => l.startsWith(q));
  const rest = labels.filter((l) => !l.startsWith(q));
  return uniqueChoices([typed, ...prefix, ...rest]);
}

/** Availability words: completes the last word typed, keeping the words before it. */
export function suggestAvailability(typed: string): Choice[] {
  const words = typed.trim().split(/[\s,]+/).filter(Boolean);
  const endsWithSpace = /\s$/.test(typed);
  const last = endsWithSpace ? '' : (words.pop() ?? '').toLowerCase();
  const head = words.join(' ');
  const vocabulary = AVAILABILITY_WORDS.split(/,\s*/).filter((w) => !words.includes(w));
  const completions = vocabulary.filter((w) => w.startsWith(last)).map((w) => (head ? `${head} ${w}` : w));
  return uniqueChoices([typed, ...completions]);
}

/** Suggestions for the option being typed, by option name; none for options without autocomplete. */
export function suggest(optionName: string, typed: string): Choice[] {
  if (optionName === 'topic') return suggestTopics(typed);
  if (optionName === 'availability') return suggestAvailability(typed);
  return [];
}
