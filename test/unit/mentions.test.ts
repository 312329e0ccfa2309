import { describe, expect, it } from 'vitest';
import { hasMentionSyntax, memberText } from '../../src/commands/text.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/** Issue 12 item 18: real group mentions are refused; e-mail addresses and plain words are not. */
describe('mention detection', () => {
  it('refuses every real group or raw mention form', () => {
    for (const s of [
      '@everyone',
      'hi @here',
      'hello @channel!',
      '(@Here)',
      'ping @everyone.',
      'ask @EVERYONE, please',
      '<!channel>',
      '<!here>',
      '<!everyone>',
      '<!here|here>',
      '<!subteam^S0123|@librarians>',
      'ask <@U0123ABC> about it',
      '<@U0123ABC|ann>',
      '<@123456789012345678>',
      '<@!123456789012345678>',
      '<@&123456>',
      '<#C0123>',
      '<#123456789>',
    ]) {
      expect(hasMentionSyntax(s), s).toBe(true);
    }
  });

  it('lets ordinary text through', () => {
    for (const s of [
      'write to alice@here.org',
      'alice@everyone.net and bob@channel.io',
      'everyone is welcome here on this channel',
      'email me at ann@example.org',
      'R&D <3',
      'a @ b',
      '2 < 3 and 5 > 4',
      'a <! b',
      'the @heretics reading group',
    ]) {
      expect(hasMentionSyntax(s), s).toBe(false);
    }
  });

  it('phrases the refusal with the field label in agreement', () => {
    const details = memberText('The details', { min: 1, max: 100 }).safeParse('come @everyone');
    expect(details.success).toBe(false);
    expect(details.error!.issues[0]!.message).toMatch(/^The details contain mention syntax/);
    const topic = memberText('The topic', { min: 1, max: 100 }).safeParse('<!here>');
    expect(topic.error!.issues[0]!.message).toMatch(/^The topic contains mention syntax/);
    expect(memberText('Your questions', { min: 5, max: 100 }).safeParse('').error!.issues[0]!.message).toBe('Your questions are missing.');
  });

  describe.each(testDatabases)('through the core on $name', (testDb) => {
    const f = useHarness(testDb);

    it('an offer naming an e-mail address is saved; one pinging @here is refused', async () => {
      const ok = await f.h.member('Ann').command('offer-help', 'cataloging: write to alice@here.org and everyone gets an RDA walkthrough');
      expect(textOf(ok)).not.toMatch(/mention syntax/i);
      const offers = await f.database.db.selectFrom('offers').select('details').execute();
      expect(offers.map((o) => o.details)).toEqual(['write to alice@here.org and everyone gets an RDA walkthrough']);
      const refused = await f.h.member('Ann').command('offer-help', 'cataloging: come along @here for RDA walkthroughs');
      expect(textOf(refused)).toMatch(/The details contain mention syntax/);
    });
  });
});
