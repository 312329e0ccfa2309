import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { findCommunity } from '../../../src/db/communities.ts';
import type { Database } from '../../../src/db/tables.ts';
import { settingsFor } from '../../../src/settings.ts';
import type { FakeFile, ResponseUrlPost } from '../../fakes/slack/index.ts';
import { allText, startHarness, USERS, type SlackHarness } from './harness.ts';

/**
 * `/network-admin` on Slack end to end: signed slash commands into the real
 * Bolt app, the real core, the fake Web API. Workspace admins and owners
 * (users.info is_admin / is_owner) moderate; everyone else is refused and
 * nothing changes. Files (the chart, CSV and JSON exports) arrive in the
 * member's DM through Slack's external upload, since ephemeral replies cannot
 * carry them.
 */

const ADMIN = { id: 'U0ADMIN01', name: 'ada', display_name: 'Ada Admin', is_admin: true };
const OWNER = { id: 'U0OWNER01', name: 'otto', display_name: 'Otto Owner', is_owner: true };
const NEWBIE = { id: 'U0NEWBIE1', name: 'nell', display_name: 'Nell' };
const GENERAL = { id: 'C0GENERAL1', name: 'general' };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Every subcommand with arguments that make it act. */
const EVERY_SUBCOMMAND = [
  'setup prompt_channel=#general cadence=weekly',
  'prompts list',
  'prompts preview',
  'prompts add share: Which library blog taught you the most this year?',
  'prompts disable share-1',
  'prompts enable share-1',
  'round',
  'meetup title="Spring meetup" start="2026-03-20 18:00" tz=Europe/London length=60 size=3',
  'stats',
  'export',
  `remove <@${USERS.bob.id}>`,
  'reports',
  'reports resolve 1 talked to both',
  'opportunity ALA: Membership committee volunteer https://x.org',
];

const TABLES: (keyof Database)[] = [
  'communities', 'members', 'offers', 'requests', 'matches', 'match_participants', 'match_events', 'timers', 'outbox', 'blocks',
  'community_prompts', 'audit_log', 'reports', 'opportunities', 'meetups', 'meetup_rsvps',
];

let h: SlackHarness;

beforeAll(async () => {
  h = await startHarness({ users: [ADMIN, OWNER, NEWBIE], channels: [GENERAL] });
  // Bob offers help and Alice reports him, so removing and resolving would each change something.
  await h.slash(USERS.bob.id, '/offer-help', 'cataloging: happy to walk new catalogers through RDA and MARC');
  const { answer } = await h.slash(USERS.alice.id, '/network', `report <@${USERS.bob.id}> was rude in our introduction`);
  expect(text(answer)).not.toMatch(/not quite|went wrong/i);
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  await h.settle();
});

const text = (post: ResponseUrlPost): string => allText(post.body);

async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await h.app.database.db.selectFrom(table).selectAll().execute();
  return out;
}

const auditCount = async (): Promise<number> => (await h.app.database.db.selectFrom('audit_log').select('id').execute()).length;

/** Runs `/network-admin` and returns its ephemeral answer's text. */
async function admin(user: string, args: string): Promise<string> {
  const { res, answer } = await h.slash(user, '/network-admin', args);
  expect(res.status).toBe(200);
  expect(answer.body.response_type).toBe('ephemeral');
  expect(answer.response.ok).toBe(true);
  return text(answer);
}

/** The completed upload in this user's DM whose name matches. */
async function fileInDm(userId: string, name: RegExp): Promise<FakeFile> {
  const dm = h.fake.dmChannelFor(userId);
  await h.fake.waitFor('files.completeUploadExternal', (c) => c.args.channel_id === dm && h.fake.filesIn(dm).some((f) => name.test(f.filename)));
  return h.fake.filesIn(dm).filter((f) => name.test(f.filename)).at(-1)!;
}

/** Waits for the ephemeral note that a command's files went to the DM. */
function dmNote(url: string): Promise<ResponseUrlPost> {
  return h.fake.waitForResponsePost((p) => p.url === url && /sent to your DMs/i.test(text(p)));
}

describe('/network-admin permissions on Slack', () => {
  test('every subcommand is refused to a member who is not a workspace admin, and nothing changes but their first-contact row', async () => {
    const before = await snapshot();
    const messages = h.fake.messages.length;
    const uploads = h.fake.files.length;
    for (const args of EVERY_SUBCOMMAND) {
      const answer = await admin(NEWBIE.id, args);
      expect(answer, args).toContain('Only moderators can do that');
    }
    await h.settle();
    const after = await snapshot();
    // The member row made on first contact is the only change.
    const newRows = (after.members as { platform_user_id: string }[]).filter((m) => !(before.members as { id: string }[]).some((b) => b.id === (m as unknown as { id: string }).id));
    expect(newRows.map((m) => m.platform_user_id)).toEqual([NEWBIE.id]);
    expect({ ...after, members: (after.members as { platform_user_id: string }[]).filter((m) => m.platform_user_id !== NEWBIE.id) }).toEqual(before);
    expect((newRows[0] as unknown as { is_moderator: number }).is_moderator).toBe(0);
    // Nothing was posted or uploaded on their behalf.
    expect(h.fake.messages.length).toBe(messages);
    expect(h.fake.files.length).toBe(uploads);
  });

  test('a workspace admin may use every subcommand; acting ones are audited and take effect', async () => {
    const db = h.app.database.db;
    const acting = new Set(['setup', 'prompts add', 'prompts disable', 'prompts enable', 'round', 'meetup', 'stats', 'export', 'remove', 'reports resolve', 'opportunity']);
    for (const args of EVERY_SUBCOMMAND) {
      const audited = await auditCount();
      const answer = await admin(ADMIN.id, args);
      expect(answer, args).not.toContain('Only moderators');
      expect(answer, args).not.toMatch(/went wrong|not quite/i);
      const name = args.startsWith('prompts') || args.startsWith('reports') ? args.split(' ').slice(0, 2).join(' ') : args.split(' ')[0]!;
      const added = (await auditCount()) - audited;
      if (acting.has(name)) expect(added, args).toBe(1);
      else expect(added, args).toBe(0);
    }
    const community = (await findCommunity(db, 'slack', h.fake.team.id))!;
    expect(settingsFor(community, h.app.core.config)).toMatchObject({ promptChannelId: 'general', pairingCadence: 'weekly' });
    expect((await db.selectFrom('audit_log').select('action').orderBy('at').execute()).map((r) => r.action)).toEqual(
      expect.arrayContaining(['settings.update', 'prompt.add', 'round.run', 'meetup.create', 'stats.view', 'stats.export', 'member.remove', 'report.resolve', 'opportunity.post']),
    );
    expect((await db.selectFrom('reports').select('status').execute()).map((r) => r.status)).toEqual(['resolved']);
    expect((await db.selectFrom('members').select('removed_at').where('platform_user_id', '=', USERS.bob.id).executeTakeFirstOrThrow()).removed_at).not.toBeNull();
    expect((await db.selectFrom('members').select('is_moderator').where('platform_user_id', '=', ADMIN.id).executeTakeFirstOrThrow()).is_moderator).toBe(1);

    // The meetup is announced in the prompt channel with Going / Not going buttons.
    await h.settle();
    const call = await h.fake.waitFor('chat.postMessage', (c) => c.response.ok && c.response.channel === GENERAL.id && allText(c.args).includes('Spring meetup'));
    const buttons = (call.args.blocks as { type: string; elements?: { type: string; text: { text: string } }[] }[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .map((e) => e.text.text);
    expect(buttons).toEqual(['Going', 'Not going']);
    expect(call.missingTextFallback).toBe(false);
  });

  test('a workspace owner is a moderator too', async () => {
    const audited = await auditCount();
    const answer = await admin(OWNER.id, 'round');
    expect(answer).not.toContain('Only moderators');
    expect(await auditCount()).toBe(audited + 1);
  });
});

describe('/network-admin files on Slack', () => {
  test('stats: the 12-week chart is uploaded as a PNG to the admin’s DM, and the reply says so', async () => {
    const { answer } = await h.slash(ADMIN.id, '/network-admin', 'stats');
    expect(text(answer)).toContain('Community stats');
    const png = await fileInDm(ADMIN.id, /\.png$/);
    expect(png.filename).toMatch(/\.png$/);
    expect(png.bytes!.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.bytes!.length).toBe(png.length);
    expect(text(await dmNote(answer.url))).toContain(png.filename);
    // The ephemeral answer itself carries no files (Slack would drop them).
    expect(answer.body.files).toBeUndefined();
  });

  test('export: a CSV of the weekly counts, uploaded to the admin’s DM', async () => {
    const { answer } = await h.slash(ADMIN.id, '/network-admin', 'export');
    const csv = await fileInDm(ADMIN.id, /\.csv$/);
    expect(csv.bytes!.toString('utf8').split(/\r?\n/)[0]).toBe('week_start,introductions,accepted,met,thanked');
    await dmNote(answer.url);
  });

  test('export-my-data: a member gets their data as JSON in their DM', async () => {
    await h.slash(USERS.carol.id, '/offer-help', 'reference: glad to talk about moving into reference work');
    const { answer } = await h.slash(USERS.carol.id, '/network', 'export-my-data');
    expect(answer.body.response_type).toBe('ephemeral');
    const json = await fileInDm(USERS.carol.id, /\.json$/);
    const data = JSON.parse(json.bytes!.toString('utf8')) as unknown;
    expect(typeof data).toBe('object');
    expect(JSON.stringify(data)).toContain('reference');
    await dmNote(answer.url);
  });

  test('when Slack refuses the upload, the member is told instead of left waiting', async () => {
    h.fake.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const { answer } = await h.slash(ADMIN.id, '/network-admin', 'export');
    const note = await h.fake.waitForResponsePost((p) => p.url === answer.url && p.seq !== answer.seq);
    expect(text(note)).toMatch(/did not accept/);
  });
});
