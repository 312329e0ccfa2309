/**
 * Interactions: the callback that acknowledges one, and the interaction webhooks
 * (follow-ups, GET/PATCH/DELETE of @original and follow-up messages) that work with its token.
 * Neither needs the bot token, as on Discord (discord.js sends them with auth: false).
 */
import { validateAutocompleteResult } from '../command-validation.ts';
import type { InteractionRecord } from '../types.ts';
import { FormErrors, isObj, MessageFlag, validateMessageBody, validateModal, type Obj } from '../validation.ts';
import type { DiscordWorld } from '../world.ts';
import { bad, CALLBACK_ROUTE, err, noContent, ok, type AddRoute, type RequestCtx, type Route, type RouteResult } from './common.ts';
import { checkNewMessage, editMessage, interactionMetadata, storeMessage } from './messages.ts';

export function interactionRoutes(w: DiscordWorld, r: AddRoute): void {
  r('POST', CALLBACK_ROUTE, (ctx) => handleCallback(w, ctx), false);

  const webhookInteraction = (params: Record<string, string>): InteractionRecord | null => {
    if (params.app !== w.applicationId) return null;
    const rec = [...w.interactions.values()].find((i) => i.token === params.token);
    return rec && rec.acknowledged ? rec : null;
  };
  const resolveWebhookMessage = (rec: InteractionRecord, mid: string): Obj | undefined => {
    const id = mid === '@original' ? rec.originalMessageId : rec.followupIds.includes(mid) || mid === rec.originalMessageId ? mid : null;
    return id ? w.messages.get(id) : undefined;
  };
  /** The interaction and the message a webhook call names, or Discord's error; `tag` files the call under the interaction first. */
  const webhookMessage = (ctx: RequestCtx, tag = false): { rec: InteractionRecord; msg: Obj } | RouteResult => {
    const rec = webhookInteraction(ctx.params);
    if (!rec) return err(404, 10015, 'Unknown Webhook');
    if (tag) ctx.call.interactionId = rec.id;
    const msg = resolveWebhookMessage(rec, ctx.params.message ?? '');
    return msg ? { rec, msg } : err(404, 10008, 'Unknown Message');
  };
  // Interaction webhooks authenticate with the interaction token, not the bot token.
  const hook = (method: string, template: string, handler: Route['handler']): void => r(method, template, handler, false);

  hook('POST', '/webhooks/:app/:token', (ctx) => {
    const rec = webhookInteraction(ctx.params);
    if (!rec) return err(404, 10015, 'Unknown Webhook');
    ctx.call.interactionId = rec.id;
    const problem = checkNewMessage(w, ctx, ctx.body);
    if (problem) return problem;
    const msg = storeMessage(w, rec.raw.channel_id as string, ctx.body, {
      webhook_id: w.applicationId,
      application_id: w.applicationId,
      interaction_metadata: interactionMetadata(w, rec),
      __files: ctx.call.files,
    });
    rec.followupIds.push(msg.id as string);
    ctx.call.messageId = msg.id as string;
    return ok(msg);
  });
  hook('GET', '/webhooks/:app/:token/messages/:message', (ctx) => {
    const found = webhookMessage(ctx);
    return 'status' in found ? found : ok(found.msg);
  });
  hook('PATCH', '/webhooks/:app/:token/messages/:message', (ctx) => {
    const found = webhookMessage(ctx, true);
    if ('status' in found) return found;
    const { msg } = found;
    const invalid = validateMessageBody(ctx.body, { creating: false });
    if (invalid) return bad(invalid);
    const wasLoading = ((msg.flags as number) & 128) !== 0;
    if (wasLoading) {
      // The first edit of a deferred response is what users actually see arrive.
      const problem = checkNewMessage(w, ctx, { ...ctx.body, flags: msg.flags });
      if (problem) return problem;
      msg.flags = (msg.flags as number) & ~128;
    }
    editMessage(w, msg, ctx.body);
    ctx.call.messageId = msg.id as string;
    return ok(msg);
  });
  hook('DELETE', '/webhooks/:app/:token/messages/:message', (ctx) => {
    const found = webhookMessage(ctx);
    if ('status' in found) return found;
    w.messages.delete(found.msg.id as string);
    return noContent;
  });
}

/**
 * POST /interactions/:id/:token/callback: one acknowledgement per interaction, within the
 * deadline, of a response type the interaction type allows; stores the message it shows.
 */
function handleCallback(w: DiscordWorld, ctx: RequestCtx): RouteResult {
  const { params, body, call } = ctx;
  const rec = w.interactions.get(params.interaction ?? '');
  if (!rec || rec.token !== params.token) return err(404, 10062, 'Unknown interaction');
  if (rec.acknowledged) return err(400, 40060, 'Interaction has already been acknowledged.');
  const deadline = w.opts.interactionAckDeadlineMs;
  if (deadline > 0 && Date.now() - rec.dispatchedAt > deadline) return err(404, 10062, 'Unknown interaction');
  const type = body.type;
  const allowed: Record<number, number[]> = {
    2: [4, 5, 9, 10, 12],
    3: [4, 5, 6, 7, 9, 10, 12],
    4: [8],
    5: rec.raw.message ? [4, 5, 6, 7, 10] : [4, 5, 10],
  };
  if (typeof type !== 'number' || !(allowed[rec.type] ?? []).includes(type)) {
    const errs = new FormErrors();
    errs.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Interaction response type ${String(type)} is not valid for interaction type ${rec.type}`);
    return bad(errs.toBody());
  }
  const data = isObj(body.data) ? body.data : {};
  const channelId = rec.raw.channel_id as string;
  const meta = { webhook_id: w.applicationId, application_id: w.applicationId, interaction_metadata: interactionMetadata(w, rec) };
  const component = isObj(rec.raw.message) ? w.messages.get(rec.raw.message.id as string) ?? (rec.raw.message as Obj) : null;
  let message: Obj | null = null;
  switch (type) {
    case 4: {
      const problem = checkNewMessage(w, ctx, data, ['data']);
      if (problem) return problem;
      message = storeMessage(w, channelId, data, { ...meta, type: rec.type === 2 ? 20 : 0, __files: call.files });
      break;
    }
    case 5: {
      const flags = typeof data.flags === 'number' ? data.flags & MessageFlag.Ephemeral : 0;
      message = storeMessage(w, channelId, { content: '', flags: flags | 128 }, { ...meta, type: rec.type === 2 ? 20 : 0 });
      break;
    }
    case 6:
      message = component;
      break;
    case 7: {
      const invalid = validateMessageBody(data, { path: ['data'], creating: false });
      if (invalid) return bad(invalid);
      if (component) {
        if (!w.messages.has(component.id as string)) w.messages.set(component.id as string, component);
        message = editMessage(w, component, data);
      }
      break;
    }
    case 8: {
      const invalid = validateAutocompleteResult(body.data);
      if (invalid) return bad(invalid);
      break;
    }
    case 9: {
      const invalid = validateModal(body.data);
      if (invalid) return bad(invalid);
      rec.modal = data;
      w.modalsByCustomId.set(data.custom_id as string, { modal: data, message: component });
      break;
    }
    default:
      break;
  }
  rec.acknowledged = true;
  rec.responseType = type;
  if (message) {
    rec.originalMessageId = message.id as string;
    call.messageId = message.id as string;
  }
  if (ctx.query.get('with_response') === 'true') {
    return ok({
      interaction: {
        id: rec.id,
        type: rec.type,
        ...(message ? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: (((message.flags as number) ?? 0) & MessageFlag.Ephemeral) !== 0 } : {}),
      },
      resource: { type, ...(message && (type === 4 || type === 7) ? { message } : {}) },
    });
  }
  return noContent;
}
