import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/time.ts';
import type { Actor } from '../../src/core.ts';
import type { Db } from '../../src/db/database.ts';
import { breakoutCsv } from '../../src/flows/meetups.ts';
import { computeStats } from '../../src/flows/stats.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';
const mod: Actor = { platform: 'console', communityPlatformId: 'test-community', communityName: 'Test community', user: { platformUserId: 'mia', displayName: 'Mia' }, isModerator: true };

/** Every text value in every table, for the "nothing of theirs is left" scan. */
async function everyText(database: Db): Promise<{ table: string; value: string }[]> {
  const tables =
    database.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(database.db)).rows.map((r) => r.name);
  const out: { table: string; value: string }[] = [];
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db)).rows;
    for (const row of rows) for (const value of Object.values(row)) if (typeof value === 'string') out.push({ table, value });
  }
  expect(tables).toContain('members');
  return out;
}

describe.each(testDatabases)('privacy and safety on $name', (testDb) => {
  const f = useHarness(testDb);


  const communityId = async () => (await f.database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow()).id;

  it('exports everything stored about a member as JSON, privately', async () => {
    await f.h.member('Zed').command('network', 'profile bio="Zed catalogues maps" orgs="WAML"');
    await f.h.member('Zed').command('offer-help', 'maps: cartographic materials cataloguing');
    const reply = await f.h.member('Zed').command('network', 'export-my-data');
    const file = reply.reply!.files![0]!;
    expect(file.mimeType).toBe('application/json');
    const data = JSON.parse(Buffer.from(file.base64, 'base64').toString('utf8')) as { profile: { bio: string }; offers: { topic: string }[] };
    expect(data.profile.bio).toBe('Zed catalogues maps');
    expect(data.offers.map((o) => o.topic)).toEqual(['maps']);
    expect(f.h.port.deliveries.filter((d) => d.kind === 'channel')).toHaveLength(0);
  });

  it('deletes a member\'s personal data after confirmation, leaving no trace and the stats totals unchanged', async () => {
    const zed = f.h.member('Zedekiah');
    await zed.command('network', 'profile bio="Zedekiah_bio_marker" orgs="ZedOrgMarker" areas="zedarea" tz=Europe/Oslo');
    await zed.command('offer-help', 'archives: Zedekiah_offer_marker about archives and finding aids');
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await zed.command('intro-request', ASK.replace('archives:', 'special collections:'));
    await f.h.member('Ann').command('intro-request', ASK);
    const asked = ['zedekiah', 'dana'].find((id) => f.h.port.findButton(id, 'Accept'))!;
    await f.h.member(asked === 'zedekiah' ? 'Zedekiah' : 'Dana').press('Accept');
    await f.h.advance(7 * DAY);
    await f.h.member('Ann').press('Yes');
    const thanks = await f.h.member('Ann').press(`Thank ${asked === 'zedekiah' ? 'Zedekiah' : 'Dana'}`);
    await f.h.member('Ann').submit('thanks', { note: 'Thank you so much!' }, thanks.form!.payload);
    await zed.command('network', 'report @Dana Zedekiah_report_marker');
    await zed.command('network', 'block @Ann');
    const before = await computeStats(f.database.db, await communityId(), f.h.clock.now());

    const confirm = await zed.command('network', 'delete-my-data');
    expect(textOf(confirm)).toContain('cannot be undone');
    // Nothing happens until the button is pressed.
    expect((await everyText(f.database)).some((t) => t.value.includes('Zedekiah_bio_marker'))).toBe(true);
    const done = await f.h.app.core.action(
      { platform: 'console', communityPlatformId: 'test-community', communityName: 'Test', user: { platformUserId: 'zedekiah', displayName: 'Zedekiah' } },
      'privacy.confirm_delete',
      'confirm',
    );
    expect(textOf(done)).toContain('has been deleted');

    const leftovers = (await everyText(f.database)).filter((t) => /zedekiah|ZedOrgMarker|zedarea|Europe\/Oslo/i.test(t.value));
    expect(leftovers).toEqual([]);
    const after = await computeStats(f.database.db, await communityId(), f.h.clock.now());
    // History (introductions, acceptances, meetings, thanks, timings) is unchanged; the current-state
    // counts drop by exactly what the member had: themselves, their offer and their waiting ask.
    const { members: membersBefore, activeOffers: offersBefore, openAsks: asksBefore, asksNobodyTook: waitingBefore, ...historyBefore } = before;
    const { members: membersAfter, activeOffers: offersAfter, openAsks: asksAfter, asksNobodyTook: waitingAfter, ...historyAfter } = after;
    expect(waitingAfter).toBe(waitingBefore - 1);
    expect(historyAfter).toEqual(historyBefore);
    expect(membersAfter).toBe(membersBefore - 1);
    expect(offersAfter).toBe(offersBefore - 1);
    expect(asksAfter).toBe(asksBefore - 1);
    // The others' history still shows the match, with an anonymised partner.
    if (asked === 'zedekiah') expect(textOf(await f.h.member('Ann').command('network', 'matches'))).toContain('Former member');
  });

  it('a block takes effect in the very next request and round, in both directions', async () => {
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await f.h.member('Ann').command('network', 'block @Dana');
    const reply = await f.h.member('Ann').command('intro-request', ASK);
    expect(textOf(reply)).toContain('Nobody here offers help with this yet');
    expect(f.h.port.findButton('dana', 'Accept')).toBeNull();
    for (const n of ['Ann', 'Dana']) await f.h.member(n).command('network', 'rounds on');
    await f.h.app.core.command(mod, 'network-admin', 'round');
    await f.h.app.core.flush();
    expect(f.h.port.deliveries.filter((d) => d.kind === 'conversation')).toHaveLength(0);
    expect(f.h.member('Dana').inbox().at(-1)).toContain('could not pair you');
  });

  it('a removal takes effect at once: pending invitations move on and rounds leave them out', async () => {
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await f.h.member('Fran').command('offer-help', 'archives: processing collections and archival description');
    await f.h.member('Ann').command('intro-request', ASK);
    const first = ['dana', 'fran'].find((id) => f.h.port.findButton(id, 'Accept'))!;
    const other = first === 'dana' ? 'fran' : 'dana';
    const removed = await f.h.app.core.command(mod, 'network-admin', `remove @${first}`);
    await f.h.app.core.flush();
    expect(textOf(removed)).toContain('is removed');
    expect(f.h.port.findButton(other, 'Accept')).not.toBeNull();
    const late = await f.h.member(first[0]!.toUpperCase() + first.slice(1)).command('offer-help', 'list');
    expect(textOf(late)).toContain('membership in this community has ended');
    for (const n of ['Ann', 'Bob', 'Cat']) await f.h.member(n).command('network', 'rounds on');
    await f.h.app.core.command(mod, 'network-admin', 'round');
    await f.h.app.core.flush();
    const placed = f.h.port.deliveries.filter((d) => d.kind === 'conversation').flatMap((d) => d.audience);
    expect(placed).not.toContain(first);
    expect(placed.sort()).toEqual(['ann', 'bob', 'cat']);
  });
});

describe('breakout CSV', () => {
  it('quotes fields that need it and leaves emails blank when not shared', () => {
    const csv = breakoutCsv([
      { room: 'Room 1', members: [{ email: 'ann@example.org', display_name: 'Ann, MLIS' }, { email: null, display_name: 'Ben "the cataloguer"' }] },
    ]);
    expect(csv).toBe('room,email,display_name\r\nRoom 1,ann@example.org,"Ann, MLIS"\r\nRoom 1,,"Ben ""the cataloguer"""\r\n');
  });
});
