import { z } from 'zod';
import type { Config } from './config.ts';
import { parseObject } from './db/json.ts';
import type { CommunityRow } from './db/tables.ts';

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
  timeZone: z.string(),
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
  };
}

/** The community's effective settings; stored values that no longer validate fall back to defaults. */
export function settingsFor(community: CommunityRow, config: Config): CommunitySettings {
  const stored = settingsSchema.partial().safeParse(parseObject(community.settings));
  return { ...defaultSettings(config), ...(stored.success ? stripUndefined(stored.data) : {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
