/**
 * Who the bot is and who is in the workspace: auth.test, team.info and users.info. Circulate
 * reads a member's time zone from users.info, so the profile carries Slack's tz, tz_label and
 * tz_offset computed for the call's clock time (offsets move with daylight saving).
 */
import { stableId } from '../defaults.ts';
import { ApiError, nonEmpty, type MethodTable, type SlackState } from '../state.ts';
import type { FakeSlackUser } from '../types.ts';

function tzOffsetSeconds(tz: string, atMs: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date(atMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = part?.match(/GMT([+-])(\d{2}):(\d{2})/);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

function tzLabel(tz: string, atMs: number): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(new Date(atMs))
      .find((p) => p.type === 'timeZoneName')?.value ?? tz
  );
}

export function teamMethods(s: SlackState): MethodTable {
  return {
    'auth.test': () => ({
      ok: true,
      url: `https://${s.team.domain}.slack.com/`,
      team: s.team.name,
      user: s.app.botName,
      team_id: s.team.id,
      user_id: s.app.botUserId,
      bot_id: s.app.botId,
      is_enterprise_install: false,
    }),

    'team.info': () => ({
      ok: true,
      team: {
        id: s.team.id,
        name: s.team.name,
        url: `https://${s.team.domain}.slack.com/`,
        domain: s.team.domain,
        email_domain: '',
        icon: { image_default: true },
        is_verified: false,
      },
    }),

    'users.info': (args, at) => {
      const id = nonEmpty(args.user);
      const u = id === undefined ? undefined : s.user(id);
      if (!u) throw new ApiError('user_not_found');
      return { ok: true, user: userObject(s, u, at) };
    },
  };
}

/** A users.info `user` object, with the fields Slack fills in for every member. */
function userObject(s: SlackState, u: FakeSlackUser, at: number): Record<string, unknown> {
  const tz = u.tz ?? s.opts.defaultTz ?? 'UTC';
  const name = u.name ?? `user_${u.id.toLowerCase()}`;
  const realName = u.real_name ?? name;
  const display = u.display_name ?? '';
  return {
    id: u.id,
    team_id: s.team.id,
    name,
    deleted: u.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz,
    tz_label: tzLabel(tz, at),
    tz_offset: tzOffsetSeconds(tz, at),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: display,
      display_name_normalized: display,
      ...(u.email !== undefined ? { email: u.email } : {}),
      team: s.team.id,
      ...(u.is_bot ? { bot_id: u.id === s.app.botUserId ? s.app.botId : stableId('B', u.id) } : {}),
    },
    is_admin: u.is_admin ?? false,
    is_owner: u.is_owner ?? false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.is_bot ?? false,
    is_app_user: false,
    updated: Math.floor(at / 1000),
  };
}
