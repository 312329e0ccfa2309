import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayIntentBits, Status, type Guild } from 'discord.js';
import type { App, Logger } from '../../src/index.ts';
import type { HttpServer } from '../http/server.ts';
import { handleInteraction, type InteractionContext } from './interactions.ts';
import type { DiscordOptions } from './options.ts';
import type { DiscordPort } from './port.ts';

export { commandPayloads } from './commands.ts';
export { discordOptionsFromEnv, type DiscordOptions } from './options.ts';
export { createDiscordPort, DiscordPort, type IntroChannelLookup } from './port.ts';
export { registerCommands } from './register.ts';

const PLATFORM = 'discord';

/** A running Discord adapter. */
export interface DiscordAdapter {
  client: Client;
  /** Stops taking interactions, waits for the ones in flight, and closes the gateway. */
  stop(): Promise<void>;
}

/**
 * Each community's intros channel from its settings (`/network-admin setup
 * intro_channel:`). A channel option stores the id; a name typed through the
 * text grammar (`#introductions`) is resolved among the guild's cached text
 * channels. Null when the community has none.
 */
export function introChannelLookup(app: App, client?: Client): (guildId: string) => Promise<string | null> {
  return async (guildId) => {
    const configured = await app.core.introChannelOf(PLATFORM, guildId);
    if (!configured || /^\d{15,25}$/.test(configured)) return configured;
    const byName = client?.guilds.cache.get(guildId)?.channels.cache.find((c) => c.type === ChannelType.GuildText && c.name === configured.replace(/^#/, ''));
    return byName?.id ?? null;
  };
}

/**
 * Starts Circulate on Discord: a gateway client with only the Guilds intent
 * (interactions need no intent; guild join and leave need Guilds), routing
 * interactions to the core. Pass the `port` the app was built with so the
 * outbox and the interactions share one REST rate-limit queue, the port can
 * see which guild a channel is in, and it reads each community's intros
 * channel from the app's database. The caller runs
 * `app.startBackground()` once for all adapters.
 */
export async function startDiscord(args: {
  app: App;
  log: Logger;
  options: DiscordOptions;
  port?: DiscordPort;
  /** Defer an interaction when the core has not answered within this long (default 2 s; Discord allows 3). */
  deferAfterMs?: number;
  /** The process's HTTP server: /readyz then reports whether the gateway is connected. */
  http?: Pick<HttpServer, 'addReadinessCheck'>;
}): Promise<DiscordAdapter> {
  const { app, options } = args;
  const log = args.log.child({ adapter: PLATFORM });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: options.apiUrl ? { api: options.apiUrl } : {} });
  if (args.port) {
    client.rest = args.port.rest;
    args.port.attachGuildLookup((channelId) => {
      const channel = client.channels.cache.get(channelId);
      return channel && 'guildId' in channel ? channel.guildId : undefined;
    });
    args.port.useIntroChannelLookup(introChannelLookup(app, client));
  }
  const ctx: InteractionContext = {
    core: app.core,
    client,
    log,
    deferAfterMs: args.deferAfterMs ?? 2000,
    ...(options.moderatorRoleId ? { moderatorRoleId: options.moderatorRoleId } : {}),
  };

  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const track = (work: Promise<unknown>): void => {
    const p = work.catch((err: unknown) => log.error({ err }, 'discord event failed')).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  /** A guild is a community: joining creates it (or brings it back after a leave). */
  const joined = (guild: Guild): Promise<unknown> => app.core.communityJoined(PLATFORM, guild.id, guild.name);

  client.on(Events.InteractionCreate, (interaction) => {
    if (!stopping) track(handleInteraction(ctx, interaction));
  });
  client.on(Events.GuildCreate, (guild) => track(joined(guild)));
  client.on(Events.GuildDelete, (guild) => {
    // discord.js emits GuildDelete only when the bot was removed; an outage is GuildUnavailable.
    track(
      (async () => {
        await app.core.communityLeft(PLATFORM, guild.id);
        log.info({ guild: guild.id }, 'left a guild; its community stops');
      })(),
    );
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardError, (err, shardId) => log.error({ err, shardId }, 'discord gateway error'));

  args.http?.addReadinessCheck('discord', async () => (client.isReady() && client.ws.status === Status.Ready ? 'ok' : 'gateway not connected'));
  const ready = once(client, Events.ClientReady);
  await client.login(options.token);
  await ready;
  // Guilds joined while the bot was offline arrive in READY, without a GuildCreate event.
  await Promise.all(client.guilds.cache.map((guild) => joined(guild)));
  log.info({ guilds: client.guilds.cache.size }, 'discord adapter ready');

  return {
    client,
    async stop() {
      if (stopping) return;
      stopping = true;
      client.removeAllListeners(Events.InteractionCreate);
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
  };
}
