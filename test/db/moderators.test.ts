import { describe, expect, it } from 'vitest';
import type { webApi } from '@slack/bolt';
import { MODERATOR_RECHECK_MS, UserDirectory } from '../../adapters/slack/users.ts';
import type { Actor } from '../../src/core.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/**
 * A moderator demoted on the platform loses Circulate's moderator power within
 * minutes and stops receiving reports: the platform's answer is re-checked at
 * most every five minutes, and an explicit "not a moderator" clears the stored flag.
 */
describe('Slack admin status is re-checked every few minutes', () => {
  it('a demoted admin is seen as a member after at most five minutes; names keep the hour-long cache', async () => {
    let admin = true;
    let calls = 0;
    const client = {
      users: {
        info: async () => {
          calls++;
          return { ok: true, user: { id: 'U1', profile: { display_name: 'Mia' }, is_admin: admin } };
        },
      },
    } as unknown as webApi.WebClient;
    let now = Date.parse('2026-03-02T09:00:00Z');
    const directory = new UserDirectory({ now: () => now });
    const asModerator = () => directory.get(client, undefined, 'T1', 'U1', undefined, MODERATOR_RECHECK_MS);

    expect((await asModerator()).isAdmin).toBe(true);
    admin = false; // demoted in Slack
    now += MODERATOR_RECHECK_MS - 1;
    expect((await asModerator()).isAdmin).toBe(true);
    expect(calls).toBe(1);
    now += 1;
    expect((await asModerator()).isAdmin).toBe(false);
    expect(calls).toBe(2);
    // Lookups that only need a name (deliveries) still use the hour-long cache.
    now += 30 * 60_000;
    expect((await directory.get(client, undefined, 'T1', 'U1')).displayName).toBe('Mia');
    expect(calls).toBe(2);
  });
});

describe.each(testDatabases)('a demoted moderator on $name', (testDb) => {
  const f = useHarness(testDb);
  const as = (name: string, isModerator?: boolean): Actor => ({
    platform: 'console',
    communityPlatformId: 'test-community',
    communityName: 'Test community',
    user: { platformUserId: name.toLowerCase(), displayName: name },
    ...(isModerator === undefined ? {} : { isModerator }),
  });
  const run = async (actor: Actor, command: string, text: string) => {
    const reply = await f.h.app.core.command(actor, command, text);
    await f.h.app.core.flush();
    return textOf(reply);
  };
  const reportsTo = (name: string) => f.h.port.textsTo(name.toLowerCase()).filter((t) => t.includes('New report')).length;
  const flag = async (name: string) =>
    (await f.database.db.selectFrom('members').select('is_moderator').where('platform_user_id', '=', name.toLowerCase()).executeTakeFirstOrThrow()).is_moderator;

  it('stops receiving reports once the platform says they are no longer a moderator', async () => {
    await run(as('Mia', true), 'network-admin', 'reports');
    await run(as('Dana'), 'offer-help', 'archives: moving from public libraries into archives');
    await run(as('Zed'), 'network', 'report @Dana first report');
    expect(reportsTo('Mia')).toBe(1);

    // The platform could not say (users.info failing, a DM click without permissions): nothing changes.
    await run(as('Mia', undefined), 'network', 'help');
    expect(await flag('Mia')).toBe(1);

    // Demoted: the next interaction carries the platform's "no".
    expect(await run(as('Mia', false), 'network-admin', 'reports')).toContain('Only moderators');
    expect(await flag('Mia')).toBe(0);
    await run(as('Zed'), 'network', 'report @Dana second report');
    expect(reportsTo('Mia')).toBe(1);
  });

  it('a moderator the community lists keeps the role whatever the platform says', async () => {
    await run(as('Mia', true), 'network-admin', 'setup prompt_channel=#general');
    const community = await f.database.db.selectFrom('communities').select(['id', 'settings']).executeTakeFirstOrThrow();
    const settings = { ...(JSON.parse(community.settings) as object), moderatorIds: ['lee'] };
    await f.database.db.updateTable('communities').set({ settings: JSON.stringify(settings) }).where('id', '=', community.id).execute();
    await run(as('Lee', true), 'network-admin', 'reports');
    await run(as('Lee', false), 'network', 'help');
    expect(await flag('Lee')).toBe(1);
    await run(as('Dana'), 'offer-help', 'archives: moving from public libraries into archives');
    await run(as('Zed'), 'network', 'report @Dana a report');
    expect(reportsTo('Lee')).toBe(1);
  });

  it('a demoted moderator who never comes back stops receiving reports after the next check', async () => {
    await run(as('Mia', true), 'network-admin', 'reports');
    await run(as('Lee', true), 'network-admin', 'reports');
    await run(as('Dana'), 'offer-help', 'archives: moving from public libraries into archives');
    await run(as('Zed'), 'network', 'report @Dana first report');
    expect([reportsTo('Mia'), reportsTo('Lee')]).toEqual([1, 1]);

    // The platform is asked; it cannot tell about Lee and says Mia lost the role.
    const answers = new Map<string, boolean | undefined>([['mia', false], ['lee', undefined]]);
    const asked: string[] = [];
    const port = Object.assign(Object.create(f.h.port) as typeof f.h.port, {
      moderatorStatus: async (_community: string, userId: string) => {
        asked.push(userId);
        return answers.get(userId);
      },
    });
    expect(await f.h.app.core.recheckModerators(new Map([[port.platform, port]]))).toBe(1);
    expect(asked.sort()).toEqual(['lee', 'mia']);
    expect([await flag('Mia'), await flag('Lee')]).toEqual([0, 1]);

    await run(as('Zed'), 'network', 'report @Dana second report');
    expect([reportsTo('Mia'), reportsTo('Lee')]).toEqual([1, 2]);
    // Nobody is asked about a member who never moderated.
    expect(asked).not.toContain('zed');
  });
});
