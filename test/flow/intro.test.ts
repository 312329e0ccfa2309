import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/clock.ts';
import type { Db } from '../../src/db/database.ts';
import { testDatabases } from '../support/databases.ts';
import { harness, textOf, type Harness } from '../support/harness.ts';

const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';

describe.each(testDatabases)('intro request flow on $name', (testDb) => {
  let database: Db;
  let release: () => Promise<void>;
  let h: Harness;

  beforeEach(async () => {
    ({ database, release } = await testDb.open());
    h = await harness(database);
  });
  afterEach(async () => {
    await h.close();
    await release();
  });

  async function requestStatus(ref: number): Promise<string> {
    const row = await database.db.selectFrom('requests').select('status').where('ref', '=', ref).executeTakeFirstOrThrow();
    return row.status;
  }

  /** Three archivists offer help; Alice asks. */
  async function setup() {
    const dana = h.member('Dana');
    const fran = h.member('Fran');
    const gil = h.member('Gil');
    const alice = h.member('Alice');
    await dana.command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await fran.command('offer-help', 'archives: processing collections and archival description');
    await gil.command('offer-help', 'archives: special collections and archives outreach');
    return { dana, fran, gil, alice };
  }

  const cap = (id: string): string => id[0]!.toUpperCase() + id.slice(1);

  function invited(h2: Harness): string[] {
    return ['dana', 'fran', 'gil'].filter((id) => h2.port.findButton(id, 'Accept'));
  }

  it('invites one helper with the whole request, and introduces both on accept', async () => {
    const { alice } = await setup();
    const reply = await alice.command('intro-request', ASK);
    expect(textOf(reply)).toContain('Request #1 is out');
    const asked = invited(h);
    expect(asked).toHaveLength(1);
    const helper = h.member(cap(asked[0]!));
    const invitation = helper.inbox().at(-1)!;
    expect(invitation).toContain('How did you move from public libraries into archives?');
    expect(invitation).toContain('20 minutes');
    expect(invitation).toContain('not a job interview');

    const acceptButton = helper.button('Accept');
    const accepted = await helper.press('Accept');
    expect(textOf(accepted)).toContain('You accepted');
    const intro = h.port.deliveries.find((d) => d.kind === 'conversation')!;
    expect(intro.audience.sort()).toEqual(['alice', asked[0]!].sort());
    const text = textOf(intro.message);
    expect(text).toContain('20-minute informational interview about archives');
    expect(text).toContain('Which skills mattered most?');
    expect(text).toContain('not a job interview');
    expect(await requestStatus(1)).toBe('matched');

    // The same button again changes nothing.
    const again = await helper.act(acceptButton.actionId, acceptButton.payload);
    expect(textOf(again)).toContain('already been answered');
    expect(h.port.deliveries.filter((d) => d.kind === 'conversation')).toHaveLength(1);
  });

  it('asks the next helper after a decline, never telling the requester who said no', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const first = invited(h)[0]!;
    await h.member(cap(first)).press('Decline');
    const second = invited(h).filter((id) => id !== first);
    expect(second).toHaveLength(1);
    expect(alice.inbox().join('\n')).not.toContain(first);
    expect(await requestStatus(1)).toBe('open');
  });

  it('"Not now" also passes the request on', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const first = invited(h)[0]!;
    const reply = await h.member(cap(first)).press('Not now');
    expect(textOf(reply)).toContain('not now is a fine answer');
    expect(invited(h).filter((id) => id !== first)).toHaveLength(1);
  });

  it('moves on when the response window runs out, and tells the old helper kindly', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const first = invited(h)[0]!;
    await h.advance(71 * HOUR);
    expect(invited(h)).toEqual([first]);
    await h.advance(2 * HOUR);
    expect(h.member(cap(first)).inbox().at(-1)).toContain('moved on');
    const others = invited(h).filter((id) => id !== first);
    expect(others).toHaveLength(1);
    // A late press on the expired invitation changes nothing.
    const late = await h.member(cap(first)).press('Accept');
    expect(textOf(late)).toContain('already been answered');
    // Running the due timers again sends nothing new.
    const before = h.port.deliveries.length;
    await h.app.core.runDue();
    await h.app.core.flush();
    expect(h.port.deliveries.length).toBe(before);
  });

  it('tells the requester kindly when nobody is left, and keeps the request open for the digest', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    for (let i = 0; i < 3; i++) {
      const current = invited(h).find((id) => h.port.findButton(id, 'Decline'))!;
      await h.member(cap(current)).press('Decline');
    }
    const last = alice.inbox().at(-1)!;
    expect(last).toContain('could not take it on right now');
    expect(last).toContain('not about you');
    expect(await requestStatus(1)).toBe('waiting');
  });

  it('stops after the configured number of tries even if more helpers exist', async () => {
    await h.close();
    h = await harness(database, { config: { MAX_HELPER_TRIES: '1' } });
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    await h.member(cap(invited(h)[0]!)).press('Decline');
    expect(invited(h).length).toBe(0);
    expect(alice.inbox().at(-1)).toContain('could not take it on');
  });

  it('saves the request when nobody can help yet', async () => {
    const reply = await h.member('Alice').command('intro-request', ASK);
    expect(textOf(reply)).toContain('nobody who can help with it is free right now');
    expect(await requestStatus(1)).toBe('waiting');
  });

  it('asks a named member first and refuses a request to yourself', async () => {
    const { alice } = await setup();
    const self = await alice.command('intro-request', `@Alice ${ASK}`);
    expect(textOf(self)).toContain('cannot send an intro request to yourself');
    await alice.command('intro-request', `@Gil ${ASK}`);
    expect(invited(h)).toEqual(['gil']);
  });

  it('limits open asks per member', async () => {
    const { alice } = await setup();
    for (let i = 0; i < 3; i++) await alice.command('intro-request', ASK);
    const fourth = await alice.command('intro-request', ASK);
    expect(textOf(fourth)).toContain('already have 3 open asks');
    const count = await database.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('cancels a request and tells the invited helper kindly', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const helper = invited(h)[0]!;
    const reply = await alice.command('intro-request', 'cancel 1');
    expect(textOf(reply)).toContain('Request #1 is cancelled');
    expect(h.member(cap(helper)).inbox().at(-1)).toContain('no longer needs');
    expect(await requestStatus(1)).toBe('cancelled');
    const late = await h.member(cap(helper)).press('Accept');
    expect(textOf(late)).toContain('already been answered');
  });

  it('checks in after the meeting and passes thanks to the helper', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const helperId = invited(h)[0]!;
    const helper = h.member(cap(helperId));
    await helper.press('Accept');
    await h.advance(7 * DAY);
    expect(alice.inbox().at(-1)).toContain('Did you get to meet');
    expect(helper.inbox().at(-1)).toContain('Did you get to meet');
    const yesButton = alice.button('Yes');
    const yes = await alice.press('Yes');
    expect(textOf(yes)).toContain('thank-you');
    const form = await alice.press(`Thank ${cap(helperId)}`);
    expect(form.form?.formId).toBe('thanks');
    const empty = await alice.submit('thanks', { note: '' }, form.form!.payload);
    expect(empty.fieldErrors?.note).toBeDefined();
    await alice.submit('thanks', { note: 'Thank you, that was so useful.' }, form.form!.payload);
    expect(helper.inbox().at(-1)).toContain('Thank you, that was so useful.');
    const twice = await alice.act(yesButton.actionId, yesButton.payload);
    expect(textOf(twice)).toContain('already answered');
  });

  it('lists open requests', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const list = await alice.command('intro-request', 'list');
    expect(textOf(list)).toContain('#1 archives (20 min)');
  });
});
