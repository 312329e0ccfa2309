/**
 * Builders for the INTERACTION_CREATE payloads tests dispatch: slash commands (with typed
 * options and resolved users), autocomplete, buttons, string selects and modal submits, each
 * shaped as Discord sends them for a guild member or a DM user. FakeDiscord exposes them as
 * methods; they read the world (users, guilds, registered commands, shown modals) but change
 * nothing except creating a DM channel or a guild member on demand.
 */
import { randomBytes } from 'node:crypto';
import { ALL_PERMISSIONS, makeMember, Perm, snowflake } from './fixtures.ts';
import { storeMessage } from './routes/messages.ts';
import type { FakeInteraction, InteractionInit, OptionsInit, OptionValue } from './types.ts';
import { isObj, type Obj } from './validation.ts';
import type { DiscordWorld } from './world.ts';

export function chatInputInteraction(w: DiscordWorld, init: InteractionInit & { name: string; command_id?: string; options?: OptionsInit; subcommand?: string; subcommandGroup?: string }): FakeInteraction {
  const base = interactionBase(w, init, 2);
  const resolved: Obj = {};
  let options = buildOptions(w, init.options, base, resolved);
  if (init.subcommand) options = [{ type: 1, name: init.subcommand, options }];
  if (init.subcommandGroup) options = [{ type: 2, name: init.subcommandGroup, options }];
  const scoped = [...(w.commands.get(base.guild_id as string) ?? []), ...(w.commands.get('global') ?? [])];
  const cmd = scoped.find((c) => c.name === init.name);
  return {
    ...base,
    data: {
      id: init.command_id ?? (cmd?.id as string | undefined) ?? snowflake(),
      name: init.name,
      type: 1,
      ...(options.length ? { options } : {}),
      ...(Object.keys(resolved).length ? { resolved } : {}),
      ...(base.guild_id ? { guild_id: base.guild_id } : {}),
    },
  };
}

export function autocompleteInteraction(w: DiscordWorld, init: InteractionInit & { name: string; focused: string; options?: Record<string, OptionValue>; subcommand?: string }): FakeInteraction {
  const cmd = chatInputInteraction(w, { ...init, options: init.options ?? { [init.focused]: '' } });
  const data = cmd.data as Obj;
  const mark = (opts: Obj[]): void => {
    for (const o of opts) {
      if (o.name === init.focused && o.type !== 1) {
        o.focused = true;
        o.type = 3;
        o.value = String(o.value ?? '');
      }
      if (Array.isArray(o.options)) mark(o.options as Obj[]);
    }
  };
  mark((data.options as Obj[] | undefined) ?? []);
  delete data.resolved;
  return { ...cmd, type: 4 };
}

export function buttonInteraction(w: DiscordWorld, init: InteractionInit & { custom_id: string; message?: Obj | string }): FakeInteraction {
  return componentInteraction(w, init, { custom_id: init.custom_id, component_type: 2 });
}

export function stringSelectInteraction(w: DiscordWorld, init: InteractionInit & { custom_id: string; values: string[]; message?: Obj | string }): FakeInteraction {
  return componentInteraction(w, init, { custom_id: init.custom_id, component_type: 3, values: init.values });
}

export function modalSubmitInteraction(w: DiscordWorld, init: InteractionInit & { custom_id: string; fields?: Record<string, string>; components?: Obj[]; message?: Obj }): FakeInteraction {
  const shown = w.modalsByCustomId.get(init.custom_id);
  const fields = init.fields ?? {};
  const textInput = (c: Obj): Obj => ({ type: 4, id: c.id, custom_id: c.custom_id, value: fields[c.custom_id as string] ?? '' });
  let components = init.components;
  if (!components && shown && Array.isArray(shown.modal.components)) {
    components = (shown.modal.components as Obj[]).map((c) => {
      if (c.type === 1) return { type: 1, id: c.id, components: ((c.components as Obj[]) ?? []).map(textInput) };
      if (c.type === 18 && isObj(c.component)) return { type: 18, id: c.id, component: textInput(c.component) };
      return { type: c.type, id: c.id };
    });
  }
  components ??= Object.entries(fields).map(([custom_id, value]) => ({ type: 1, components: [{ type: 4, custom_id, value }] }));
  const message = init.message ?? shown?.message ?? undefined;
  const base = interactionBase(w, { ...init, channel_id: init.channel_id ?? (message?.channel_id as string | undefined) }, 5);
  return { ...base, ...(message ? { message } : {}), data: { custom_id: init.custom_id, components } };
}

function interactionBase(w: DiscordWorld, init: InteractionInit, type: number): FakeInteraction {
  const user = typeof init.user === 'object' ? init.user : w.user(init.user ?? 'alice');
  const guildId = init.guild_id === undefined ? (w.guilds.values().next().value?.id ?? null) : init.guild_id;
  const id = init.id ?? snowflake();
  const token = init.token ?? Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
  const common = {
    id,
    application_id: w.applicationId,
    type,
    token,
    version: 1,
    locale: init.locale ?? 'en-US',
    entitlements: [],
    attachment_size_limit: 10485760,
  };
  if (guildId === null) {
    const dm = init.channel_id ? w.channel(init.channel_id) : w.dmChannelOf(user.id);
    return {
      ...common,
      user,
      channel_id: dm.id as string,
      channel: dm,
      context: 1,
      authorizing_integration_owners: { '0': '0' },
      app_permissions: ALL_PERMISSIONS.toString(),
    };
  }
  const g = w.guild(guildId);
  let member = g.members.get(user.id);
  if (!member) {
    member = makeMember(user);
    g.members.set(user.id, member);
  }
  let perms = init.permissions !== undefined ? BigInt(init.permissions) : w.memberPermissions(g.id, user.id);
  if (init.moderator) perms |= Perm.ManageGuild;
  const channel = init.channel_id ? w.channel(init.channel_id) : w.channel();
  const appPerms = w.memberPermissions(g.id, w.botUser.id);
  return {
    ...common,
    guild_id: g.id,
    guild: { id: g.id, locale: g.preferredLocale, features: [] },
    guild_locale: g.preferredLocale,
    channel_id: channel.id as string,
    channel: { ...channel, permissions: appPerms.toString() },
    member: { ...member, permissions: perms.toString() },
    context: 0,
    authorizing_integration_owners: { '0': g.id },
    app_permissions: appPerms.toString(),
  };
}

function buildOptions(w: DiscordWorld, init: OptionsInit | undefined, base: Obj, resolved: Obj): Obj[] {
  if (!init) return [];
  if (Array.isArray(init)) return init;
  return Object.entries(init).map(([name, value]) => {
    if (typeof value === 'string') return { name, type: 3, value };
    if (typeof value === 'boolean') return { name, type: 5, value };
    if (typeof value === 'number') return { name, type: Number.isInteger(value) ? 4 : 10, value };
    const user = w.user(value.user);
    const users = (resolved.users ?? {}) as Obj;
    users[user.id] = user;
    resolved.users = users;
    const g = base.guild_id ? w.guilds.get(base.guild_id as string) : undefined;
    const member = g?.members.get(user.id);
    if (g && member) {
      const members = (resolved.members ?? {}) as Obj;
      const { user: _u, deaf: _d, mute: _m, ...rest } = member;
      members[user.id] = { ...rest, permissions: w.memberPermissions(g.id, user.id).toString() };
      resolved.members = members;
    }
    return { name, type: 6, value: user.id };
  });
}

function componentInteraction(w: DiscordWorld, init: InteractionInit & { custom_id: string; message?: Obj | string }, data: Obj): FakeInteraction {
  let message: Obj | undefined;
  if (typeof init.message === 'string') message = w.messages.get(init.message);
  else if (init.message) message = init.message;
  else message = [...w.messages.values()].reverse().find((m) => JSON.stringify(m.components ?? []).includes(JSON.stringify(init.custom_id)));
  const base0 = interactionBase(w, init, 3);
  if (!message) {
    message = storeMessage(w, base0.channel_id, {
      content: 'Synthesized bot message',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Button', custom_id: init.custom_id }] }],
    });
  }
  const msgChannel = typeof message.channel_id === 'string' ? message.channel_id : base0.channel_id;
  const base: FakeInteraction =
    msgChannel !== base0.channel_id && w.channels.has(msgChannel)
      ? { ...base0, channel_id: msgChannel, channel: w.channels.get(msgChannel) }
      : base0;
  return { ...base, message, data };
}
