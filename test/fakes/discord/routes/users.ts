/**
 * Who the bot is and where the gateway is: GET /gateway(/bot), /users/@me, /applications/@me,
 * user lookups, opening a DM (POST /users/@me/channels) and leaving a guild.
 */
import type { DiscordWorld } from '../world.ts';
import { err, noContent, ok, type AddRoute } from './common.ts';

export function userRoutes(w: DiscordWorld, r: AddRoute): void {
  r('GET', '/gateway', () => ok({ url: w.gatewayUrl }), false);
  r('GET', '/gateway/bot', () =>
    ok({ url: w.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }),
  );
  r('GET', '/users/@me', () => ok({ ...w.botUser, verified: true, mfa_enabled: true, locale: 'en-US', email: null }));
  r('GET', '/applications/@me', () =>
    ok({ id: w.applicationId, name: w.botUser.username, icon: null, description: '', bot_public: false, bot_require_code_grant: false, verify_key: 'f'.repeat(64), flags: 0, team: null, owner: w.user([...w.guilds.values()][0]?.ownerId ?? w.botUser.id), bot: w.botUser, approximate_guild_count: w.guilds.size }),
  );
  r('GET', '/users/:user', ({ params }) => {
    const u = w.users.get(params.user ?? '');
    return u ? ok(u) : err(404, 10013, 'Unknown User');
  });
  r('POST', '/users/@me/channels', ({ body }) => {
    const rid = typeof body.recipient_id === 'string' ? body.recipient_id : '';
    const u = w.users.get(rid);
    if (!u) return err(400, 50033, 'Invalid Recipient(s)');
    return ok(w.dmChannelOf(u.id));
  });
  r('DELETE', '/users/@me/guilds/:guild', ({ params }) => {
    if (!w.guilds.has(params.guild ?? '')) return err(404, 10004, 'Unknown Guild');
    w.guildDelete(params.guild as string);
    return noContent;
  });
}
