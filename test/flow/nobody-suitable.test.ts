import { describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/**
 * Issue 14, finding 5: when nobody is asked, the requester is told which case it is
 * (nobody offers this yet / the people who do are busy) without naming anyone.
 */
const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';
const AGAIN = 'archives: What does processing a collection involve day to day? 20 min';
const NOBODY = 'Nobody here offers help with this yet';
const BUSY = 'Some people here do offer help with this';

describe.each(testDatabases)('when nobody suitable is free, on $name', (testDb) => {
  const f = useHarness(testDb);

  it('says nobody offers this yet when no member relates to the ask', async () => {
    await f.h.member('Sam').command('offer-help', 'school librarianship: running a K-12 school library');
    const reply = textOf(await f.h.member('Alice').command('intro-request', ASK));
    expect(reply).toContain(NOBODY);
    expect(reply).not.toContain(BUSY);
  });

  it('says the people who offer it are busy when the only archivist met the requester recently, without naming her', async () => {
    const dana = f.h.member('Dana');
    const alice = f.h.member('Alice');
    await dana.command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await alice.command('intro-request', ASK);
    await dana.press('Accept');
    const reply = textOf(await alice.command('intro-request', AGAIN));
    expect(reply).toContain(BUSY);
    expect(reply).not.toContain(NOBODY);
    expect(reply).not.toMatch(/dana/i);
  });

  it('says they are busy when the only archivist is at their monthly capacity', async () => {
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives, 1/month');
    await f.h.member('Ben').command('intro-request', ASK);
    expect(f.h.port.findButton('dana', 'Accept')).not.toBeNull();
    const reply = textOf(await f.h.member('Alice').command('intro-request', AGAIN));
    expect(reply).toContain(BUSY);
    expect(reply).not.toMatch(/dana/i);
  });

  it('says they are busy when the only archivist declined this requester earlier, never saying who', async () => {
    const dana = f.h.member('Dana');
    const alice = f.h.member('Alice');
    await dana.command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await alice.command('intro-request', ASK);
    await dana.press('Decline');
    const reply = textOf(await alice.command('intro-request', AGAIN));
    expect(reply).toContain(BUSY);
    expect(reply).not.toMatch(/dana|declin/i);
  });

  it('never reveals a block: a helper who blocked the requester counts as not offering', async () => {
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await f.h.member('Alice').command('network', 'profile');
    expect(textOf(await f.h.member('Dana').command('network', 'block @Alice'))).not.toMatch(/not found|no member/i);
    const reply = textOf(await f.h.member('Alice').command('intro-request', ASK));
    expect(reply).toContain(NOBODY);
  });
});
