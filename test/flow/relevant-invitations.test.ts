import { describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/**
 * Issue 14, finding 4, as console cases: invitations go only to helpers whose offers relate
 * to the ask, and both explanations name the ask's own topic and what matched.
 */
describe.each(testDatabases)('relevant invitations on $name', (testDb) => {
  const f = useHarness(testDb);

  it('a third try on an archives ask never goes to a helper who offered school librarianship', async () => {
    const alice = f.h.member('Alice');
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await f.h.member('Fran').command('offer-help', 'archives: processing collections and archival description');
    await f.h.member('Sam').command('offer-help', 'school librarianship: running a K-12 school library, 3/month');
    await alice.command('intro-request', 'archives: I run a school library; how do I move into archives? 20 min');
    for (let i = 0; i < 2; i++) {
      const current = ['dana', 'fran'].find((id) => f.h.port.findButton(id, 'Decline'))!;
      await f.h.member(current[0]!.toUpperCase() + current.slice(1)).press('Decline');
    }
    expect(f.h.port.findButton('sam', 'Accept')).toBeNull();
    expect(f.h.member('Sam').inbox().join('\n')).not.toContain('Why you');
    expect(alice.inbox().at(-1)).toContain('could not take it on right now');
  });

  it('an ask about digital preservation is explained as close to it, naming the matched topics, never as "which you asked about"', async () => {
    const alice = f.h.member('Alice');
    const ruth = f.h.member('Ruth');
    await ruth.command('offer-help', 'archives: appraisal and finding aids');
    await alice.command('intro-request', 'digital preservation: How do you plan for file format obsolescence? 20 min');
    const invitation = ruth.inbox().at(-1)!;
    expect(invitation).toContain(
      'Why you: you offered help with archives, and Alice is asking about digital preservation (matched: archives and special collections / digital collections).',
    );
    await ruth.press('Accept');
    const intro = textOf(f.h.port.deliveries.find((d) => d.kind === 'conversation')!.message);
    expect(intro).toContain('Ruth offered archives advice, close to your ask about digital preservation (matched: archives and special collections / digital collections)');
    expect(intro).not.toContain('which you asked about');
  });
});
