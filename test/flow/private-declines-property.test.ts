import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MatchStatus } from '../../src/db/tables.ts';
import { HOUR } from '../../src/time.ts';
import { findCommunity } from '../../src/db/communities.ts';
import { loadMatchingState } from '../../src/flows/snapshot.ts';
import { pairRound } from '../../src/matching/index.ts';
import { settingsFor } from '../../src/settings.ts';
import { testDatabases } from '../support/databases.ts';
import { harness, testConfig } from '../support/harness.ts';

/**
 * Issue 14, finding 3, on generated communities: whoever a requester's invitation went to and
 * did not introduce them (declined, not now, expired) is never in that requester's export, by
 * name or id, and a round right afterwards never pairs the two.
 */
type Answer = 'Accept' | 'Decline' | 'Not now' | 'expire';

const community = fc.record({
  helpers: fc.integer({ min: 1, max: 4 }),
  requesters: fc.integer({ min: 1, max: 3 }),
  answers: fc.array(fc.constantFrom<Answer>('Accept', 'Decline', 'Not now', 'expire'), { minLength: 12, maxLength: 12 }),
});

describe('declines stay private on generated communities', () => {
  it('no export names or identifies a helper who did not introduce the requester, and no round pairs them', async () => {
    await fc.assert(
      fc.asyncProperty(community, async ({ helpers, requesters, answers }) => {
        const { database, release } = await testDatabases[0]!.open();
        const h = await harness(database);
        try {
          const helperNames = Array.from({ length: helpers }, (_, i) => `Helper${i}`);
          const requesterNames = Array.from({ length: requesters }, (_, i) => `Asker${i}`);
          for (const name of helperNames) await h.member(name).command('offer-help', 'archives: finding aids and processing, 3/month');
          for (const name of requesterNames) await h.member(name).command('intro-request', 'archives: How did you get into archives? 20 min');
          let next = 0;
          for (let step = 0; step < answers.length; step++) {
            const pending = helperNames.find((n) => h.port.findButton(n.toLowerCase(), 'Accept'));
            if (!pending) break;
            const answer = answers[next++]!;
            if (answer === 'expire') await h.advance(73 * HOUR);
            else await h.member(pending).press(answer);
          }
          const db = database.db;
          const members = await db.selectFrom('members').select(['id', 'display_name', 'platform_user_id']).execute();
          const byId = new Map(members.map((m) => [m.id, m]));
          const pairsWithStatus = (statuses: MatchStatus[]) =>
            db
              .selectFrom('match_participants as req')
              .innerJoin('match_participants as hel', 'hel.match_id', 'req.match_id')
              .innerJoin('matches as m', 'm.id', 'req.match_id')
              .select(['req.member_id as requester', 'hel.member_id as helper'])
              .where('req.role', '=', 'requester')
              .where('hel.role', '=', 'helper')
              .where('m.status', 'in', statuses)
              .execute();
          const saidNo = await pairsWithStatus(['declined', 'not_now', 'expired']);
          const introduced = await pairsWithStatus(['introduced']);
          const wasIntroduced = (r: string, x: string) => introduced.some((i) => i.requester === r && i.helper === x);
          for (const { requester, helper } of saidNo) {
            if (wasIntroduced(requester, helper)) continue;
            const asker = byId.get(requester)!;
            const reply = await h.member(asker.display_name).command('network', 'export-my-data');
            const json = Buffer.from(reply.reply!.files![0]!.base64, 'base64').toString('utf8');
            const them = byId.get(helper)!;
            expect(json).not.toContain(them.id);
            expect(json).not.toMatch(new RegExp(`\\b${them.display_name}\\b`, 'i'));
          }
          const row = (await findCommunity(db, 'console', 'test-community'))!;
          const state = await loadMatchingState(db, row.id, settingsFor(row, testConfig()), h.clock.now(), 1);
          const round = pairRound(state.members, state.ctx);
          for (const group of round.groups) {
            for (const { requester, helper } of saidNo) {
              expect(group.memberIds.includes(requester) && group.memberIds.includes(helper)).toBe(false);
            }
          }
        } finally {
          await h.close();
          await release();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
