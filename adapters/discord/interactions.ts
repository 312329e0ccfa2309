import {
  AttachmentBuilder,
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type GuildMember,
  type Interaction,
  type ModalSubmitInteraction,
  type User,
} from 'discord.js';
import { type Actor, type Core, type Form, type Logger, type Message, type Reply, unexpected } from '../../src/index.ts';
import { suggest } from './autocomplete.ts';
import { commandInput, formPrefill, TRANSLATORS } from './commands.ts';
import * as copy from './copy.ts';
import { decodeCustomId } from './custom-id.ts';
import { fieldLabels, MODAL_LIMITS, renderModal } from './modals.ts';
import { routeOf } from './port.ts';
import { allowedMentions, renderMessage, type RenderedFile } from './render.ts';

/**
 * Turns Discord interactions into core calls and the core's replies into
 * interaction responses. Every entry passes the interaction id as the core's
 * event key, so a redelivered interaction changes nothing. Answers are
 * ephemeral; when the core is slow the interaction is deferred first, since
 * Discord drops an interaction that is not acknowledged within 3 seconds.
 */

/** What the handlers need from the running adapter. */
export interface InteractionContext {
  core: Core;
  client: Client;
  log: Logger;
  moderatorRoleId?: string;
  /** Acknowledge (defer) when the core has not answered within this long. */
  deferAfterMs: number;
}

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

const PLATFORM = 'discord';
const TIMEOUT = Symbol('timeout');

/** Labels of forms shown by this process, so field errors can name fields as the member saw them. */
const shownForms = new Map<string, Record<string, string>>();

type RawMember = { nick?: string | null; roles?: string[] | { cache: { has(id: string): boolean } } };

function displayNameOf(user: User, member: GuildMember | RawMember | null | undefined): string {
  const nick = member && 'nick' in member ? member.nick : null;
  return nick || user.globalName || user.username;
}

function hasRole(member: GuildMember | RawMember | null | undefined, roleId: string | undefined): boolean {
  if (!member || !roleId) return false;
  const roles = member.roles;
  if (Array.isArray(roles)) return roles.includes(roleId);
  return roles?.cache.has(roleId) ?? false;
}

/**
 * Who is acting. Moderators have Manage Server or the configured moderator role
 * (the core also counts members a community lists in its settings). A click in
 * a DM names its guild through the component's custom id. `channelMemberIds` is
 * left out: knowing a channel's members needs the privileged GuildMembers
 * intent, so `/network-admin round` pairs every opted-in member of the server.
 */
export function actorOf(ctx: InteractionContext, interaction: Interaction, guildId: string): Actor {
  const guild = ctx.client.guilds.cache.get(guildId);
  const member = (interaction.member as GuildMember | RawMember | null) ?? guild?.members.cache.get(interaction.user.id) ?? null;
  const permissions = interaction.memberPermissions ?? (member && 'permissions' in member && typeof member.permissions !== 'string' ? member.permissions : null);
  return {
    platform: PLATFORM,
    communityPlatformId: guildId,
    communityName: guild?.name ?? guildId,
    user: { platformUserId: interaction.user.id, displayName: displayNameOf(interaction.user, member), timeZone: null },
    // Without permissions (some DM clicks) the answer is unknown, not "no": the core then neither grants nor revokes.
    isModerator: permissions ? permissions.has(PermissionFlagsBits.ManageGuild) || hasRole(member, ctx.moderatorRoleId) : hasRole(member, ctx.moderatorRoleId) || undefined,
  };
}

/**
 * A click or form sent from a DM carries no guild from Discord: its guild comes
 * from the custom id, which a client can forge. It may act only on a guild the
 * user belongs to: Circulate knows them as a member of that community, and
 * Discord still lists them in that server. Anything else is refused, privately.
 */
export async function mayActInGuildFromDm(ctx: InteractionContext, userId: string, guildId: string): Promise<boolean> {
  if (!(await ctx.core.isKnownMember(PLATFORM, guildId, userId))) return false;
  try {
    await ctx.client.rest.get(Routes.guildMember(guildId, userId));
    return true;
  } catch (error) {
    // 10007 Unknown Member (left), 10004 Unknown Guild or 403 (the bot is not there): not theirs to act on.
    if (error instanceof DiscordAPIError && (error.status === 404 || error.status === 403)) return false;
    throw error;
  }
}

/** Runs the core's answer to a DM click or form only when {@link mayActInGuildFromDm} allows it. */
async function guarded(ctx: InteractionContext, interaction: ButtonInteraction | ModalSubmitInteraction, guildId: string, work: () => Promise<Reply>): Promise<Reply> {
  if (interaction.guildId) return work();
  if (await mayActInGuildFromDm(ctx, interaction.user.id, guildId)) return work();
  ctx.log.warn({ platform: PLATFORM, interaction: interaction.id, guild: guildId }, 'refused a DM interaction naming a server the user is not a member of');
  return { reply: copy.notYourServer() };
}

/** Runs the core call; acknowledges first with `defer` when it takes longer than the deadline. */
async function withDeferral(ctx: InteractionContext, work: Promise<Reply>, defer: () => Promise<unknown>): Promise<{ reply: Reply; deferred: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ctx.deferAfterMs);
  });
  try {
    const first = await Promise.race([work, late]);
    if (first !== TIMEOUT) return { reply: first, deferred: false };
    await defer();
    return { reply: await work, deferred: true };
  } finally {
    clearTimeout(timer);
  }
}

/** Files as discord.js uploads them (multipart, each named in `attachments`). */
export function attachmentsOf(files: RenderedFile[]): AttachmentBuilder[] {
  return files.map((f) => new AttachmentBuilder(f.data, { name: f.name }));
}

/**
 * Sends a message privately: the first part as the response (or its edit), the
 * rest as follow-ups. Buttons and files go with the last part.
 */
async function answer(interaction: Repliable, msg: Message, guildId: string | null, options: { keepOriginal?: boolean } = {}): Promise<void> {
  const rendered = renderMessage(msg, { guildId });
  const mentions = allowedMentions(rendered.users);
  for (const [index, content] of rendered.contents.entries()) {
    const last = index === rendered.contents.length - 1;
    const components = last ? rendered.components : [];
    const files = last ? attachmentsOf(rendered.files) : [];
    if (index === 0 && interaction.deferred && !interaction.replied && !options.keepOriginal) {
      await interaction.editReply({ content, components, files, allowedMentions: mentions });
    } else if (index === 0 && !interaction.replied && !interaction.deferred) {
      await interaction.reply({ content, components, files, allowedMentions: mentions, flags: MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds });
    } else {
      await interaction.followUp({ content, components, files, allowedMentions: mentions, flags: MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds });
    }
  }
}

/** The command as the member typed it, e.g. "/network-admin setup", to point them back at its options. */
function commandPath(interaction: ChatInputCommandInteraction | ButtonInteraction): string | null {
  if (!interaction.isChatInputCommand()) return null;
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(false);
  return ['/' + interaction.commandName, group, sub].filter(Boolean).join(' ');
}

/**
 * Opens a core form as a modal, prefilled with what the member already gave.
 * A form with more fields than a modal holds (the moderators' setup and
 * meetup forms) is never cut short: the answer lists its fields, with their
 * current values, as the command options to use instead.
 */
async function openForm(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  form: Form,
  guildId: string,
  prefill: Record<string, string | undefined> = {},
): Promise<void> {
  if (form.fields.length > MODAL_LIMITS.inputs) return answer(interaction, copy.formTooLarge(form, commandPath(interaction)), guildId);
  const modal = renderModal(form, { guildId, prefill });
  if (!modal) return answer(interaction, copy.unknownComponent(), guildId);
  shownForms.set(form.formId, fieldLabels(form));
  await interaction.showModal(modal);
}

async function onCommand(ctx: InteractionContext, interaction: ChatInputCommandInteraction): Promise<void> {
  if (!interaction.inGuild()) return answer(interaction, copy.useInAServer(), null);
  const guildId = interaction.guildId;
  const input = commandInput(interaction.options.data);
  const translate = TRANSLATORS[interaction.commandName];
  const text = translate ? translate(input) : '';
  const work = ctx.core.command(actorOf(ctx, interaction, guildId), interaction.commandName, text, interaction.id);
  const { reply, deferred } = await withDeferral(ctx, work, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
  if (reply.duplicate) return;
  if (reply.form) {
    if (deferred) return answer(interaction, copy.formAfterDefer(), guildId);
    const named = interaction.options.getUser('member');
    const namedMember = interaction.options.getMember('member') as GuildMember | RawMember | null;
    return openForm(interaction, reply.form, guildId, formPrefill(input, named ? displayNameOf(named, namedMember) : undefined));
  }
  await answer(interaction, reply.reply ?? reply.update ?? { blocks: [] }, guildId);
}

async function onButton(ctx: InteractionContext, interaction: ButtonInteraction): Promise<void> {
  const route = decodeCustomId(interaction.customId);
  const guildId = interaction.guildId ?? route?.guildId ?? null;
  if (!route || !guildId) return answer(interaction, copy.unknownComponent(), guildId);
  const work = guarded(ctx, interaction, guildId, () => ctx.core.action(actorOf(ctx, interaction, guildId), route.id, route.payload, interaction.id));
  const { reply, deferred } = await withDeferral(ctx, work, () => interaction.deferUpdate());
  if (reply.duplicate) return;
  if (reply.form) {
    if (deferred) return answer(interaction, copy.formAfterDefer(), guildId, { keepOriginal: true });
    return openForm(interaction, reply.form, guildId);
  }
  if (reply.update) {
    // Replacing the message removes its buttons, so an answered click cannot be pressed again.
    const rendered = renderMessage(reply.update, { guildId, maxParts: 1 });
    const body = { content: rendered.contents[0]!, components: rendered.components, files: attachmentsOf(rendered.files), allowedMentions: allowedMentions(rendered.users) };
    if (deferred) await interaction.editReply(body);
    else await interaction.update(body);
  }
  // After a deferred update the deferral belongs to the clicked message: the reply goes out as a follow-up.
  if (reply.reply) await answer(interaction, reply.reply, guildId, { keepOriginal: true });
  else if (!reply.update) await answer(interaction, { blocks: [] }, guildId, { keepOriginal: true });
}

function modalValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if ('value' in field && typeof field.value === 'string') values[id] = field.value;
  }
  return values;
}

async function onModal(ctx: InteractionContext, interaction: ModalSubmitInteraction): Promise<void> {
  const route = decodeCustomId(interaction.customId);
  const guildId = interaction.guildId ?? route?.guildId ?? null;
  if (!route || !guildId) return answer(interaction, copy.unknownComponent(), guildId);
  const work = guarded(ctx, interaction, guildId, () =>
    ctx.core.submitForm(actorOf(ctx, interaction, guildId), route.id, modalValues(interaction), route.payload, interaction.id),
  );
  const { reply } = await withDeferral(ctx, work, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
  if (reply.duplicate) return;
  const named = Object.entries(reply.fieldErrors ?? {}).filter(([name]) => name !== '_form');
  if (named.length) {
    // Discord modals cannot show errors beside fields: list each problem privately instead.
    const labels = shownForms.get(route.id) ?? {};
    return answer(interaction, copy.formProblems(named.map(([name, problem]) => ({ label: labels[name] ?? name, problem }))), guildId);
  }
  await answer(interaction, reply.reply ?? reply.update ?? { blocks: [] }, guildId);
}

async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(suggest(focused.name, String(focused.value)));
}

/** Handles one interaction; never throws: failures are logged with the route and code. */
export async function handleInteraction(ctx: InteractionContext, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await onCommand(ctx, interaction);
    else if (interaction.isAutocomplete()) await onAutocomplete(interaction);
    else if (interaction.isButton()) await onButton(ctx, interaction);
    else if (interaction.isModalSubmit()) await onModal(ctx, interaction);
  } catch (error) {
    const api = error instanceof DiscordAPIError ? { route: `${error.method.toUpperCase()} ${routeOf(error.url)}`, code: error.code, status: error.status } : {};
    ctx.log.error({ err: error, platform: PLATFORM, interaction: interaction.id, kind: interaction.type, ...api }, 'discord interaction failed');
    if (interaction.isRepliable() && !interaction.replied && !(error instanceof DiscordAPIError && error.code === 10062)) {
      await answer(interaction as Repliable, unexpected(), interaction.guildId).catch(() => undefined);
    }
  }
}
