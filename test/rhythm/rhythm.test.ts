import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import type { Actor } from '../../src/core.ts';
import { findCommunity, updateCommunitySettings } from '../../src/db/communities.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { buttonsOf, plainText } from '../../src/messages/build.ts';
import type { CommunitySettings } from '../../src/settings.ts';
import { testDatabases } from '../support/databases.ts';
import { FakePort } from '../support/fake-port.ts';
import { quietLog, testConfig } from '../support/harness.ts';

const START = new Date('2026-03-01T12:00:00Z');
const ZONE = 'America/New_York';
const actor = (name: string): Actor => ({
  platform: 'console',
  communityPlatformId: 'rhythm',
  communityName: 'Rhythm test',
  user: { platformUserId: name.toLowerCase(), displayName: name },
});

async function instance(database: Db, clock: ManualClock, port: FakePort | null): Promise<App> {
  return createApp({ config: testConfig({ SCHEDULE_GRACE_HOURS: '6' }), clock, log: quietLog, ports: port ? [port] : [], database });
}

async function seedCommunity(app: App, names: string[], settings: Partial<CommunitySettings>): Promise<void> {
  for (const name of names) {
    await app.core.command(actor(name), 'network', `profile tz=${ZONE} areas="archives, reference"`);
    await app.core.command(actor(name), 'network', 'rounds on');
  }
  const community = (await findCommunity(app.core.db, 'console', 'rhythm'))!;
  expect(await updateCommunitySettings(app.core.db, community, { promptChannelId: 'general', timeZone: ZONE, ...settings })).toBeNull();
}

/** Steps every instance through time together, as if each ran its own cron on the same clock. */
async function runUntil(apps: App[], clock: ManualClock, until: Date): Promise<void> {
  for (;;) {
    const next = await apps[0]!.core.nextEventAfter(clock.now());
    if (!next || next > until) break;
    clock.advanceTo(next);
    await Promise.all(apps.map((a) => a.core.tick()));
    await Promise.all(apps.map((a) => a.core.tick()));
  }
  clock.advanceTo(until);
}

const texts = (ports: FakePort[]) => ports.flatMap((p) => p.deliveries.map((d) => ({ d, text: plainText(d.message) })));

describe.each(testDatabases)('community rhythm on $name', (testDb) => {
  let dir: string;
  let databases: Db[] = [];
  let release: () => Promise<void> = async () => undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'circulate-rhythm-'));
    databases = [];
  });
  afterEach(async () => {
    for (const d of databases.slice(1)) await d.close();
    await release();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two handles on one database: a SQLite file opened twice, or two PostgreSQL pools on one schema. */
  async function twoHandles(): Promise<[Db, Db]> {
    if (testDb.name === 'sqlite') {
      const file = join(dir, 'shared.db');
      const a = openDatabase(file);
      const b = openDatabase(file);
      databases = [a, b];
      release = async () => {
        await a.close();
      };
      return [a, b];
    }
    const opened = await testDb.open();
    const b = testDb.reopen!(opened.database);
    databases = [opened.database, b];
    release = opened.release;
    return [opened.database, b];
  }

  it('two instances on one database run each prompt, round and check-in exactly once over a month', async () => {
    const clock = new ManualClock(START);
    const portA = new FakePort();
    const portB = new FakePort();
    let dbA: Db;
    let stopB: () => Promise<void>;
    let tickB: (at: Date) => Promise<void>;
    if (testDb.name === 'sqlite') {
      // The second instance is a second process, as it would be in production.
      const file = join(dir, 'shared.db');
      dbA = openDatabase(file);
      databases = [dbA];
      release = () => dbA.close();
      const a0 = await instance(dbA, clock, portA);
      await a0.close();
      const child = fork(join(import.meta.dirname, 'instance-process.ts'), [file, START.toISOString()], { execArgv: ['--import', 'tsx'] });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      tickB = (at) =>
        new Promise((resolve) => {
          child.once('message', (m: { deliveries: FakePort['deliveries'] }) => {
            portB.deliveries.push(...m.deliveries);
            resolve();
          });
          child.send({ tick: at.toISOString() });
        });
      stopB = () => new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send({ stop: true });
      });
    } else {
      const [d1, d2] = await twoHandles();
      dbA = d1;
      const b = await instance(d2, clock, portB);
      tickB = async () => {
        await b.core.tick();
        await b.core.tick();
      };
      stopB = () => b.close();
    }
    const a = await instance(dbA, clock, portA);
    await seedCommunity(a, ['Ann', 'Ben', 'Cat', 'Dev', 'Eli', 'Fay'], { pairingCadence: 'weekly', rematchWindowWeeks: 0 });
    const until = new Date('2026-04-01T00:00:00Z');
    for (;;) {
      const next = await a.core.nextEventAfter(clock.now());
      if (!next || next > until) break;
      clock.advanceTo(next);
      await Promise.all([a.core.tick().then(() => a.core.tick()), tickB(next)]);
    }
    await stopB();

    const all = texts([portA, portB]);
    const prompts = all.filter((x) => x.text.startsWith('This week in Circulate'));
    // Mondays 2, 9, 16, 23 and 30 March, each once, at 09:00 New York time across the DST change on the 8th.
    expect(prompts).toHaveLength(5);
    const runs = await dbA.db.selectFrom('job_runs').select(['job', 'slot_at', 'status']).orderBy('slot_at').execute();
    const promptSlots = runs.filter((r) => r.job === 'prompt').map((r) => DateTime.fromISO(r.slot_at, { zone: ZONE }).toFormat('ccc HH:mm'));
    expect(promptSlots).toEqual(Array(5).fill('Mon 09:00'));
    expect(runs.filter((r) => r.job === 'round')).toHaveLength(5);
    expect(runs.every((r) => r.status === 'ran')).toBe(true);

    const roundMatches = await dbA.db.selectFrom('matches').select('id').where('kind', '=', 'round').execute();
    expect(roundMatches.length).toBeGreaterThanOrEqual(5);
    const intros = all.filter((x) => x.text.startsWith('Your pairing for this round'));
    expect(intros).toHaveLength(roundMatches.length);

    // Every check-in question reached each participant once per match (plus at most one reminder).
    const asks = new Map<string, number>();
    for (const x of all) {
      if (!x.text.startsWith('Did you get to meet')) continue;
      const key = `${x.d.audience[0]}:${buttonsOf(x.d.message)[0]!.payload}`;
      asks.set(key, (asks.get(key) ?? 0) + 1);
    }
    expect(asks.size).toBeGreaterThan(0);
    expect([...asks.values()].every((n) => n === 1)).toBe(true);
    const outbox = await dbA.db.selectFrom('outbox').select(['status']).execute();
    expect(outbox.every((r) => r.status === 'delivered')).toBe(true);
    await a.close();
  });

  it('pauses a member from rounds after three check-ins in a row go unanswered, kindly', async () => {
    const [dbA] = await twoHandles();
    const clock = new ManualClock(START);
    const port = new FakePort();
    const app = await instance(dbA, clock, port);
    await seedCommunity(app, ['Ann', 'Ben'], { pairingCadence: 'weekly', rematchWindowWeeks: 0, checkinDelayDays: 1 });
    // Ann answers her check-ins; Ben never does.
    for (let day = 0; day < 40; day++) {
      await runUntil([app], clock, new Date(START.getTime() + (day + 1) * 86_400_000));
      const ask = port.findButton('ann', 'Yes');
      if (ask) {
        await app.core.action(actor('Ann'), ask.button.actionId, ask.button.payload);
        ask.delivery.message = { blocks: [] };
      }
    }
    const ben = await dbA.db.selectFrom('members').selectAll().where('platform_user_id', '=', 'ben').executeTakeFirstOrThrow();
    const ann = await dbA.db.selectFrom('members').selectAll().where('platform_user_id', '=', 'ann').executeTakeFirstOrThrow();
    expect(ben.rounds_opt_in).toBe(0);
    expect(ann.rounds_opt_in).toBe(1);
    const notes = port.textsTo('ben').filter((t) => t.includes('paused your pairing rounds'));
    expect(notes).toHaveLength(1);
    expect(port.textsTo('ann').some((t) => t.includes('paused your pairing rounds'))).toBe(false);
    // Ben was asked for each check-in once and reminded once after 48 hours.
    expect(port.textsTo('ben').filter((t) => t.startsWith('Checking once more')).length).toBeGreaterThanOrEqual(3);
    await app.close();
  });
});

describe('missed slots and restarts (SQLite file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'circulate-catchup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a slot missed within the grace window once, and skips an older one with a log entry', async () => {
    const database = openDatabase(join(dir, 'c.db'));
    const clock = new ManualClock(START);
    const port = new FakePort();
    const app = await instance(database, clock, port);
    await seedCommunity(app, ['Ann'], { pairingCadence: 'off' });
    // Down over Monday 9:00 (13:00Z after DST starts on 8 March); back at 12:00 local, within 6 hours.
    clock.advanceTo(new Date('2026-03-02T17:00:00Z'));
    await app.core.tick();
    await app.core.tick();
    expect(port.deliveries.filter((d) => plainText(d.message).startsWith('This week in Circulate'))).toHaveLength(1);
    // Down over the next Monday until the evening: outside the grace window.
    clock.advanceTo(new Date('2026-03-10T03:00:00Z'));
    await app.core.tick();
    expect(port.deliveries.filter((d) => plainText(d.message).startsWith('This week in Circulate'))).toHaveLength(1);
    const runs = await database.db.selectFrom('job_runs').select(['job', 'slot_at', 'status']).where('job', '=', 'prompt').orderBy('slot_at').execute();
    expect(runs.map((r) => r.status)).toEqual(['ran', 'skipped']);
    await app.close();
    await database.close();
  });

  it('delivers a claimed slot exactly once after a stop between claiming and delivering', async () => {
    const file = join(dir, 'restart.db');
    const clock = new ManualClock(START);
    const first = await instance(openDatabase(file), clock, null);
    await seedCommunity(first, ['Ann', 'Ben'], { pairingCadence: 'weekly' });
    clock.advanceTo(new Date('2026-03-02T14:00:00Z'));
    await first.core.tick();
    await first.database.close();

    const port = new FakePort();
    const second = await instance(openDatabase(file), clock, port);
    await second.core.tick();
    await second.core.tick();
    const prompts = port.deliveries.filter((d) => plainText(d.message).startsWith('This week in Circulate'));
    const pairings = port.deliveries.filter((d) => plainText(d.message).startsWith('Your pairing for this round'));
    expect(prompts).toHaveLength(1);
    expect(pairings).toHaveLength(1);
    expect(pairings[0]!.audience.sort()).toEqual(['ann', 'ben']);
    await second.database.close();
  });
});
