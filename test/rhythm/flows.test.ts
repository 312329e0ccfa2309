import { beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/time.ts';
import { findCommunity, updateCommunitySettings } from '../../src/db/communities.ts';
import { addPrompt, nextPrompt, setPromptDisabled } from '../../src/flows/prompts.ts';
import { plainText } from '../../src/messages/build.ts';
import { BUILTIN_PROMPTS } from '../../src/messages/prompts.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

describe.each(testDatabases)('rhythm flows on $name', (testDb) => {
  const f = useHarness(testDb);

  beforeEach(async () => {
    await f.h.member('Mod').command('network', 'profile');
    const community = (await findCommunity(f.database.db, 'console', 'test-community'))!;
    await updateCommunitySettings(f.database.db, community, { promptChannelId: 'general', pairingCadence: 'weekly', timeZone: 'UTC' });
  });

  const communityId = async () => (await findCommunity(f.database.db, 'console', 'test-community'))!.id;

  it('has at least 24 built-in prompts across every theme, with unique keys', () => {
    expect(BUILTIN_PROMPTS.length).toBeGreaterThanOrEqual(24);
    expect(new Set(BUILTIN_PROMPTS.map((p) => p.key)).size).toBe(BUILTIN_PROMPTS.length);
    expect(new Set(BUILTIN_PROMPTS.map((p) => p.theme))).toEqual(new Set(['reconnect', 'share', 'offer', 'groups', 'etiquette', 'practice']));
  });

  it('never repeats a prompt until the rotation is used up; added prompts join it and disabled ones leave it', async () => {
    const id = await communityId();
    const custom = await addPrompt(f.database.db, id, 'share', 'What did you read this week that changed your mind?', f.h.clock.now());
    expect(await setPromptDisabled(f.database.db, id, 'share-1', true, f.h.clock.now())).toBe(true);
    expect(await setPromptDisabled(f.database.db, id, 'no-such-prompt', true, f.h.clock.now())).toBe(false);
    const seen: string[] = [];
    const enabled = BUILTIN_PROMPTS.length; // 26 built-in - 1 disabled + 1 custom
    for (let week = 0; week < enabled + 3; week++) {
      const prompt = (await nextPrompt(f.database.db, id))!;
      seen.push(prompt.key);
      await f.database.db.insertInto('prompt_posts').values({ community_id: id, key: prompt.key, posted_at: new Date().toISOString() }).execute();
    }
    const firstCycle = seen.slice(0, enabled);
    expect(new Set(firstCycle).size).toBe(enabled);
    expect(firstCycle).toContain(custom);
    expect(seen).not.toContain('share-1');
    expect(seen.slice(enabled)).toEqual(firstCycle.slice(0, 3));
  });

  it('posts the prompt and a digest of new offers and open asks, by topic and name only', async () => {
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await f.h.member('Bob').command('intro-request', 'metadata: What does a metadata librarian do all day? 15 min');
    await f.h.advance(8 * DAY);
    const channel = f.h.port.deliveries.filter((d) => d.kind === 'channel').map((d) => plainText(d.message));
    expect(channel.some((t) => t.startsWith('This week in Circulate'))).toBe(true);
    const digest = channel.find((t) => t.startsWith('Weekly digest'))!;
    expect(digest).toContain('Dana: archives');
    expect(digest).toContain('#1 Bob: metadata (15 min)');
    expect(digest).not.toContain('What does a metadata librarian');
  });

  it('introduces a volunteer from the digest at once and releases a pending helper kindly', async () => {
    await f.h.member('Sam').command('offer-help', 'metadata: MARC, RDA and authority work walkthroughs');
    await f.h.member('Bob').command('intro-request', 'metadata: What does a metadata librarian do all day? 15 min');
    expect(f.h.port.findButton('sam', 'Accept')).not.toBeNull();
    await f.h.advance(8 * DAY);
    const reply = await f.h.member('Tia').press('I can help with #1');
    expect(textOf(reply)).toContain('now introduced to Bob');
    const intro = f.h.port.deliveries.filter((d) => d.kind === 'conversation').at(-1)!;
    expect(intro.audience.sort()).toEqual(['bob', 'tia']);
    const again = await f.h.member('Uma').press('I can help with #1');
    expect(textOf(again)).toContain('already picked up');
    expect(textOf(await f.h.member('Bob').press('I can help with #1'))).toContain('already picked up');
  });

  it('lets members opt in and out of rounds, warns them the day before, and honours a skip', async () => {
    for (const name of ['Ann', 'Ben', 'Cat']) expect(textOf(await f.h.member(name).command('network', 'rounds on'))).toContain('joined the pairing rounds');
    expect(textOf(await f.h.member('Ann').command('network', 'rounds on'))).toContain('already in');
    expect(textOf(await f.h.member('Ann').command('network', 'rounds maybe'))).toContain('rounds on');
    // The first Monday 09:00 after the start is a week away (start is Monday 09:00).
    await f.h.advance(6 * DAY + 1000);
    expect(f.h.member('Ann').inbox().at(-1)).toContain("tomorrow's pairing round");
    const announcement = f.h.port.deliveries.find((d) => plainText(d.message).startsWith('Pairing round tomorrow'))!;
    expect(announcement.kind).toBe('channel');
    const joined = await f.h.member('Dee').press('Join pairing rounds');
    expect(textOf(joined)).toContain('joined the pairing rounds');
    const skip = await f.h.member('Cat').press('Skip this round');
    expect(textOf(skip)).toContain('sit this round out');
    await f.h.advance(DAY);
    const pairings = f.h.port.deliveries.filter((d) => plainText(d.message).startsWith('Your pairing for this round'));
    const placed = pairings.flatMap((d) => d.audience).sort();
    expect(placed).toEqual(['ann', 'ben', 'dee']);
    expect(plainText(pairings[0]!.message)).toContain('trio');
    expect(textOf(await f.h.member('Ben').command('network', 'rounds off'))).toContain('left the pairing rounds');
  });

  it('tells a lone member why they could not be placed', async () => {
    await f.h.member('Ann').command('network', 'rounds on');
    await f.h.advance(7 * DAY + 1000);
    expect(f.h.member('Ann').inbox().at(-1)).toContain('could not pair you this round');
  });

  it('suggests up to three quiet past connections with a hello that asks for nothing', async () => {
    const none = await f.h.member('Ann').command('network', 'reconnect');
    expect(textOf(none)).toContain('Nobody to reconnect with yet');
    for (const name of ['Ben', 'Cat', 'Dee', 'Eve']) {
      await f.h.member(name).command('offer-help', `archives: ${name} knows archives and special collections`);
    }
    for (let i = 0; i < 4; i++) {
      await f.h.member('Ann').command('intro-request', 'archives: How did you get into archives work? 20 min');
      const helper = ['ben', 'cat', 'dee', 'eve'].find((id) => f.h.port.findButton(id, 'Accept'))!;
      await f.h.member(helper[0]!.toUpperCase() + helper.slice(1)).press('Accept');
    }
    const recent = await f.h.member('Ann').command('network', 'reconnect');
    expect(textOf(recent)).toContain('Nobody to reconnect with yet');
    await f.h.advance(100 * DAY);
    const later = textOf(await f.h.member('Ann').command('network', 'reconnect'));
    expect(later.match(/Draft: /g)).toHaveLength(3);
    expect(later).toContain('No need to reply');
    expect(later).toContain('about archives');
  });
});
