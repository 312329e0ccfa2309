/**
 * Guilds: the guild itself (GET /guilds/:id, without the gateway-only fields), its channels,
 * roles, active threads and members.
 */
import { isObj, type Obj } from '../validation.ts';
import type { DiscordWorld } from '../world.ts';
import { err, ok, type AddRoute } from './common.ts';

export function guildRoutes(w: DiscordWorld, r: AddRoute): void {
  r('GET', '/guilds/:guild', ({ params }) => {
    const g = w.guilds.get(params.guild ?? '');
    if (!g) return err(404, 10004, 'Unknown Guild');
    const p = w.guildPayload(g.id);
    for (const k of ['joined_at', 'large', 'unavailable', 'member_count', 'voice_states', 'members', 'channels', 'threads', 'presences', 'stage_instances', 'guild_scheduled_events', 'soundboard_sounds', 'lazy']) delete p[k];
    return ok(p);
  });
  r('GET', '/guilds/:guild/channels', ({ params }) => {
    const g = w.guilds.get(params.guild ?? '');
    return g ? ok(g.channelIds.map((id) => w.channels.get(id))) : err(404, 10004, 'Unknown Guild');
  });
  r('GET', '/guilds/:guild/roles', ({ params }) => {
    const g = w.guilds.get(params.guild ?? '');
    return g ? ok(g.roles) : err(404, 10004, 'Unknown Guild');
  });
  // Active threads the bot can see (it is a member of, or can manage), with the bot's own thread-member objects.
  r('GET', '/guilds/:guild/threads/active', ({ params }) => {
    const g = w.guilds.get(params.guild ?? '');
    if (!g) return err(404, 10004, 'Unknown Guild');
    const threads = g.threadIds
      .map((id) => w.channels.get(id))
      .filter((t): t is Obj => t !== undefined && !(isObj(t.thread_metadata) && t.thread_metadata.archived === true));
    const members = threads
      .filter((t) => w.threadMembers.get(t.id as string)?.has(w.botUser.id))
      .map((t) => ({ id: t.id, user_id: w.botUser.id, join_timestamp: new Date().toISOString(), flags: 0 }));
    return ok({ threads, members });
  });
  r('GET', '/guilds/:guild/members/:user', ({ params }) => {
    const g = w.guilds.get(params.guild ?? '');
    if (!g) return err(404, 10004, 'Unknown Guild');
    const m = g.members.get(params.user ?? '');
    return m ? ok(m) : err(404, 10007, 'Unknown Member');
  });
}
