/**
 * Messages as Discord stores and answers them, shared by channel messages, interaction
 * responses and follow-ups: who a message pings (allowed_mentions), the checks every
 * message-creating call passes, and edits that keep the ephemeral flag.
 */
import { snowflake } from '../fixtures.ts';
import { computePings } from '../mentions.ts';
import type { InteractionRecord, RecordedFile } from '../types.ts';
import { FormErrors, isObj, MessageFlag, validateMessageBody, type Obj } from '../validation.ts';
import type { DiscordWorld } from '../world.ts';
import { bad, type RequestCtx, type RouteResult } from './common.ts';

/** The author of the message a reply points at, who Discord pings unless `replied_user` is false. */
export function repliedAuthor(w: DiscordWorld, body: Obj): string | null {
  const ref = isObj(body.message_reference) ? body.message_reference : null;
  const msg = ref && typeof ref.message_id === 'string' ? w.messages.get(ref.message_id) : undefined;
  return msg && isObj(msg.author) ? (msg.author.id as string) : null;
}

/** Stores a message the bot sent, with the pings and attachments Discord would report (`extra.__files`: uploaded files). */
export function storeMessage(w: DiscordWorld, channelId: string, body: Obj, extra: Obj = {}): Obj {
  const channel = w.channels.get(channelId);
  const pings = computePings(body, repliedAuthor(w, body));
  const files = (extra.__files as RecordedFile[] | undefined) ?? [];
  delete extra.__files;
  const msg: Obj = {
    id: snowflake(),
    type: isObj(body.message_reference) ? 19 : 0,
    channel_id: channelId,
    ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
    author: w.botUser,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: pings.everyone,
    mentions: pings.users.map((id) => w.users.get(id) ?? { id, username: 'unknown', discriminator: '0', global_name: null, avatar: null }),
    mention_roles: pings.roles,
    attachments: files.map((f) => ({ id: snowflake(), filename: f.name, size: f.size, url: `https://cdn.example.invalid/${f.name}`, proxy_url: `https://cdn.example.invalid/${f.name}`, content_type: f.contentType })),
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    pinned: false,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    components: Array.isArray(body.components) ? body.components : [],
    ...(isObj(body.message_reference) ? { message_reference: { ...body.message_reference, channel_id: channelId } } : {}),
    ...extra,
  };
  w.messages.set(msg.id as string, msg);
  if (channel) channel.last_message_id = msg.id;
  return msg;
}

/** Applies an edit; the ephemeral flag cannot change and the loading flag (128) is cleared. */
export function editMessage(w: DiscordWorld, msg: Obj, body: Obj): Obj {
  for (const k of ['content', 'embeds', 'components', 'flags', 'attachments'] as const) {
    if (body[k] !== undefined && body[k] !== null) msg[k] = body[k];
  }
  if (typeof body.flags === 'number') msg.flags = (body.flags & ~128) | ((msg.flags as number) & MessageFlag.Ephemeral);
  const pings = computePings({ ...msg, allowed_mentions: body.allowed_mentions });
  msg.mention_everyone = pings.everyone;
  msg.mention_roles = pings.roles;
  msg.mentions = pings.users.map((id) => w.users.get(id) ?? { id });
  msg.edited_timestamp = new Date().toISOString();
  return msg;
}

/** Common checks for message-creating calls: limits, mention policy, pings. */
export function checkNewMessage(w: DiscordWorld, ctx: RequestCtx, body: Obj, path: string[] = []): RouteResult | null {
  const invalid = validateMessageBody(body, { path, creating: true, hasFiles: ctx.call.files.length > 0 });
  if (invalid) return bad(invalid);
  ctx.call.pings = computePings(body, repliedAuthor(w, body));
  if (ctx.call.pings.hasMentionSyntax && !ctx.call.pings.allowedMentionsPresent) {
    ctx.call.mentionWarning = 'content contains mention syntax but allowed_mentions is absent (everything would ping)';
    if (w.opts.requireAllowedMentions) {
      const errs = new FormErrors();
      errs.add([...path, 'allowed_mentions'], 'FAKE_ALLOWED_MENTIONS_REQUIRED', ctx.call.mentionWarning);
      return bad(errs.toBody());
    }
  }
  return null;
}

/** The `interaction_metadata` Discord attaches to an interaction's response and follow-ups. */
export function interactionMetadata(w: DiscordWorld, rec: InteractionRecord): Obj {
  const raw = rec.raw;
  const user = (isObj(raw.member) ? raw.member.user : raw.user) as Obj;
  return {
    id: rec.id,
    type: rec.type,
    user,
    authorizing_integration_owners: raw.authorizing_integration_owners,
    ...(isObj(raw.data) && typeof raw.data.name === 'string' ? { name: raw.data.name, command_type: 1 } : {}),
  };
}
