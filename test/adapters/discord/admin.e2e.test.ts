/**
 * `/network-admin` on Discord end to end: the real discord.js client on the
 * fake Discord, the real core on an in-memory database. Who may use it, what
 * each subcommand becomes, files as attachments, and the community's own
 * intros channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findCommunity } from '../../../src/db/communities.ts';
import type { Database } from '../../../src/db/tables.ts';
import { settingsFor } from '../../../src/settings.ts';
import { Perm, type FakeGuildInit, type FakeUserInit, type Obj, type RecordedCall } from '../../fakes/discord/server.ts';
import { dataOf, startWorld, until, type World } from './world.ts';

const EPHEMERAL = 64;
const LEAD_ROLE = '333333333333333333';
const CATALOGING = { topic: 'cataloging', details: 'happy to walk new catalogers through RDA and MARC' };
const ASK = { topic: 'cataloging', questions: 'How did you get into cataloging? Which skills mattered most?', length: 20 };

let world: World | undefined;
afterEach(async () => {
  if (world) expect(world.fake.unhandledCalls()).toEqual([]);
  await world?.close();
  world = undefined;
});

async function start(opts: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  world = await startWorld(opts);
  return world;
}

/** The default world plus `lead`, who holds a role without Manage Server that the adapter is told moderates. */
const USERS: FakeUserInit[] = [
  { username: 'owner' },
  { username: 'mod' },
  { username: 'lead', global_name: 'Lee Lead' },
  { username: 'alice', global_name: 'Alice Archivist' },
  { username: 'bob', global_name: 'Bob Bibliographer' },
];
const GUILD: FakeGuildInit = {
  name: 'Circulate Test Guild',
  owner: 'owner',
  roles: [
    { name: 'Moderators', permissions: Perm.ManageGuild | Perm.ViewChannel | Perm.SendMessages },
    { id: LEAD_ROLE, name: 'Circle leads', permissions: 0n },
  ],
  channels: [{ name: 'general' }, { name: 'introductions' }],
  members: USERS.map((u) => ({ user: u.username, roles: u.username === 'mod' ? ['Moderators'] : u.username === 'lead' ? ['Circle leads'] : [] })),
};

/** A channel option as Discord sends it (type 7, the id as value). */
const channelOption = (name: string, id: string): Obj => ({ name, type: 7, value: id });

/** One `/network-admin` invocation: [group, subcommand, options]. */
type Case = [string | undefined, string, Record<string, string | number | { user: string }> | Obj[]];

/** Every subcommand, with typical options. */
function everySubcommand(w: World): Case[] {
  return [
    [undefined, 'setup', [channelOption('prompt_channel', w.fake.channel('general').id as string), { name: 'cadence', type: 3, value: 'monthly' }, { name: 'group_size', type: 4, value: 3 }]],
    [undefined, 'setup', {}],
    ['prompts', 'list', {}],
    ['prompts', 'preview', {}],
    ['prompts', 'add', { theme: 'share', text: 'Which library blog taught you the most this year?' }],
    ['prompts', 'disable', { key: 'share-1' }],
    ['prompts', 'enable', { key: 'share-1' }],
    [undefined, 'round', {}],
    [undefined, 'meetup', { title: 'Spring meetup', start: '2026-04-14 18:00', tz: 'Europe/London', length: 60, size: 3, link: 'https://meet.example.org/spring' }],
    [undefined, 'stats', {}],
    [undefined, 'export', {}],
    ['reports', 'list', {}],
    ['reports', 'resolve', { number: 1, note: 'talked to both' }],
    [undefined, 'opportunity', { org: 'ALA', title: 'Membership committee volunteer', link: 'https://ala.example.org/join' }],
    [undefined, 'remove', { member: { user: 'bob' } }],
  ];
}

const admin = (w: World, user: string, [group, sub, options]: Case): Promise<RecordedCall> => w.command(user, 'network-admin', sub, options, group);

/** Asserts an interaction reply is ephemeral and pings nobody; returns its text. */
function privateText(w: World, call: RecordedCall): string {
  expect((call.body as { type: number }).type).toBe(4);
  const data = dataOf(call);
  expect((data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
  const pings = w.fake.pingsOf(call);
  expect(pings.users).toEqual([]);
  expect(pings.everyone).toBe(false);
  return data.content;
}

const TABLES: (keyof Database)[] = [
  'communities', 'members', 'offers', 'requests', 'matches', 'match_participants', 'match_events', 'feedback', 'timers', 'outbox',
  'blocks', 'pending_notices', 'job_runs', 'community_prompts', 'prompt_posts', 'round_skips', 'custom_topics', 'audit_log',
  'reports', 'opportunities', 'meetups', 'meetup_rsvps',
];

/** Every table but the interaction-dedup one (each interaction id is recorded, refused or not). */
async function snapshot(w: World): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await w.app.core.db.selectFrom(table).selectAll().execute();
  return out;
}

/** Bob offers help and Alice reports him, so removal and report resolution would each change something. */
async function populate(w: World): Promise<void> {
  await w.command('bob', 'offer-help', 'add', CATALOGING);
  const reported = privateText(w, await w.command('alice', 'network', 'report', { member: { user: 'bob' }, reason: 'was rude in our introduction' }));
  expect(reported).not.toContain('Not quite');
}

describe('/network-admin permissions', () => {
  it('refuses every subcommand to a member without Manage Server, and nothing changes', async () => {
    const w = await start({ fake: { users: USERS, guilds: [GUILD] }, moderatorRoleId: LEAD_ROLE });
    await populate(w);
    await w.app.core.flush();
    const before = await snapshot(w);
    const channelPosts = w.fake.callsTo('POST', /^\/channels\/\d+\/messages$/).length;
    for (const c of everySubcommand(w)) {
      const text = privateText(w, await admin(w, 'alice', c));
      expect(text, `${c[0] ?? ''} ${c[1]}`).toContain('Only moderators');
    }
    await w.app.core.flush();
    expect(await snapshot(w)).toEqual(before);
    expect(w.fake.callsTo('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(channelPosts);
    expect(w.fake.calls.every((c) => c.files.length === 0)).toBe(true);
  });

  it('allows every subcommand to a member with Manage Server and to one with the configured moderator role', async () => {
    const w = await start({ fake: { users: USERS, guilds: [GUILD] }, moderatorRoleId: LEAD_ROLE });
    await populate(w);
    const db = w.app.core.db;
    for (const moderator of ['mod', 'lead']) {
      const audited = (await db.selectFrom('audit_log').select('id').execute()).length;
      for (const c of everySubcommand(w)) {
        const text = privateText(w, await admin(w, moderator, c));
        expect(text, `${moderator}: ${c[0] ?? ''} ${c[1]}`).not.toContain('Only moderators');
        expect(text, `${moderator}: ${c[0] ?? ''} ${c[1]}`).not.toContain('Something went wrong');
      }
      expect((await db.selectFrom('audit_log').select('id').execute()).length).toBeGreaterThan(audited + 5);
    }
    const community = (await findCommunity(db, 'discord', w.fake.guild().id))!;
    const settings = settingsFor(community, w.app.core.config);
    expect(settings).toMatchObject({ promptChannelId: w.fake.channel('general').id, pairingCadence: 'monthly', groupSize: 3 });
    expect((await db.selectFrom('reports').select('status').execute()).map((r) => r.status)).not.toContain('open');
    expect((await db.selectFrom('members').select('removed_at').where('platform_user_id', '=', w.id('bob')).executeTakeFirstOrThrow()).removed_at).not.toBeNull();
    expect(await db.selectFrom('opportunities').select('id').execute()).toHaveLength(2);
    // The meetup was announced in the prompt channel with its RSVP buttons.
    await w.app.core.flush();
    const announcement = w.fake.messagesIn('general').find((m) => String(m.content).includes('Spring meetup'));
    expect(JSON.stringify(announcement?.components ?? [])).toContain('Going');
  });

  it('answers setup without options with the options to use and the current values, since 10 fields do not fit a modal', async () => {
    const w = await start();
    const callback = await w.command('mod', 'network-admin', 'setup');
    const text = privateText(w, callback);
    expect(text).toContain('more than a Discord form can hold');
    expect(text).toContain('**/network-admin setup**');
    expect(text).toContain('intro\\_channel');
    expect(w.fake.interaction(callback.interactionId!)!.modal).toBeNull();
  });
});

describe('/network-admin files', () => {
  it('stats: the 12-week chart arrives as a PNG attachment on the private reply; export as a CSV', async () => {
    const w = await start();
    const stats = await w.command('mod', 'network-admin', 'stats');
    expect(privateText(w, stats)).toContain('Community stats');
    expect(stats.files).toHaveLength(1);
    expect(stats.files[0]).toMatchObject({ name: 'circulate-12-weeks.png', contentType: 'image/png' });
    expect(stats.files[0]!.size).toBeGreaterThan(100);
    const stored = w.fake.originalResponse(stats.interactionId!)!;
    expect(stored.attachments).toEqual([expect.objectContaining({ filename: 'circulate-12-weeks.png', content_type: 'image/png' })]);
    expect((stats.body as { data: Obj }).data.attachments).toEqual([expect.objectContaining({ id: '0' })]);

    const exported = await w.command('mod', 'network-admin', 'export');
    expect(privateText(w, exported)).toContain('Your export is ready');
    // discord.js sends a Buffer's type only when it recognises the bytes (the PNG); Discord types the CSV by its name.
    expect(exported.files).toEqual([expect.objectContaining({ name: 'circulate-stats.csv' })]);
    expect(exported.files[0]!.size).toBeGreaterThan(0);
  });

  it('a deferred stats reply carries the chart on the edit', async () => {
    const w = await start({ deferAfterMs: 20 });
    const core = w.app.core;
    const command = core.command.bind(core);
    core.command = async (...args) => {
      await new Promise((r) => setTimeout(r, 150));
      return command(...args);
    };
    const callback = await w.command('mod', 'network-admin', 'stats');
    expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const edit = await w.fake.waitForCall((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'));
    expect(edit.files).toEqual([expect.objectContaining({ name: 'circulate-12-weeks.png', contentType: 'image/png' })]);
  });

  it('export-my-data: a member gets their data as a JSON attachment', async () => {
    const w = await start();
    await w.command('alice', 'offer-help', 'add', CATALOGING);
    const reply = await w.command('alice', 'network', 'export-my-data');
    privateText(w, reply);
    expect(reply.files).toHaveLength(1);
    expect(reply.files[0]!.name).toMatch(/\.json$/);
  });
});

describe("the community's intros channel", () => {
  type Button = { custom_id: string; label: string };
  const buttonsOf = (msg: Obj): Button[] => ((msg.components as { components: Button[] }[] | undefined) ?? []).flatMap((row) => row.components);
  const invitationTo = (w: World, user: string): Obj | undefined => w.fake.dmsTo(user).filter((m) => buttonsOf(m).some((b) => b.label === 'Accept')).at(-1);

  /** Bob offers, Alice asks, Bob accepts: the introduction is queued. */
  async function introduce(w: World): Promise<void> {
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    await w.command('alice', 'intro-request', 'ask', ASK);
    await until(() => invitationTo(w, 'bob') !== undefined);
    const invitation = invitationTo(w, 'bob')!;
    const accept = buttonsOf(invitation).find((b) => b.label === 'Accept')!.custom_id;
    await w.run(w.fake.buttonInteraction({ user: 'bob', guild_id: null, custom_id: accept, message: invitation }));
    await w.app.core.flush();
  }

  it('a moderator sets it with /network-admin setup intro_channel; the next introduction opens a private thread there', async () => {
    const w = await start();
    const intros = w.fake.channel('introductions').id as string;
    const saved = privateText(w, await w.command('mod', 'network-admin', 'setup', [channelOption('intro_channel', intros)]));
    expect(saved).not.toContain('Not quite');
    const community = (await findCommunity(w.app.core.db, 'discord', w.fake.guild().id))!;
    expect(settingsFor(community, w.app.core.config).introChannelId).toBe(intros);

    await introduce(w);
    const threadCall = await w.fake.waitForCall((c) => c.method === 'POST' && /^\/channels\/\d+\/threads$/.test(c.path));
    expect(threadCall.params.channel).toBe(intros);
    expect(threadCall.body).toMatchObject({ type: 12, invitable: false });
    const threadId = (threadCall.response as Obj).id as string;
    expect(w.fake.threadMembersOf(threadId).sort()).toEqual([w.fake.applicationId, w.id('alice'), w.id('bob')].sort());
    await until(() => w.fake.messageCalls().some((c) => c.path === `/channels/${threadId}/messages`));
    for (const user of ['alice', 'bob']) expect(w.fake.dmsTo(user).some((m) => String(m.content).includes('**Introduction**'))).toBe(false);
  });
});
