/**
 * Threads: start one in a text channel (private by default, as Circulate's introductions are),
 * add, remove and list its members. Adding someone who left the guild answers 10007.
 */
import { snowflake } from '../fixtures.ts';
import { FormErrors, type Obj } from '../validation.ts';
import type { DiscordWorld } from '../world.ts';
import { bad, err, noContent, ok, type AddRoute, type RouteResult } from './common.ts';

export function threadRoutes(w: DiscordWorld, r: AddRoute): void {
  r('POST', '/channels/:channel/threads', (ctx) => {
    const parent = w.channels.get(ctx.params.channel ?? '');
    if (!parent) return err(404, 10003, 'Unknown Channel');
    const type = typeof ctx.body.type === 'number' ? ctx.body.type : 12;
    const errs = new FormErrors();
    if (typeof ctx.body.name !== 'string' || [...ctx.body.name].length < 1 || [...ctx.body.name].length > 100) {
      errs.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (type !== 10 && type !== 11 && type !== 12) errs.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {10, 11, 12}.');
    const archive = ctx.body.auto_archive_duration ?? 4320;
    if (![60, 1440, 4320, 10080].includes(archive as number)) errs.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
    if (!errs.empty) return bad(errs.toBody());
    if (parent.type !== 0 && parent.type !== 5) return err(400, 50024, 'Cannot execute action on this channel type');
    if (type === 12 && parent.type !== 0) return err(400, 50024, 'Cannot execute action on this channel type');
    const now = new Date().toISOString();
    const id = snowflake();
    const thread: Obj = {
      id,
      type,
      guild_id: parent.guild_id,
      parent_id: parent.id,
      owner_id: w.botUser.id,
      name: ctx.body.name,
      last_message_id: null,
      rate_limit_per_user: ctx.body.rate_limit_per_user ?? 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: archive,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(type === 12 ? { invitable: ctx.body.invitable ?? true } : {}),
      },
      member: { id, user_id: w.botUser.id, join_timestamp: now, flags: 0 },
    };
    w.channels.set(id, thread);
    w.guilds.get(parent.guild_id as string)?.threadIds.push(id);
    w.threadMembers.set(id, new Set([w.botUser.id]));
    w.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return ok(thread, 201);
  });
  const threadCheck = (params: Record<string, string>): { thread: Obj; userId: string } | RouteResult => {
    const thread = w.channels.get(params.channel ?? '');
    if (!thread) return err(404, 10003, 'Unknown Channel');
    if (thread.type !== 10 && thread.type !== 11 && thread.type !== 12) return err(400, 50024, 'Cannot execute action on this channel type');
    const userId = params.user === '@me' ? w.botUser.id : (params.user ?? '');
    if (!w.users.has(userId)) return err(404, 10013, 'Unknown User');
    if (!w.guilds.get(thread.guild_id as string)?.members.has(userId)) return err(404, 10007, 'Unknown Member');
    return { thread, userId };
  };
  r('PUT', '/channels/:channel/thread-members/:user', ({ params }) => {
    const c = threadCheck(params);
    if ('status' in c) return c;
    const set = w.threadMembers.get(c.thread.id as string) ?? new Set<string>();
    set.add(c.userId);
    w.threadMembers.set(c.thread.id as string, set);
    c.thread.member_count = set.size;
    return noContent;
  });
  r('DELETE', '/channels/:channel/thread-members/:user', ({ params }) => {
    const c = threadCheck(params);
    if ('status' in c) return c;
    w.threadMembers.get(c.thread.id as string)?.delete(c.userId);
    return noContent;
  });
  r('GET', '/channels/:channel/thread-members', ({ params }) => {
    const thread = w.channels.get(params.channel ?? '');
    if (!thread) return err(404, 10003, 'Unknown Channel');
    return ok(w.threadMembersOf(thread.id as string).map((uid) => ({ id: thread.id, user_id: uid, join_timestamp: new Date().toISOString(), flags: 0 })));
  });
}
