/**
 * Proves the fake Discord against the REAL discord.js 14 client: if these pass,
 * the adapter's end-to-end tests exercise the same code paths (REST handlers,
 * gateway shard, interaction response plumbing) as production.
 */
import { once } from 'node:events';
import zlib from 'node:zlib';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  REST,
  Routes,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Guild,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from './server.ts';

let fake: FakeDiscord;
let client: Client;

/** Runs `fn` on the next interaction the client emits; settles when `fn` does. */
function onNextInteraction(fn: (i: Interaction) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (i) => {
      fn(i).then(() => resolve(), reject);
    });
  });
}

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatInterval: 200 });
  client = new Client({ intents: [GatewayIntentBits.Guilds], ...fake.clientOptions() });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
});

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

describe('fake Discord with the real discord.js Client', () => {
  it('logs in: READY + GUILD_CREATE populate the cache, IDENTIFY records Guilds intent, heartbeats are ACKed', async () => {
    const g = fake.guild();
    const guild = client.guilds.cache.get(g.id);
    expect(guild?.name).toBe('Circulate Test Guild');
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.find((c) => c.name === 'general')?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(fake.applicationId);
    expect(guild?.roles.everyone.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    const identify = await fake.waitForIdentify();
    expect(identify.intents).toBe(GatewayIntentBits.Guilds);
    expect(fake.callsTo('GET', /^\/gateway\/bot$/)).toHaveLength(1);
    expect(fake.calls[0]?.headers.authorization).toBe(`Bot ${fake.token}`);
    await until(() => fake.heartbeats > 0 && client.ws.ping >= 0);
  });

  it('chat input command → reply with MessageFlags.Ephemeral hits the callback with type 4 and flag 64', async () => {
    const alice = fake.user('alice');
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected chat input');
      expect(i.commandName).toBe('intro');
      expect(i.options.getString('topic')).toBe('cataloguing');
      expect(i.options.getInteger('years')).toBe(3);
      expect(i.options.getUser('buddy')?.username).toBe('bob');
      expect(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
      expect(i.guildId).toBe(fake.guild().id);
      await i.reply({ content: `Hi <@${alice.id}>`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    });
    const interaction = fake.sendInteraction(
      fake.chatInputInteraction({ name: 'intro', user: 'alice', moderator: true, options: { topic: 'cataloguing', years: 3, buddy: { user: 'bob' } } }),
    );
    const cb = await fake.waitForCallback(interaction.id);
    await handled;
    expect(cb.status).toBe(204);
    expect(cb.body).toMatchObject({ type: 4, data: { content: `Hi <@${alice.id}>`, flags: 64 } });
    expect(cb.headers.authorization).toBeUndefined(); // discord.js sends callbacks with auth: false
    expect(fake.pingsOf(cb)).toMatchObject({ users: [], roles: [], everyone: false, ephemeral: true });
    expect(fake.originalResponse(interaction.id)?.flags).toBe(64);
  });

  it('deferReply then editReply patches @original', async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected chat input');
      await i.deferReply();
      await i.editReply({ content: 'Matched you with Bob' });
      await i.followUp({ content: 'PS: check your DMs', flags: MessageFlags.Ephemeral });
    });
    const interaction = fake.sendInteraction(fake.chatInputInteraction({ name: 'match' }));
    await handled;
    const [cb] = fake.callsTo('POST', new RegExp(`^/interactions/${interaction.id}/`));
    expect(cb?.body).toMatchObject({ type: 5, data: { flags: 0 } });
    const [edit] = fake.callsTo('PATCH', /\/messages\/@original$/);
    expect(edit?.status).toBe(200);
    expect(fake.originalResponse(interaction.id)).toMatchObject({ content: 'Matched you with Bob', flags: 0 });
    expect(fake.interaction(interaction.id)?.followupIds).toHaveLength(1);
  });

  it('button interaction → update() answers type 7 and edits the component message', async () => {
    const channel = client.channels.cache.get(fake.channel('general').id as string) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('join:42').setLabel('Join').setStyle(ButtonStyle.Primary),
    );
    const posted = await channel.send({ content: 'Coffee chat?', components: [row] });
    const handled = onNextInteraction(async (i) => {
      if (!i.isButton()) throw new Error('expected button');
      expect(i.customId).toBe('join:42');
      expect(i.message.id).toBe(posted.id);
      await i.update({ content: 'Joined!', components: [] });
    });
    const interaction = fake.sendInteraction(fake.buttonInteraction({ custom_id: 'join:42', user: 'bob' }));
    const cb = await fake.waitForCallback(interaction.id);
    await handled;
    expect(cb.body).toMatchObject({ type: 7, data: { content: 'Joined!', components: [] } });
    expect(fake.messages.get(posted.id)).toMatchObject({ content: 'Joined!', components: [] });
  });

  it('showModal answers type 9; the modal submit mirrors it and can be replied to', async () => {
    const shown = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected chat input');
      const modal = new ModalBuilder()
        .setCustomId('profile')
        .setTitle('Your profile')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('bio').setLabel('Bio').setStyle(TextInputStyle.Paragraph),
          ),
        );
      await i.showModal(modal);
    });
    const cmd = fake.sendInteraction(fake.chatInputInteraction({ name: 'profile' }));
    const cb = await fake.waitForCallback(cmd.id);
    await shown;
    expect(cb.body).toMatchObject({ type: 9, data: { custom_id: 'profile', title: 'Your profile' } });

    const submitted = onNextInteraction(async (i) => {
      if (!i.isModalSubmit()) throw new Error('expected modal submit');
      expect(i.fields.getTextInputValue('bio')).toBe('Rare books librarian');
      await i.reply({ content: 'Saved', ephemeral: true }); // deprecated spelling, still sends flag 64
    });
    const submit = fake.sendInteraction(fake.modalSubmitInteraction({ custom_id: 'profile', fields: { bio: 'Rare books librarian' } }));
    const cb2 = await fake.waitForCallback(submit.id);
    await submitted;
    expect(cb2.body).toMatchObject({ type: 4, data: { content: 'Saved', flags: 64 } });
  });

  it('autocomplete answers type 8 with choices', async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      expect(i.options.getFocused()).toBe('arc');
      await i.respond([{ name: 'Archives', value: 'archives' }]);
    });
    const ac = fake.sendInteraction(fake.autocompleteInteraction({ name: 'interest', focused: 'topic', options: { topic: 'arc' } }));
    const cb = await fake.waitForCallback(ac.id);
    await handled;
    expect(cb.body).toEqual({ type: 8, data: { choices: [{ name: 'Archives', value: 'archives' }] } });
  });

  it('rejects invalid payloads with Discord-shaped 50035 and double acknowledgements with 40060', async () => {
    const row = { type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'x' }] };
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected chat input');
      const tooMany = Array.from({ length: 6 }, (_, n) => ({ ...row, components: [{ ...row.components[0], custom_id: `b${n}` }] }));
      const error = await i.reply({ content: 'x'.repeat(2001), components: tooMany as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).code).toBe(50035);
      expect((error as DiscordAPIError).rawError).toMatchObject({
        message: 'Invalid Form Body',
        errors: {
          data: {
            content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
            components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] },
          },
        },
      });
      await i.reply({ content: 'ok' });
      const second = await client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'again' } }, auth: false })
        .catch((e: unknown) => e);
      expect((second as DiscordAPIError).code).toBe(40060);
      expect((second as DiscordAPIError).status).toBe(400);
    });
    fake.sendInteraction(fake.chatInputInteraction({ name: 'bad' }));
    await handled;
  });

  it('waits out an injected 429 (channel bucket and interaction callback) and succeeds', async () => {
    const channel = client.channels.cache.get(fake.channel('general').id as string) as TextChannel;
    fake.injectRateLimit({ method: 'POST', route: /^\/channels\/\d+\/messages$/, retryAfter: 0.3 });
    const started = Date.now();
    const msg = await channel.send({ content: 'after the limit' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const attempts = fake.callsTo('POST', /^\/channels\/\d+\/messages$/).filter((c) => (c.body as { content?: string }).content === 'after the limit');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[0]?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.3, global: false });
    expect(fake.messages.get(msg.id)?.content).toBe('after the limit');

    fake.injectRateLimit({ route: /\/callback$/, retryAfter: 0.2 });
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected chat input');
      await i.reply({ content: 'eventually' });
    });
    const interaction = fake.sendInteraction(fake.chatInputInteraction({ name: 'slow' }));
    await handled;
    expect(fake.interaction(interaction.id)?.callbacks.map((c) => c.status)).toEqual([429, 204]);
  });

  it('retries injected 500s transparently', async () => {
    fake.injectError({ route: /^\/users\/\d+$/, status: 500, times: 2 });
    const user = await client.users.fetch(fake.user('bob').id, { force: true });
    expect(user.username).toBe('bob');
    expect(fake.callsTo('GET', /^\/users\/\d+$/).map((c) => c.status)).toEqual([500, 500, 200]);
  });

  it('DMs: delivered to a willing user, 50007 for a user who refuses DMs', async () => {
    await client.users.send(fake.user('alice').id, { content: 'Your match is Bob', allowedMentions: { parse: [] } });
    expect(fake.dmsTo('alice').map((m) => m.content)).toEqual(['Your match is Bob']);
    const error = await client.users.send(fake.user('carol').id, 'hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50007, status: 403, message: 'Cannot send messages to this user' });
    expect(fake.callsTo('POST', /^\/users\/@me\/channels$/).map((c) => c.status)).toEqual([200, 200]);
  });

  it('records who would be pinged, following allowed_mentions', async () => {
    const channel = client.channels.cache.get(fake.channel('general').id as string) as TextChannel;
    const alice = fake.user('alice').id;
    const bob = fake.user('bob').id;
    const mods = fake.role('Moderators').id;
    const content = `<@${alice}> <@!${bob}> <@&${mods}> @everyone`;
    await channel.send({ content });
    await channel.send({ content, allowedMentions: { users: [alice] } });
    await channel.send({ content, allowedMentions: { parse: ['roles', 'everyone'] } });
    const [raw, onlyAlice, rolesAndEveryone] = fake.messageCalls().filter((c) => (c.body as { content?: string }).content === content);
    expect(raw?.mentionWarning).toMatch(/allowed_mentions is absent/);
    expect(fake.pingsOf(raw!)).toMatchObject({ users: [alice, bob], roles: [mods], everyone: true });
    expect(fake.pingsOf(onlyAlice!)).toMatchObject({ users: [alice], roles: [], everyone: false });
    expect(onlyAlice?.mentionWarning).toBeUndefined();
    expect(fake.pingsOf(rolesAndEveryone!)).toMatchObject({ users: [], roles: [mods], everyone: true });
    const exclusive = await channel
      .send({ content, allowedMentions: { parse: ['users'], users: [alice] } })
      .catch((e: unknown) => e);
    expect((exclusive as DiscordAPIError).code).toBe(50035);
  });

  it('creates a private thread and adds a member', async () => {
    const channel = client.channels.cache.get(fake.channel('general').id as string) as TextChannel;
    const thread = await channel.threads.create({ name: 'Alice × Bob', type: ChannelType.PrivateThread, invitable: false });
    expect(thread.type).toBe(ChannelType.PrivateThread);
    await thread.members.add(fake.user('alice').id);
    expect(fake.threadMembersOf(thread.id)).toEqual([fake.applicationId, fake.user('alice').id]);
    const [create] = fake.callsTo('POST', /\/threads$/);
    expect(create?.body).toMatchObject({ name: 'Alice × Bob', type: 12, invitable: false });
  });

  it('GUILD_CREATE / GUILD_DELETE fire guildCreate / guildDelete', async () => {
    const joined = once(client, Events.GuildCreate) as Promise<[Guild]>;
    const payload = fake.guildCreate({ name: 'Second Library Guild', channels: [{ name: 'lobby' }] });
    const [guild] = await joined;
    expect(guild.id).toBe(payload.id);
    expect(guild.channels.cache.map((c) => c.name)).toEqual(['lobby']);
    const left = once(client, Events.GuildDelete) as Promise<[Guild]>;
    fake.guildDelete(guild.id);
    const [gone] = await left;
    expect(gone.id).toBe(guild.id);
    expect(client.guilds.cache.has(guild.id)).toBe(false);
  });

  it('resumes after a dropped connection and keeps delivering events', async () => {
    const resumed = once(fake, 'resume');
    fake.dropConnections(4000);
    await resumed;
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected chat input');
      await i.reply({ content: 'still here' });
    });
    const interaction = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    await handled;
    expect(fake.interaction(interaction.id)?.responseType).toBe(4);
    expect(fake.identifies).toHaveLength(1);
  });
});

describe('REST-only use (command registration)', () => {
  it('bulk-overwrites guild commands built with SlashCommandBuilder, and validates names', async () => {
    const rest = new REST({ api: fake.restBase }).setToken(fake.token);
    const commands = [
      new SlashCommandBuilder()
        .setName('intro')
        .setDescription('Introduce yourself')
        .addStringOption((o) => o.setName('topic').setDescription('What you work on').setRequired(true)),
      new SlashCommandBuilder().setName('match').setDescription('Find a peer').setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
    ].map((c) => c.toJSON());
    const guildId = fake.guild().id;
    const result = (await rest.put(Routes.applicationGuildCommands(fake.applicationId, guildId), { body: commands })) as Array<{ id: string; name: string }>;
    expect(result.map((c) => c.name)).toEqual(['intro', 'match']);
    expect(fake.commands.get(guildId)?.[1]).toMatchObject({ name: 'match', default_member_permissions: '32', guild_id: guildId });
    const [put] = fake.callsTo('PUT', /^\/applications\/\d+\/guilds\/\d+\/commands$/);
    expect(put?.body).toEqual(commands);
    const listed = (await rest.get(Routes.applicationGuildCommands(fake.applicationId, guildId))) as unknown[];
    expect(listed).toHaveLength(2);

    const error = await rest
      .put(Routes.applicationCommands(fake.applicationId), { body: [{ name: 'Intro', description: '' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect((error as DiscordAPIError).rawError).toMatchObject({
      errors: { 0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_NAME_LOWERCASE' }] }, description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } } },
    });
  });

  it('answers 401 to a wrong token', async () => {
    const rest = new REST({ api: fake.restBase }).setToken('wrong');
    await expect(rest.get(Routes.user())).rejects.toMatchObject({ status: 401 });
  });
});

describe('strictness knobs (REST only, own fake)', () => {
  let strict: FakeDiscord;
  let rest: REST;
  beforeAll(async () => {
    strict = await startFakeDiscord({ interactionAckDeadlineMs: 50, requireAllowedMentions: true });
    rest = new REST({ api: strict.restBase }).setToken(strict.token);
  });
  afterAll(async () => {
    await strict.close();
  });

  it('expires unacknowledged interactions after the ack deadline (10062)', async () => {
    const i = strict.sendInteraction(strict.chatInputInteraction({ name: 'late' }));
    await new Promise((r) => setTimeout(r, 80));
    const error = await rest
      .post(Routes.interactionCallback(i.id, i.token), { body: { type: 5 }, auth: false })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 10062, status: 404 });
  });

  it('validates modals, and rejects unguarded mentions when requireAllowedMentions is on', async () => {
    const i = strict.sendInteraction(strict.chatInputInteraction({ name: 'modal', guild_id: null, user: 'bob' }));
    expect(i).toMatchObject({ context: 1, user: { username: 'bob' } });
    const modal = { custom_id: 'm', title: 'x'.repeat(46), components: [] };
    const bad = await rest
      .post(Routes.interactionCallback(i.id, i.token), { body: { type: 9, data: modal }, auth: false })
      .catch((e: unknown) => e);
    expect((bad as DiscordAPIError).rawError).toMatchObject({
      code: 50035,
      errors: { data: { title: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] }, components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
    });
    const channel = strict.channel('general').id as string;
    const unguarded = await rest
      .post(Routes.channelMessages(channel), { body: { content: `hey <@${strict.user('alice').id}>` } })
      .catch((e: unknown) => e);
    expect(unguarded).toMatchObject({ code: 50035, status: 400 });
    await rest.post(Routes.channelMessages(channel), { body: { content: `hey <@${strict.user('alice').id}>`, allowed_mentions: { parse: [] } } });
    expect(strict.messagesIn('general')).toHaveLength(1);
  });

  it('records calls to endpoints the fake does not implement', async () => {
    await expect(rest.get(Routes.guildEmojis(strict.guild().id))).rejects.toMatchObject({ status: 404 });
    expect(strict.unhandledCalls().map((c) => c.path)).toEqual([`/guilds/${strict.guild().id}/emojis`]);
  });
});

describe('gateway protocol details', () => {
  it('supports compress=zlib-stream (what discord.js requests when zlib-sync is installed)', async () => {
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = zlib.createInflate();
    let text = '';
    inflate.on('data', (c: Buffer) => (text += c.toString('utf8')));
    ws.on('message', (data: Buffer) => inflate.write(data, () => undefined));
    await until(() => text.includes('"op":10'));
    expect(JSON.parse(text)).toMatchObject({ op: 10, d: { heartbeat_interval: 200 } });
    ws.close(1000);
    await once(ws, 'close');
    inflate.close();
  });

  it('client.destroy() closes the gateway cleanly (session invalidated with 1000)', async () => {
    expect(fake.connectionCount).toBe(1);
    await client.destroy();
    await until(() => fake.connectionCount === 0);
    expect(fake.dispatch('TYPING_START', {})).toBe(0);
  });
});
