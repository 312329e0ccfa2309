/**
 * One Circulate instance in its own process on a shared SQLite file, for the
 * two-process test: on {go: true} it runs `count` write commands at once
 * (each member offers help) and replies with the answers it got.
 */
import { openDatabase } from '../../src/db/database.ts';
import { harness, textOf } from '../support/harness.ts';

const [file, tag, count] = process.argv.slice(2) as [string, string, string];
const h = await harness(openDatabase(file));

process.on('message', (msg: { go?: boolean; stop?: boolean }) => {
  void (async () => {
    if (msg.stop) {
      await h.close();
      await h.app.database.close();
      process.send!({ stopped: true }, () => process.exit(0));
      return;
    }
    const replies = await Promise.all(
      Array.from({ length: Number(count) }, async (_, i) => {
        try {
          return textOf(await h.member(`${tag}${i}`).command('offer-help', `cataloging: happy to walk newcomers through RDA, ${tag} ${i}`));
        } catch (error) {
          return `threw: ${String(error)}`;
        }
      }),
    );
    process.send!({ replies });
  })();
});
process.send!({ ready: true });
