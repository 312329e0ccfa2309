import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { nextRef } from '../../src/db/refs.ts';
import { down as counterDown, up as counterUp } from '../../migrations/20261201100000_ref_counters.ts';
import { testDatabases } from '../support/databases.ts';
import { harness, textOf, type Harness } from '../support/harness.ts';

/**
 * Reference numbers under concurrency: 60 members run /offer-help at the same
 * moment through two instances of the bot (two database handles: two PostgreSQL
 * pools on one schema; on SQLite two cores on one handle here, and two processes
 * on one file in sqlite-processes.test.ts). Every command succeeds and every
 * offer gets its own number.
 */
describe.each(testDatabases)('reference numbers on $name', (testDb) => {
  let database: Db;
  let second: Db | null;
  let release: () => Promise<void>;
  let instances: Harness[];

  beforeEach(async () => {
    ({ database, release } = await testDb.open());
    second = testDb.reopen ? testDb.reopen(database) : null;
    instances = [await harness(database), await harness(second ?? database)];
  });
  afterEach(async () => {
    for (const h of instances) await h.close();
    await second?.close();
    await release();
  });

  const communityId = async () => (await database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow()).id;

  it('60 concurrent /offer-help through two instances: no failures, 60 distinct numbers', async () => {
    // The community exists already, as it does after the first command of its life.
    await instances[0]!.member('Warm').command('network', 'help');
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => instances[i % 2]!.member(`M${i}`).command('offer-help', `cataloging: happy to walk newcomers through RDA, ${i}`)),
    );
    const failed = replies.map(textOf).filter((t) => !/offer/i.test(t) || /went wrong|unavailable/i.test(t));
    expect(failed).toEqual([]);
    const refs = (await database.db.selectFrom('offers').select('ref').execute()).map((r) => r.ref).sort((a, b) => a - b);
    expect(refs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('a community with numbers but no counter yet continues after its highest number', async () => {
    await instances[0]!.member('Ann').command('offer-help', 'cataloging: RDA and MARC walkthroughs');
    await instances[0]!.member('Bob').command('offer-help', 'archives: finding aids');
    const id = await communityId();
    await database.db.deleteFrom('ref_counters').execute();
    expect(await database.db.transaction().execute((trx) => nextRef(trx, 'offers', id))).toBe(3);
    expect(await database.db.transaction().execute((trx) => nextRef(trx, 'offers', id))).toBe(4);
    expect(await database.db.transaction().execute((trx) => nextRef(trx, 'requests', id))).toBe(1);
  });

  it('the migration backfills each counter from the numbers already used, and rolls back', async () => {
    await instances[0]!.member('Ann').command('offer-help', 'cataloging: RDA and MARC walkthroughs');
    await instances[0]!.member('Bob').command('offer-help', 'archives: finding aids');
    await instances[0]!.member('Cy').command('offer-help', 'metadata: Dublin Core');
    const id = await communityId();
    await database.db.deleteFrom('offers').where('ref', '=', 2).execute();
    await counterDown(database.db);
    await counterUp(database.db);
    const counters = await database.db.selectFrom('ref_counters').selectAll().execute();
    expect(counters).toEqual([{ community_id: id, kind: 'offers', last_ref: 3 }]);
    const reply = await instances[0]!.member('Dee').command('offer-help', 'public: storytime planning');
    expect(textOf(reply)).toMatch(/offer/i);
    expect((await database.db.selectFrom('offers').select('ref').orderBy('ref').execute()).map((r) => r.ref)).toEqual([1, 3, 4]);
  });
});
