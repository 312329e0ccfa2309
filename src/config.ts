import { z } from 'zod';

/**
 * Every environment variable Circulate reads, parsed once at start-up. A bad value
 * stops the process with the variable's name and what was expected, so a typo in
 * `.env` never turns into odd behaviour hours later.
 */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const configSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).default('./data/circulate.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  PORT: int(0, 65535).default(3000),
  HTTP_MAX_CONNECTIONS: int(1, 1_000_000).default(1024),
  HTTP_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  /** true, false, or comma-separated proxy addresses/CIDRs (see adapters/http/server.ts). */
  TRUST_PROXY: optionalText.refine((v) => v === undefined || !/^\d+$/.test(v), {
    message: 'a hop count is not supported (it cannot check who sent it): give true or the proxy addresses',
  }),
  DEFAULT_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/London' }),
  MAX_OPEN_ASKS: int(1, 20).default(3),
  RESPONSE_WINDOW_HOURS: int(1, 24 * 14).default(72),
  MAX_HELPER_TRIES: int(1, 10).default(3),
  REMATCH_WINDOW_WEEKS: int(0, 104).default(12),
  CHECKIN_DELAY_DAYS: int(1, 60).default(7),
  PRACTICE_FEEDBACK_DELAY_DAYS: int(1, 30).default(3),
  TIMER_POLL_SECONDS: int(1, 3600).default(15),
  /** A message claimed by an instance that died is sent again (after checking it is not there) once this lease ends. */
  OUTBOX_LEASE_SECONDS: int(1, 3600).default(60),
  PROMPT_DAY: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']).default('monday'),
  PROMPT_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a 24-hour time such as 09:00' })
    .default('09:00'),
  DEFAULT_PROMPT_CHANNEL: optionalText,
  PAIRING_CADENCE: z.enum(['weekly', 'biweekly', 'monthly', 'off']).default('biweekly'),
  GROUP_SIZE: z.coerce
    .number()
    .refine((n) => n === 2 || n === 3, { message: 'expected 2 or 3' })
    .transform((n) => n as 2 | 3)
    .default(2),
  RECONNECT_AFTER_DAYS: int(7, 3650).default(90),
  SCHEDULE_GRACE_HOURS: int(0, 72).default(6),
  /** Start and warm up the matching thread a few minutes before each round or meetup start (about 1 s of one core, off the main thread) so it runs at full speed. */
  MATCHING_WARM_UP: z.stringbool({ error: 'expected true or false' }).default(true),
  CONSOLE_COMMUNITY_NAME: z.string().trim().min(1).max(80).default('Console community'),
  CONSOLE_MODERATORS: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url({ message: 'expected a URL ending in /api/' }).optional()),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_ENCRYPTION_KEY: optionalText,
  SLACK_REDIRECT_URI: optionalText.pipe(z.url({ message: 'expected the full https:// redirect URL' }).optional()),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_API_URL: optionalText.pipe(z.url({ message: 'expected a URL such as http://127.0.0.1:8080/api' }).optional()),
  DISCORD_GUILD_ID: optionalText,
  DISCORD_INTRO_CHANNEL_ID: optionalText,
  DISCORD_MODERATOR_ROLE_ID: optionalText,
});

/** The variables whose values are secrets; never logged. */
export const SECRET_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_ENCRYPTION_KEY', 'DISCORD_TOKEN'] as const;

/** The validated, frozen configuration the composition root hands to every part. */
export type Config = Readonly<z.infer<typeof configSchema>>;

/** Thrown when the environment does not parse; main prints it and exits non-zero. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** True for names the runtime's time-zone database knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses the environment; unknown variables are ignored, bad ones are named in the error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      return `  ${name}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])] ?? null)})`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}
