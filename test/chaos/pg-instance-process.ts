/**
 * A Circulate instance in its own process on PostgreSQL, for the chaos test:
 * its pool's connections carry `application_name` so the test can terminate
 * exactly them. {run: n, tag} runs n commands at once and replies with the
 * answers; {stats: true} says how many lost connections the pool reported and
 * which unexpected errors the core logged.
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/db/database.ts';
import { FakePort } from '../support/fake-port.ts';
import { START, testConfig, textOf } from '../support/harness.ts';

const [url, schema, applicationName] = process.argv.slice(2) as [string, string, string];
let lost = 0;
const errors: string[] = [];
const log = pino(
  { level: 'warn' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg: string; err?: { message?: string } };
        if (entry.msg.startsWith('a PostgreSQL connection was lost')) lost++;
        else if (entry.level >= 50) errors.push(`${entry.msg}: ${entry.err?.message ?? ''}`);
      }
      done();
    },
  }),
);
const database = openDatabase(url, { searchPath: schema, applicationName, log });
const app = await createApp({ config: testConfig(), clock: new ManualClock(START), log, ports: [new FakePort()], database });

process.on('message', (msg: { run?: number; tag?: string; stats?: boolean; stop?: boolean }) => {
  void (async () => {
    if (msg.stop) {
      await app.close();
      await database.close();
      process.send!({ stopped: true }, () => process.exit(0));
      return;
    }
    if (msg.stats) {
      process.send!({ lost, errors });
      return;
    }
    const replies = await Promise.all(
      Array.from({ length: msg.run! }, async (_, i) => {
        const user = { platformUserId: `${msg.tag}${i}`, displayName: `${msg.tag}${i}` };
        try {
          const reply = await app.core.command(
            { platform: 'console', communityPlatformId: 'chaos', communityName: 'Chaos', user },
            'offer-help',
            `cataloging: happy to walk newcomers through RDA, ${msg.tag} ${i}`,
          );
          return textOf(reply);
        } catch (error) {
          return `threw: ${String(error)}`;
        }
      }),
    );
    process.send!({ replies, lost, errors });
  })();
});
process.send!({ ready: true });
