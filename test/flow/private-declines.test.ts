import { beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/time.ts';
import { findCommunity, updateCommunitySettings } from '../../src/db/communities.ts';
import { plainText } from '../../src/messages/build.ts';
import { loadMatchingState } from '../../src/flows/snapshot.ts';
import { settingsFor } from '../../src/settings.ts';
import { testConfig } from '../support/harness.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf, type Harness, type TestMember } from '../support/harness.ts';
import type { Actor } from '../../src/core.ts';

const actorOf = (name: string): Actor => ({
  platform: 'console',
  communityPlatformId: 'test-community',
  communityName: 'Test community',
  user: { platformUserId: name.toLowerCase(), displayName: name },
});

/**
 * Issue 14, finding 3: a helper who declined (or said not now, or let the invitation expire)
 * is never shown to the requester, and is not introduced to them by the next round.
 */
const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';

type Answer = 'Decline' | 'Not now' | 'expire';

async function answer(h: Harness, dana: TestMember, how: Answer): Promise<void> {
  if (how === 'expire') await h.advance(73 * HOUR);
  else await dana.press(how);
}

describe.each(testDatabases)('declines stay private on $name', (testDb) => {
  const f = useHarness(testDb);

  beforeEach(async () => {
    await f.h.member('Mod').command('network', 'profile');
    const community = (await findCommunity(f.database.db, 'console', 'test-community'))!;
    await updateCommunitySettings(f.database.db, community, { promptChannelId: 'general', pairingCadence: 'weekly', timeZone: 'UTC' });
  });

  async function danaSaysNo(how: Answer): Promise<{ alice: TestMember; dana: TestMember; danaId: string }> {
    const dana = f.h.member('Dana');
    const alice = f.h.member('Alice');
    await dana.command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await alice.command('intro-request', ASK);
    expect(f.h.port.findButton('dana', 'Accept')).not.toBeNull();
    await answer(f.h, dana, how);
    const danaId = (await f.database.db.selectFrom('members').select('id').where('platform_user_id', '=', 'dana').executeTakeFirstOrThrow()).id;
    return { alice, dana, danaId };
  }

  for (const how of ['Decline', 'Not now', 'expire'] as const) {
    it(`a round does not pair the requester with a helper who answered "${how}" within the rematch window`, async () => {
      const { alice, dana } = await danaSaysNo(how);
      await alice.command('network', 'rounds on');
      await dana.command('network', 'rounds on');
      await f.h.advance(8 * DAY);
      const pairings = f.h.port.deliveries.filter((d) => plainText(d.message).startsWith('Your pairing for this round'));
      expect(pairings.filter((d) => d.audience.includes('alice') && d.audience.includes('dana'))).toHaveLength(0);
      expect(alice.inbox().join('\n')).not.toMatch(/\bDana\b/);
    });

    it(`the requester's export never names or identifies a helper who answered "${how}"`, async () => {
      const { alice, danaId } = await danaSaysNo(how);
      const reply = await alice.command('network', 'export-my-data');
      const json = Buffer.from(reply.reply!.files![0]!.base64, 'base64').toString('utf8');
      expect(json).not.toMatch(/dana/i);
      expect(json).not.toContain(danaId);
      expect(json).not.toMatch(/declined|not_now|expired/);
      const data = JSON.parse(json) as { requests: { topic: string; outcome: string }[] };
      expect(data.requests).toEqual([expect.objectContaining({ topic: 'archives', outcome: expect.stringContaining('waiting') })]);
    });
  }

  it('the requester never sees who is being asked in their match list or home, so a decline cannot show', async () => {
    const dana = f.h.member('Dana');
    const alice = f.h.member('Alice');
    await dana.command('offer-help', 'archives: moving from public libraries into archives, finding aids');
    await alice.command('intro-request', ASK);
    expect(f.h.port.findButton('dana', 'Accept')).not.toBeNull();
    expect(textOf(await alice.command('network', 'matches'))).not.toMatch(/dana/i);
    expect(JSON.stringify(await f.h.app.core.home(actorOf('Alice')))).not.toMatch(/dana/i);
    // The helper does see the invitation waiting for their answer.
    expect(textOf(await dana.command('network', 'matches'))).toContain('awaiting an answer');
  });

  it('the matching snapshot keeps the pair apart as an unanswered invitation, never as a meeting', async () => {
    const { danaId } = await danaSaysNo('Decline');
    const aliceId = (await f.database.db.selectFrom('members').select('id').where('platform_user_id', '=', 'alice').executeTakeFirstOrThrow()).id;
    const row = (await findCommunity(f.database.db, 'console', 'test-community'))!;
    const state = await loadMatchingState(f.database.db, row.id, settingsFor(row, testConfig()), f.h.clock.now(), 1);
    const pair = state.ctx.history.filter((p) => [p.a, p.b].sort().join() === [aliceId, danaId].sort().join());
    expect(pair).toEqual([expect.objectContaining({ unanswered: true })]);
  });

  it('after the rematch window the pair may meet in a round again', async () => {
    const community = (await findCommunity(f.database.db, 'console', 'test-community'))!;
    await updateCommunitySettings(f.database.db, community, { rematchWindowWeeks: 1 });
    const { alice, dana } = await danaSaysNo('Decline');
    await f.h.advance(8 * DAY);
    await alice.command('network', 'rounds on');
    await dana.command('network', 'rounds on');
    await f.h.advance(8 * DAY);
    const pairings = f.h.port.deliveries.filter((d) => plainText(d.message).startsWith('Your pairing for this round'));
    expect(pairings.filter((d) => d.audience.includes('alice') && d.audience.includes('dana')).length).toBeGreaterThan(0);
  });
});
