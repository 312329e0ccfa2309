/**
 * Channels and their messages: get and delete a channel, create (with nonce/enforce_nonce),
 * list, get, edit and delete messages. DMs to users who refuse them, or to bots, fail with 50007.
 */
import type { APIUser } from 'discord.js';
import { FormErrors, isObj, validateMessageBody } from '../validation.ts';
import type { DiscordWorld } from '../world.ts';
import { bad, err, noContent, ok, type AddRoute } from './common.ts';
import { checkNewMessage, editMessage, storeMessage } from './messages.ts';

export function channelRoutes(w: DiscordWorld, r: AddRoute): void {
  r('GET', '/channels/:channel', ({ params }) => {
    const ch = w.channels.get(params.channel ?? '');
    return ch ? ok(ch) : err(404, 10003, 'Unknown Channel');
  });
  // Delete Channel: for a thread, it leaves its guild's list and its parent; answers the channel.
  r('DELETE', '/channels/:channel', ({ params }) => {
    const ch = w.channels.get(params.channel ?? '');
    if (!ch) return err(404, 10003, 'Unknown Channel');
    w.channels.delete(ch.id as string);
    const g = w.guilds.get(ch.guild_id as string);
    if (g) g.threadIds = g.threadIds.filter((id) => id !== ch.id);
    w.threadMembers.delete(ch.id as string);
    return ok(ch);
  });
  r('POST', '/channels/:channel/messages', (ctx) => {
    const ch = w.channels.get(ctx.params.channel ?? '');
    if (!ch) return err(404, 10003, 'Unknown Channel');
    const problem = checkNewMessage(w, ctx, ctx.body);
    if (problem) return problem;
    // Create Message: nonce is an integer or a string of at most 25 characters; with enforce_nonce,
    // the same author's same nonce in the same channel within a few minutes returns that message.
    const nonce = ctx.body.nonce;
    if (nonce !== undefined && !(typeof nonce === 'number' && Number.isInteger(nonce)) && !(typeof nonce === 'string' && nonce.length <= 25)) {
      const errs = new FormErrors();
      errs.add(['nonce'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      return bad(errs.toBody());
    }
    const nonceKey = nonce !== undefined && ctx.body.enforce_nonce === true ? `${ch.id as string}:${w.botUser.id}:${String(nonce)}` : null;
    const seen = nonceKey ? w.nonces.get(nonceKey) : undefined;
    if (seen && Date.now() - seen.at <= w.nonceWindowMs && w.messages.has(seen.id)) {
      ctx.call.messageId = seen.id;
      return ok(w.messages.get(seen.id)!);
    }
    if (ch.type === 1) {
      const recipient = (ch.recipients as APIUser[])[0];
      if (recipient && (w.refusesDMs.has(recipient.id) || recipient.bot)) return err(403, 50007, 'Cannot send messages to this user');
    }
    if (isObj(ctx.body.message_reference) && typeof ctx.body.message_reference.message_id === 'string' && !w.messages.has(ctx.body.message_reference.message_id)) {
      const errs = new FormErrors();
      errs.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
      return bad(errs.toBody());
    }
    const msg = storeMessage(w, ch.id as string, ctx.body, { __files: ctx.call.files, ...(nonce !== undefined ? { nonce } : {}) });
    ctx.call.messageId = msg.id as string;
    if (nonceKey) w.nonces.set(nonceKey, { id: msg.id as string, at: Date.now() });
    w.gateway.echoMessageCreate(msg, ch);
    return ok(msg);
  });
  r('GET', '/channels/:channel/messages', ({ params, query }) => {
    if (!w.channels.has(params.channel ?? '')) return err(404, 10003, 'Unknown Channel');
    const limit = Math.min(Number(query.get('limit') ?? 50), 100);
    return ok([...w.messages.values()].filter((m) => m.channel_id === params.channel).reverse().slice(0, limit));
  });
  r('GET', '/channels/:channel/messages/:message', ({ params }) => {
    const msg = w.messages.get(params.message ?? '');
    return msg && msg.channel_id === params.channel ? ok(msg) : err(404, 10008, 'Unknown Message');
  });
  r('PATCH', '/channels/:channel/messages/:message', (ctx) => {
    if (!w.channels.has(ctx.params.channel ?? '')) return err(404, 10003, 'Unknown Channel');
    const msg = w.messages.get(ctx.params.message ?? '');
    if (!msg || msg.channel_id !== ctx.params.channel) return err(404, 10008, 'Unknown Message');
    if (!isObj(msg.author) || msg.author.id !== w.botUser.id || msg.webhook_id) return err(403, 50005, 'Cannot edit a message authored by another user');
    const invalid = validateMessageBody(ctx.body, { creating: false });
    if (invalid) return bad(invalid);
    editMessage(w, msg, ctx.body);
    ctx.call.messageId = msg.id as string;
    return ok(msg);
  });
  r('DELETE', '/channels/:channel/messages/:message', ({ params }) => {
    const msg = w.messages.get(params.message ?? '');
    if (!msg || msg.channel_id !== params.channel) return err(404, 10008, 'Unknown Message');
    w.messages.delete(msg.id as string);
    return noContent;
  });
}
