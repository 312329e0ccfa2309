import { describe, expect, it } from 'vitest';
import { findCommunity } from '../../src/db/communities.ts';
import { addCommunityTopic, customTopicsOf } from '../../src/db/topics.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

describe.each(testDatabases)('community topics on $name', (testDb) => {
  const f = useHarness(testDb);

  it('stores a community topic and uses it to match its synonyms', async () => {
    await f.h.member('Kai').command('offer-help', 'zines: starting a zine shelf');
    const community = (await findCommunity(f.database.db, 'console', 'test-community'))!;
    const before = await f.h.member('Lee').command('intro-request', 'riso: Which riso printers suit small runs? 20 min');
    expect(textOf(before)).toContain('Nobody here offers help with this yet');
    const added = await addCommunityTopic(f.database.db, community.id, { label: 'Zine libraries', synonyms: ['zines', 'zine', 'riso', 'risograph'] }, f.h.clock.now());
    expect(added.ok).toBe(true);
    expect((await customTopicsOf(f.database.db, community.id)).map((t) => t.key)).toEqual(['zine-libraries']);
    const dup = await addCommunityTopic(f.database.db, community.id, { label: 'Zine libraries' }, f.h.clock.now());
    expect(dup.ok).toBe(false);
    const after = await f.h.member('Lee').command('intro-request', 'riso: Which riso printers suit small runs? 20 min');
    expect(textOf(after)).toContain('is out');
    expect(f.h.port.findButton('kai', 'Accept')).not.toBeNull();
  });
});
