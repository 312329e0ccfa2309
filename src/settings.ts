import { z } from 'zod';
import { isTimeZone, type Config } from './config.ts';
import { parseObject } from './db/json.ts';
import type { CommunityRow } from './db/tables.ts';
import type { Logger } from './logger.ts';

/** Days a schedule can name, Monday first as ISO weekdays are numbered. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Per-community settings. Stored as JSON on the community; anything unset takes
 * the deployment's default from the environment, so a new community works at once.
 */
export const settingsSchema = z.object({
  maxOpenAsks: z.number().int().min(1).max(20),
  responseWindowHours: z.number().int().min(1).max(24 * 14),
  maxHelperTries: z.number().int().min(1).max(10),
  rematchWindowWeeks: z.number().int().min(0).max(104),
  checkinDelayDays: z.number().int().min(1).max(60),
  practiceFeedbackDelayDays: z.number().int().min(1).max(30),
  timeZone: z.string().refine(isTimeZone, { message: 'expected an IANA time zone' }),
  /** Where weekly prompts, digests and round announcements go; null until a moderator sets it. */
  promptChannelId: z.string().min(1).max(100).nullable(),
  promptDay: z.enum(WEEKDAYS),
  /** Local time "HH:MM" in `timeZone`. */
  promptTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  pairingCadence: z.enum(['weekly', 'biweekly', 'monthly', 'off']),
  groupSize: z.union([z.literal(2), z.literal(3)]),
  /** Past connections quiet for this long are suggested by /network reconnect. */
  reconnectAfterDays: z.number().int().min(7).max(3650),
  /** Platform user ids a community lists as moderators, beyond platform admins. */
  moderatorIds: z.array(z.string().min(1).max(64)).max(50),
  /** Where introductions open as private threads, on platforms that have them. */
  introChannelId: z.string().min(1).max(100).nullable(),
});


export type CommunitySettings = z.infer<typeof settingsSchema>;

export function defaultSettings(config: Config): CommunitySettings {
  return {
    maxOpenAsks: config.MAX_OPEN_ASKS,
    responseWindowHours: config.RESPONSE_WINDOW_HOURS,
    maxHelperTries: config.MAX_HELPER_TRIES,
    rematchWindowWeeks: config.REMATCH_WINDOW_WEEKS,
    checkinDelayDays: config.CHECKIN_DELAY_DAYS,
    practiceFeedbackDelayDays: config.PRACTICE_FEEDBACK_DELAY_DAYS,
    timeZone: config.DEFAULT_TIME_ZONE,
    promptChannelId: config.DEFAULT_PROMPT_CHANNEL ?? null,
    promptDay: config.PROMPT_DAY,
    promptTime: config.PROMPT_TIME,
    pairingCadence: config.PAIRING_CADENCE,
    groupSize: config.GROUP_SIZE,
    reconnectAfterDays: config.RECONNECT_AFTER_DAYS,
    moderatorIds: [],
    introChannelId: null,
  };
}

type SettingsKey = keyof CommunitySettings;
const SETTINGS_KEYS = Object.keys(settingsSchema.shape) as SettingsKey[];

/**
 * The stored settings that still validate, field by field, and the fields that do
 * not. One bad field (a value from an older release, a hand edit) costs only
 * itself; unknown keys are ignored.
 */
function validStoredSettings(text: string): { valid: Partial<CommunitySettings>; invalid: { field: string; problem: string }[] } {
  const stored = parseObject(text);
  const valid: Record<string, unknown> = {};
  const invalid: { field: string; problem: string }[] = [];
  if (text.trim() && text.trim() !== '{}' && Object.keys(stored).length === 0) invalid.push({ field: '(all)', problem: 'not a JSON object' });
  for (const key of SETTINGS_KEYS) {
    if (!(key in stored) || stored[key] === undefined) continue;
    const parsed = settingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) valid[key] = parsed.data;
    else invalid.push({ field: key, problem: parsed.error.issues.map((i) => i.message).join('; ') });
  }
  return { valid: valid as Partial<CommunitySettings>, invalid };
}

/** Each bad stored value is logged once per process, not on every command. */
const warned = new Set<string>();

/**
 * The community's effective settings: each stored value that validates, and the
 * deployment's default for each one that is unset or no longer validates; an
 * invalid value is logged (community and field) once.
 */
export function settingsFor(community: CommunityRow, config: Config, log?: Pick<Logger, 'warn'>): CommunitySettings {
  const { valid, invalid } = validStoredSettings(community.settings);
  if (log) {
    for (const { field, problem } of invalid) {
      const key = `${community.id}\u0000${field}\u0000${community.settings}`;
      if (warned.has(key)) continue;
      if (warned.size >= 10_000) warned.clear();
      warned.add(key);
      log.warn({ community: community.id, platform: community.platform, platformId: community.platform_id, field, problem }, 'stored community setting is invalid; using the default for that field only');
    }
  }
  return { ...defaultSettings(config), ...valid };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Validates and stores changed settings on a community; returns the problems when
 * the changes are invalid. Stored values that no longer validate are dropped (they
 * were already taking their defaults), so they never block a moderator's change.
 */
export function mergeSettings(community: CommunityRow, changes: Partial<CommunitySettings>): { settings: string } | { error: string } {
  const current = validStoredSettings(community.settings).valid;
  const next = { ...current, ...changes };
  const parsed = settingsSchema.partial().safeParse(next);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { settings: JSON.stringify(stripUndefined(parsed.data)) };
}
