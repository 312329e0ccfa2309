import { z } from 'zod';

/** What the Discord adapter needs to run; the composition root builds it from the environment. */
export interface DiscordOptions {
  /** Bot token (DISCORD_TOKEN). */
  token: string;
  /** Application id (DISCORD_APPLICATION_ID), for command registration and interaction webhooks. */
  applicationId: string;
  /** REST base without the version, e.g. `http://127.0.0.1:PORT/api` (DISCORD_API_URL; tests). */
  apiUrl?: string;
  /** Register commands in this guild only: instant, for development (DISCORD_GUILD_ID). */
  guildId?: string;
  /**
   * Text channel whose private threads hold introductions (DISCORD_INTRO_CHANNEL_ID), for
   * communities that set none with `/network-admin setup intro_channel:`; DMs when neither is set.
   */
  introChannelId?: string;
  /** Members with this role are moderators, besides those with Manage Server (DISCORD_MODERATOR_ROLE_ID). */
  moderatorRoleId?: string;
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const snowflake = (name: string) => z.string({ message: `${name} is required` }).trim().regex(/^\d{15,25}$/, `${name} must be a Discord id (digits)`);
const optionalSnowflake = (name: string) => optional.pipe(snowflake(name).optional());

/** The Discord variables, checked once; a bad value names the variable. */
export const discordEnvSchema = z.object({
  DISCORD_TOKEN: z.string({ message: 'DISCORD_TOKEN is required' }).trim().min(1, 'DISCORD_TOKEN is required'),
  DISCORD_APPLICATION_ID: snowflake('DISCORD_APPLICATION_ID'),
  DISCORD_API_URL: optional.pipe(z.url({ message: 'DISCORD_API_URL must be a URL' }).optional()),
  DISCORD_GUILD_ID: optionalSnowflake('DISCORD_GUILD_ID'),
  DISCORD_INTRO_CHANNEL_ID: optionalSnowflake('DISCORD_INTRO_CHANNEL_ID'),
  DISCORD_MODERATOR_ROLE_ID: optionalSnowflake('DISCORD_MODERATOR_ROLE_ID'),
});

/** Parses Discord options from the environment; throws an Error listing each bad variable. */
export function discordOptionsFromEnv(env: Record<string, string | undefined> = process.env): DiscordOptions {
  const parsed = discordEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new Error(`Invalid Discord configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
    ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
    ...(e.DISCORD_INTRO_CHANNEL_ID ? { introChannelId: e.DISCORD_INTRO_CHANNEL_ID } : {}),
    ...(e.DISCORD_MODERATOR_ROLE_ID ? { moderatorRoleId: e.DISCORD_MODERATOR_ROLE_ID } : {}),
  };
}
