import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/time.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf, type Harness } from '../support/harness.ts';

const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';

describe.each(testDatabases)('intro request flow on $name', (testDb) => {
  const f = useHarness(testDb);


  async function requestStatus(ref: number): Promise<string> {
    const row = await f.database.db.selectFrom('requests').select('status').where('ref', '=', ref).executeTakeFirstOrThrow();
    return row.status;
  }

  /** Three archivists offer help; Alice asks. */
  async function setup() {
    const dana = f.h.member('Dana');
    const fran = f.h.member('Fran');
    const gil = f.h.member('Gil');
    const alice = f.h.member('Alice');
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
    const asked = invited(f.h);
    expect(asked).toHaveLength(1);
    const helper = f.h.member(cap(asked[0]!));
    const invitation = helper.inbox().at(-1)!;
    expect(invitation).toContain('How did you move from public libraries into archives?');
    expect(invitation).toContain('20 minutes');
    expect(invitation).toContain('not a job interview');

    const acceptButton = helper.button('Accept');
    const accepted = await helper.press('Accept');
    expect(textOf(accepted)).toContain('You accepted');
    const intro = f.h.port.deliveries.find((d) => d.kind === 'conversation')!;
    expect(intro.audience.sort()).toEqual(['alice', asked[0]!].sort());
    const text = textOf(intro.message);
    expect(text).toContain('20-minute informational interview about archives');
    expect(text).toContain('Which skills mattered most?');
    expect(text).toContain('not a job interview');
    expect(await requestStatus(1)).toBe('matched');

    // The same button again changes nothing.
    const again = await helper.act(acceptButton.actionId, acceptButton.payload);
    expect(textOf(again)).toContain('already been answered');
    expect(f.h.port.deliveries.filter((d) => d.kind === 'conversation')).toHaveLength(1);
  });

  it('asks the next helper after a decline, never telling the requester who said no', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const first = invited(f.h)[0]!;
    await f.h.member(cap(first)).press('Decline');
    const second = invited(f.h).filter((id) => id !== first);
    expect(second).toHaveLength(1);
    // Alice's inbox shows display names ("Dana"), not ids ("dana"): match the name as rendered, in any case.
    const toAlice = alice.inbox().join('\n');
    expect(toAlice).not.toMatch(new RegExp(`\\b${cap(first)}\\b`, 'i'));
    expect(toAlice).not.toMatch(/declin/i);
    expect(await requestStatus(1)).toBe('open');
  });

  it('"Not now" also passes the request on', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const first = invited(f.h)[0]!;
    const reply = await f.h.member(cap(first)).press('Not now');
    expect(textOf(reply)).toContain('not now is a fine answer');
    expect(invited(f.h).filter((id) => id !== first)).toHaveLength(1);
  });

  it('moves on when the response window runs out, and tells the old helper kindly', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const first = invited(f.h)[0]!;
    await f.h.advance(71 * HOUR);
    expect(invited(f.h)).toEqual([first]);
    await f.h.advance(2 * HOUR);
    expect(f.h.member(cap(first)).inbox().at(-1)).toContain('moved on');
    const others = invited(f.h).filter((id) => id !== first);
    expect(others).toHaveLength(1);
    // A late press on the expired invitation changes nothing.
    const late = await f.h.member(cap(first)).press('Accept');
    expect(textOf(late)).toContain('already been answered');
    // Running the due timers again sends nothing new.
    const before = f.h.port.deliveries.length;
    await f.h.app.core.runDue();
    await f.h.app.core.flush();
    expect(f.h.port.deliveries.length).toBe(before);
  });

  it('tells the requester kindly when nobody is left, and keeps the request open for the digest', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    for (let i = 0; i < 3; i++) {
      const current = invited(f.h).find((id) => f.h.port.findButton(id, 'Decline'))!;
      await f.h.member(cap(current)).press('Decline');
    }
    const last = alice.inbox().at(-1)!;
    expect(last).toContain('could not take it on right now');
    expect(last).toContain('not about you');
    expect(await requestStatus(1)).toBe('waiting');
  });

  it('stops after the configured number of tries even if more helpers exist', async () => {
    await f.restart({ config: { MAX_HELPER_TRIES: '1' } });
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    await f.h.member(cap(invited(f.h)[0]!)).press('Decline');
    expect(invited(f.h).length).toBe(0);
    expect(alice.inbox().at(-1)).toContain('could not take it on');
  });

  it('saves the request when nobody can help yet', async () => {
    const reply = await f.h.member('Alice').command('intro-request', ASK);
    expect(textOf(reply)).toContain('Nobody here offers help with this yet');
    expect(await requestStatus(1)).toBe('waiting');
  });

  it('asks a named member first and refuses a request to yourself', async () => {
    const { alice } = await setup();
    const self = await alice.command('intro-request', `@Alice ${ASK}`);
    expect(textOf(self)).toContain('cannot send an intro request to yourself');
    await alice.command('intro-request', `@Gil ${ASK}`);
    expect(invited(f.h)).toEqual(['gil']);
  });

  it('limits open asks per member', async () => {
    const { alice } = await setup();
    for (let i = 0; i < 3; i++) await alice.command('intro-request', ASK);
    const fourth = await alice.command('intro-request', ASK);
    expect(textOf(fourth)).toContain('already have 3 open asks');
    const count = await f.database.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('cancels a request and tells the invited helper kindly', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const helper = invited(f.h)[0]!;
    const reply = await alice.command('intro-request', 'cancel 1');
    expect(textOf(reply)).toContain('Request #1 is cancelled');
    expect(f.h.member(cap(helper)).inbox().at(-1)).toContain('no longer needs');
    expect(await requestStatus(1)).toBe('cancelled');
    const late = await f.h.member(cap(helper)).press('Accept');
    expect(textOf(late)).toContain('already been answered');
  });

  it('checks in after the meeting and passes thanks to the helper', async () => {
    const { alice } = await setup();
    await alice.command('intro-request', ASK);
    const helperId = invited(f.h)[0]!;
    const helper = f.h.member(cap(helperId));
    await helper.press('Accept');
    await f.h.advance(7 * DAY);
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
