import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/** Rows that a rejected command must not have touched. */
async function snapshot(database: Db) {
  const count = async (table: 'offers' | 'requests' | 'matches' | 'outbox' | 'timers') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const profile = await database.db.selectFrom('members').select(['career_stage', 'time_zone', 'bio', 'paused_until']).where('platform_user_id', '=', 'bob').executeTakeFirst();
  return { offers: await count('offers'), requests: await count('requests'), matches: await count('matches'), outbox: await count('outbox'), timers: await count('timers'), profile };
}

const CASES: [string, string, string, RegExp][] = [
  ['empty topic', 'offer-help', ': happy to help with anything at all', /topic is missing/i],
  ['no colon', 'offer-help', 'cataloging happy to help', /colon/i],
  ['details too short', 'offer-help', 'cataloging: hi', /at least 10 characters/i],
  ['very long details', 'offer-help', `cataloging: ${'x'.repeat(1200)}`, /too long/i],
  ['control characters', 'offer-help', 'cataloging: happy to help\u0007 with RDA and MARC', /control characters/i],
  ['@everyone', 'offer-help', 'cataloging: @everyone come learn RDA and MARC', /mention syntax/i],
  ['slack channel ping', 'intro-request', 'archives: <!channel> how did you start? 20 min', /mention syntax/i],
  ['discord role ping', 'intro-request', 'archives: <@&123456> how did you start in archives? 20 min', /mention syntax/i],
  ['user mention in text', 'offer-help', 'cataloging: ask <@U123> about RDA and MARC', /mention syntax/i],
  ['group as named member', 'intro-request', '@everyone archives: how did you get started in archives? 20 min', /never pings groups/i],
  ['length too long', 'intro-request', 'archives: How did you get started in archives? 45 min', /15, 20 or 30/],
  ['no questions', 'intro-request', 'archives: tell me everything about your career 20 min', /question mark/i],
  ['unknown named member', 'intro-request', '@Nobody archives: how did you get started in archives? 20 min', /Nobody called "Nobody"/],
  ['capacity too high', 'offer-help', 'cataloging: RDA and MARC walkthroughs, 50/month', /at most 10/],
  ['unknown role focus', 'interview-practice', 'astronaut', /not a role focus/i],
  ['unknown practice word', 'interview-practice', 'academic sometimes', /neither a level/i],
  ['unknown network subcommand', 'network', 'dance', /not a \/network subcommand/],
  ['bad pause', 'network', 'pause forever', /not a duration/],
  ['pause too long', 'network', 'pause 40w', /at most 26 weeks/],
  ['bad time zone', 'network', 'profile tz=Mars/Olympus', /IANA/],
  ['bad career stage', 'network', 'profile stage=wizard', /Career stage must be/],
  ['unknown profile field', 'network', 'profile salary=lots', /Unknown profile field/],
  ['profile not key=value', 'network', 'profile I like archives', /field=value/],
  ['withdraw what', 'offer-help', 'withdraw banana', /by its number/],
  ['withdraw missing', 'offer-help', 'withdraw 99', /no active offer #99/],
  ['cancel missing', 'intro-request', 'cancel 42', /no intro request #42/],
];

describe.each(testDatabases)('bad input on $name', (testDb) => {
  const f = useHarness(testDb);

  beforeEach(async () => {
    await f.h.member('Bob').command('network', 'profile');
  });

  it.each(CASES)('%s gets a clear private reply and changes nothing', async (_label, command, text, expected) => {
    const before = await snapshot(f.database);
    const reply = await f.h.member('Bob').command(command, text);
    expect(textOf(reply)).toMatch(expected);
    expect(reply.form).toBeUndefined();
    expect(await snapshot(f.database)).toEqual(before);
  });

  it('shows usage after invalid input', async () => {
    const reply = await f.h.member('Bob').command('offer-help', 'no colon here');
    expect(textOf(reply)).toContain('/offer-help list');
  });

  it('answers an unknown command privately', async () => {
    const reply = await f.h.member('Bob').command('dance', '');
    expect(textOf(reply)).toContain('not a Circulate command');
  });

  it('opens forms for empty text and help for /network', async () => {
    expect((await f.h.member('Bob').command('offer-help', '')).form?.formId).toBe('offer-help');
    expect((await f.h.member('Bob').command('intro-request', '   ')).form?.formId).toBe('intro-request');
    expect((await f.h.member('Bob').command('interview-practice', '')).form?.formId).toBe('interview-practice');
    expect(textOf(await f.h.member('Bob').command('network', ''))).toContain('/offer-help');
  });

  it('reports every field problem of a form submission inline', async () => {
    const before = await snapshot(f.database);
    const reply = await f.h.member('Bob').submit('offer-help', { topic: '', details: 'short', capacity: '99' });
    expect(Object.keys(reply.fieldErrors ?? {}).sort()).toEqual(['capacity', 'details', 'topic']);
    expect(await snapshot(f.database)).toEqual(before);
  });
});
