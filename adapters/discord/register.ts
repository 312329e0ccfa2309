import { pathToFileURL } from 'node:url';
import dotenv from 'dotenv';
import { Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { commandPayloads } from './commands.ts';
import { discordOptionsFromEnv, type DiscordOptions } from './options.ts';
import { discordRest } from './port.ts';

/**
 * Registers Circulate's slash commands, replacing whatever was registered
 * before (a PUT of the whole list, so renamed or removed commands disappear).
 * With a guild id the commands appear in that guild at once (development);
 * without one they are global and reach every guild, which Discord may take a
 * while to propagate.
 */
export async function registerCommands(options: Pick<DiscordOptions, 'token' | 'applicationId' | 'apiUrl' | 'guildId'>): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = discordRest(options);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  return (await rest.put(route, { body: commandPayloads() })) as RESTPutAPIApplicationCommandsResult;
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const options = discordOptionsFromEnv();
  const registered = await registerCommands(options);
  const where = options.guildId ? `in guild ${options.guildId}` : 'globally';
  process.stdout.write(`Registered ${registered.length} commands ${where}: ${registered.map((c) => `/${c.name}`).join(', ')}\n`);
}

// `npm run discord:register`; importing this module (tests) only defines registerCommands.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
