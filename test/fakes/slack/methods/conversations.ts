/**
 * Conversations: conversations.open (DMs and group DMs, with Slack's `already_open` on a second
 * open), conversations.members and conversations.history, both cursor-paged the way Slack pages
 * them, so the adapter's paging loops run against more than one page in tests.
 */
import { stableId } from '../defaults.ts';
import { ApiError, nonEmpty, str, type MethodTable, type SlackState } from '../state.ts';
import type { FakeSlackChannel, SlackApiBody } from '../types.ts';
import { messageObject } from './chat.ts';

export function conversationMethods(s: SlackState): MethodTable {
  return {
    'conversations.open': (args, at) => {
      const channelArg = nonEmpty(args.channel);
      if (channelArg !== undefined) {
        const channel = s.resolveChannel(channelArg);
        return { ok: true, channel: { id: channel.id } };
      }
      const users = (str(args.users) ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== '');
      if (users.length === 0) throw new ApiError('users_list_not_supplied');
      if (users.length > 8) throw new ApiError('too_many_users');
      for (const u of users) if (!s.user(u)) throw new ApiError('user_not_found');
      const distinct = [...new Set(users)].sort();
      let channel: FakeSlackChannel;
      if (distinct.length === 1) channel = s.imChannel(distinct[0]!);
      else {
        const id = stableId('G', `${s.team.id}:mpim:${distinct.join(',')}`);
        channel = s.channels.get(id) ?? { id, members: [...distinct, s.app.botUserId], is_private: true };
        s.channels.set(id, channel);
      }
      const already = s.openedIms.has(channel.id);
      s.openedIms.add(channel.id);
      const body: SlackApiBody = { ok: true, channel: { id: channel.id } };
      if (already) Object.assign(body, { no_op: true, already_open: true });
      if (args.return_im === true || args.return_im === 'true') {
        body.channel = {
          id: channel.id,
          created: Math.floor(at / 1000),
          is_im: distinct.length === 1,
          is_mpim: distinct.length > 1,
          is_open: true,
          ...(distinct.length === 1 ? { user: distinct[0] } : {}),
        };
      }
      return body;
    },

    'conversations.members': (args) => {
      const id = nonEmpty(args.channel);
      const channel = id === undefined ? undefined : s.channels.get(id);
      if (!channel) throw new ApiError('channel_not_found');
      const members = channel.members ?? [];
      const limit = Math.max(1, Math.min(1000, Number(args.limit ?? 100) || 100));
      const cursor = nonEmpty(args.cursor);
      let start = 0;
      if (cursor !== undefined) {
        const after = Buffer.from(cursor, 'base64').toString('utf8').replace(/^user:/, '');
        const idx = members.indexOf(after);
        if (idx < 0) throw new ApiError('invalid_cursor');
        start = idx;
      }
      const page = members.slice(start, start + limit);
      const next = members[start + limit];
      return {
        ok: true,
        members: page,
        response_metadata: { next_cursor: next === undefined ? '' : Buffer.from(`user:${next}`).toString('base64') },
      };
    },

    // Newest first; `oldest`/`latest` exclusive unless `inclusive`; metadata only with include_all_metadata.
    'conversations.history': (args) => {
      const channel = s.resolveChannel(args.channel);
      const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
      const oldest = Number(args.oldest ?? 0) || 0;
      const latest = args.latest === undefined ? Infinity : Number(args.latest);
      const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
      const limit = Math.max(1, Math.min(999, Number(args.limit ?? 100) || 100));
      const cursor = nonEmpty(args.cursor);
      const before = cursor === undefined ? Infinity : Number(Buffer.from(cursor, 'base64').toString('utf8').replace(/^next_ts:/, ''));
      const inRange = s.messages
        .filter((m) => m.channel === channel.id && !m.deleted && !m.ephemeralTo && !m.thread_ts)
        .filter((m) => {
          const ts = Number(m.ts);
          return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest) && (cursor === undefined || ts <= before);
        })
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      const page = inRange.slice(0, limit);
      const next = inRange[limit];
      return {
        ok: true,
        messages: page.map((m) => {
          const { metadata, ...shown } = messageObject(s, m);
          return withMetadata && metadata !== undefined ? { ...shown, metadata } : shown;
        }),
        has_more: next !== undefined,
        pin_count: 0,
        response_metadata: { next_cursor: next === undefined ? '' : Buffer.from(`next_ts:${next.ts}`).toString('base64') },
      };
    },
  };
}
