/**
 * Messages: chat.postMessage, chat.postEphemeral, chat.update and chat.delete. Each checks the
 * channel, the content (text or blocks, Block Kit limits) and records the message as the
 * workspace would now show it, which is what tests read through `messages` and `messagesIn`.
 */
import { ApiError, missing, nonEmpty, str, type MethodTable, type SlackState } from '../state.ts';
import type { FakeMessage } from '../types.ts';

export function chatMethods(s: SlackState): MethodTable {
  return {
    'chat.postMessage': (args, at) => {
      const channel = s.resolveChannel(args.channel);
      if (channel.is_archived) throw new ApiError('is_archived');
      s.checkMessageContent(args, true);
      const blocks = s.withBlockIds(args.blocks);
      const message: FakeMessage = {
        channel: channel.id,
        ts: s.nextTs(at),
        text: nonEmpty(args.text) ?? (blocks ? "This content can't be displayed." : ''),
        ...(blocks ? { blocks } : {}),
        ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
        ...(nonEmpty(args.thread_ts) ? { thread_ts: str(args.thread_ts) } : {}),
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        deleted: false,
        edits: 0,
      };
      s.messages.push(message);
      return { ok: true, channel: channel.id, ts: message.ts, message: messageObject(s, message) };
    },

    'chat.postEphemeral': (args, at) => {
      const channel = s.resolveChannel(args.channel);
      const userId = nonEmpty(args.user);
      if (userId === undefined) throw missing('user');
      if (!s.user(userId)) throw new ApiError('user_not_found');
      if (channel.is_archived) throw new ApiError('is_archived');
      if (channel.members && !channel.members.includes(userId)) throw new ApiError('user_not_in_channel');
      s.checkMessageContent(args, true);
      const blocks = s.withBlockIds(args.blocks);
      const message: FakeMessage = {
        channel: channel.id,
        ts: s.nextTs(at),
        text: nonEmpty(args.text) ?? '',
        ...(blocks ? { blocks } : {}),
        ...(nonEmpty(args.thread_ts) ? { thread_ts: str(args.thread_ts) } : {}),
        ephemeralTo: userId,
        deleted: false,
        edits: 0,
      };
      s.messages.push(message);
      return { ok: true, message_ts: message.ts };
    },

    'chat.update': (args) => {
      const channel = s.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      if (ts === undefined) throw new ApiError('message_not_found');
      const message = s.messages.find((m) => m.channel === channel.id && m.ts === ts && !m.deleted && !m.ephemeralTo);
      if (!message) throw new ApiError('message_not_found');
      s.checkMessageContent(args, true);
      const blocks = s.withBlockIds(args.blocks);
      if (nonEmpty(args.text) !== undefined) message.text = str(args.text)!;
      if (blocks) message.blocks = blocks;
      if (Array.isArray(args.attachments)) message.attachments = args.attachments;
      message.edits += 1;
      return { ok: true, channel: channel.id, ts, text: message.text, message: messageObject(s, message) };
    },

    'chat.delete': (args) => {
      const channel = s.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const message = s.messages.find((m) => m.channel === channel.id && m.ts === ts && !m.deleted && !m.ephemeralTo);
      if (!message) throw new ApiError('message_not_found');
      message.deleted = true;
      return { ok: true, channel: channel.id, ts: message.ts };
    },
  };
}

/** A message as chat.* and conversations.history return it: posted by the bot user, with its bot profile. */
export function messageObject(s: SlackState, m: FakeMessage): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: m.text,
    user: s.app.botUserId,
    bot_id: s.app.botId,
    app_id: s.app.appId,
    team: s.team.id,
    ts: m.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
    ...(m.edits > 0 ? { edited: { user: s.app.botUserId, ts: m.ts } } : {}),
    bot_profile: { id: s.app.botId, app_id: s.app.appId, name: s.app.botName, team_id: s.team.id, deleted: false },
  };
}
