import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/time.ts';
import type { Actor } from '../../src/core.ts';
import { plainText } from '../../src/messages/build.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/** Every /network-admin subcommand with arguments that make it do something. */
export const ADMIN_CASES: [string, string][] = [
  ['setup', ''],
  ['setup', 'prompt_channel=#general cadence=weekly time_zone=Europe/London'],
  ['prompts', 'list'],
  ['prompts', 'add share: What is one thing you learned from a colleague this month?'],
  ['prompts', 'disable share-1'],
  ['prompts', 'preview'],
  ['round', ''],
  ['meetup', 'title="Spring meetup" start="2026-03-20 18:00" tz=Europe/London length=60 size=3'],
  ['stats', ''],
  ['export', ''],
  ['remove', '@Dana'],
  ['reports', ''],
  ['opportunity', 'ALA: Membership committee volunteer https://ala.example.org/join'],
];

describe.each(testDatabases)('moderator tools on $name', (testDb) => {
  const f = useHarness(testDb);

  const as = (name: string, moderator: boolean): Actor => ({
    platform: 'console',
    communityPlatformId: 'test-community',
    communityName: 'Test community',
    user: { platformUserId: name.toLowerCase(), displayName: name },
    isModerator: moderator,
  });

  beforeEach(async () => {
    await f.h.app.core.command(as('Mia', true), 'network-admin', 'setup prompt_channel=#general');
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
  });

  async function fingerprint() {
    const tables = ['communities', 'members', 'offers', 'requests', 'matches', 'outbox', 'timers', 'audit_log', 'reports', 'opportunities', 'meetups', 'community_prompts'] as const;
    const out: Record<string, unknown> = {};
    for (const t of tables) out[t] = await f.database.db.selectFrom(t).selectAll().execute();
    return JSON.stringify(out);
  }

  it.each(ADMIN_CASES)('refuses "%s %s" for a non-moderator and changes nothing', async (sub, args) => {
    const before = await fingerprint();
    const reply = await f.h.app.core.command(as('Bob', false), 'network-admin', `${sub} ${args}`.trim());
    expect(textOf(reply)).toContain('Only moderators can do that');
    expect(reply.form).toBeUndefined();
    // Bob is created as a member on first contact; nothing else may change.
    const after = JSON.parse(await fingerprint()) as Record<string, unknown[]>;
    const expected = JSON.parse(before) as Record<string, unknown[]>;
    expect(after.members!.length).toBe(expected.members!.length + 1);
    for (const table of Object.keys(expected).filter((t) => t !== 'members')) expect(after[table]).toEqual(expected[table]);
  });

  it.each(ADMIN_CASES)('allows "%s %s" for a moderator and audits it', async (sub, args) => {
    const reply = await f.h.app.core.command(as('Mia', true), 'network-admin', `${sub} ${args}`.trim());
    expect(textOf(reply)).not.toContain('Only moderators');
    expect(textOf(reply)).not.toMatch(/^Not quite/);
    if (args === '' && (sub === 'setup')) expect(reply.form?.formId).toBe('admin.setup');
    const audited = await f.database.db.selectFrom('audit_log').select('action').execute();
    const readOnly = (sub === 'setup' && args === '') || (sub === 'prompts' && ['list', 'preview'].includes(args)) || sub === 'reports';
    if (!readOnly) expect(audited.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses moderator-only buttons and forms to members', async () => {
    const setup = await f.h.app.core.submitForm(as('Bob', false), 'admin.setup', { cadence: 'weekly' });
    expect(textOf(setup)).toContain('Only moderators');
    const resolve = await f.h.app.core.action(as('Bob', false), 'admin.resolve_report', 'x');
    expect(textOf(resolve)).toContain('Only moderators');
  });

  it('lets a community list extra moderators by platform id', async () => {
    await f.h.app.core.command(as('Mia', true), 'network-admin', 'setup cadence=monthly');
    const { findCommunity, updateCommunitySettings } = await import('../../src/db/communities.ts');
    const community = (await findCommunity(f.database.db, 'console', 'test-community'))!;
    await updateCommunitySettings(f.database.db, community, { moderatorIds: ['bob'] });
    expect(textOf(await f.h.app.core.command(as('Bob', false), 'network-admin', 'prompts preview'))).toContain('Next prompt');
  });

  it('reports reach moderators privately, and a moderator resolves them', async () => {
    await f.h.member('Ann').command('network', 'profile');
    const reply = await f.h.member('Ann').command('network', 'report @Dana was dismissive and rude in our call');
    await f.h.app.core.flush();
    expect(textOf(reply)).toContain('Thank you for telling us');
    const toMia = f.h.port.textsTo('mia').at(-1)!;
    expect(toMia).toContain('Ann reported Dana');
    // The reported member is told nothing at all (not only nothing with the word "reported" in it).
    expect(f.h.port.textsTo('dana')).toEqual([]);
    expect(f.h.port.deliveries.filter((d) => d.audience.includes('dana'))).toEqual([]);
    const list = await f.h.app.core.command(as('Mia', true), 'network-admin', 'reports');
    expect(textOf(list)).toContain('#1');
    const resolved = await f.h.app.core.command(as('Mia', true), 'network-admin', 'reports resolve 1 spoke with both');
    expect(textOf(resolved)).toContain('Report #1 is resolved');
    expect(textOf(await f.h.app.core.command(as('Mia', true), 'network-admin', 'reports'))).toContain('No open reports');
  });

  it('setup validates each field and names the problem', async () => {
    const bad = await f.h.app.core.command(as('Mia', true), 'network-admin', 'setup prompt_time=25:00 cadence=daily');
    expect(textOf(bad)).toContain('24-hour HH:MM');
    expect(textOf(bad)).toContain('weekly, biweekly, monthly or off');
    const form = await f.h.app.core.submitForm(as('Mia', true), 'admin.setup', { time_zone: 'Mars/Base', group_size: '' });
    expect(form.fieldErrors?.time_zone).toContain('IANA');
  });

  it('posts opportunities to the channel, the digest and /network orgs', async () => {
    await f.h.app.core.command(as('Mia', true), 'network-admin', 'opportunity SAA: Reference, Access and Outreach section steering committee https://saa.example.org');
    await f.h.app.core.flush();
    expect(f.h.port.deliveries.at(-1)!.kind).toBe('channel');
    await f.h.member('Ann').command('network', 'profile orgs="SAA, ALA"');
    const orgs = await f.h.member('Dana').command('network', 'orgs');
    expect(textOf(orgs)).toContain('SAA: Reference, Access and Outreach section steering committee');
    await f.h.advance(7 * 24 * HOUR);
    const digest = f.h.port.deliveries.map((d) => plainText(d.message)).find((t) => t.startsWith('Weekly digest'))!;
    expect(digest).toContain('Volunteer and committee openings');
  });
});
