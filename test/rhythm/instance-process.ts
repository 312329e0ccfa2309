/**
 * A second Circulate instance in its own process, for the multi-instance rhythm
 * test: two processes on one SQLite file is how such a deployment really runs
 * (a single process cannot hold two blocking SQLite connections at once).
 * Driven over IPC: {tick: iso} → ticks at that time and replies with what it delivered.
 */
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/db/database.ts';
import { FakePort } from '../support/fake-port.ts';
import { quietLog, testConfig } from '../support/harness.ts';

const [file, start] = process.argv.slice(2) as [string, string];
const clock = new ManualClock(new Date(start));
const port = new FakePort();
const app = await createApp({ config: testConfig({ SCHEDULE_GRACE_HOURS: '6' }), clock, log: quietLog, ports: [port], database: openDatabase(file) });
let sent = 0;

process.on('message', (msg: { tick?: string; stop?: boolean }) => {
  void (async () => {
    if (msg.stop) {
      await app.database.close();
      process.send!({ stopped: true }, () => process.exit(0));
      return;
    }
    clock.advanceTo(new Date(msg.tick!));
    await app.core.tick();
    await app.core.tick();
    const fresh = port.deliveries.slice(sent);
    sent = port.deliveries.length;
    process.send!({ ticked: msg.tick, deliveries: fresh });
  })();
});
process.send!({ ready: true });
