import { afterEach, describe, expect, it } from 'vitest';
import type { Obj, RecordedCall } from '../../fakes/discord/server.ts';
import { startWorld, type World } from './world.ts';

/**
 * Issue 12 item 10: a click from a DM names its guild in the custom id, which
 * a client can forge. It acts only on a guild the clicking user belongs to (a
 * member of that community for Circulate, and still in the server for
 * Discord); otherwise it is refused privately and nothing changes.
 */

const CATALOGING = { topic: 'cataloging', details: 'happy to walk new catalogers through RDA and MARC' };
const ASK = { topic: 'cataloging', questions: 'How did you get into cataloging? Which skills mattered most?', length: 20 };
const REFUSED = 'belongs to a server you are not a member of, so nothing was done';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

type Button = { custom_id: string; label: string };
const buttonsOf = (msg: Obj): Button[] => ((msg.components as { components: Button[] }[] | undefined) ?? []).flatMap((row) => row.components);
const contentOf = (call: RecordedCall): string => String(((call.body as { data?: Obj }).data ?? {}).content ?? '');

async function snapshot(w: World): Promise<unknown> {
  const db = w.app.core.db;
  return {
    communities: await db.selectFrom('communities').select(['platform_id']).orderBy('platform_id').execute(),
    members: await db.selectFrom('members').select(['community_id', 'platform_user_id']).orderBy('community_id').orderBy('platform_user_id').execute(),
    matches: await db.selectFrom('matches').selectAll().execute(),
    outbox: (await db.selectFrom('outbox').select('id').execute()).length,
  };
}

describe('DM clicks name their server; only that server\u2019s members may act', () => {
  it('a forged custom_id naming another server is refused privately, and nothing changes', async () => {
    const w = (world = await startWorld());
    // Another server the bot is in, with its own community; alice is not a member of it.
    const other = w.fake.addGuild({ name: 'Other Library Guild', members: [{ user: 'bob' }] });
    await w.run(w.fake.chatInputInteraction({ user: 'bob', guild_id: other.id, name: 'offer-help', subcommand: 'add', options: CATALOGING }));
    await w.command('alice', 'network', 'help');
    const before = await snapshot(w);

    for (const customId of [`${other.id}/intro.accept:anything`, `${other.id}/intro.decline:anything`, '123456789012345678/intro.accept:x']) {
      const answered = await w.run(w.fake.buttonInteraction({ user: 'alice', guild_id: null, custom_id: customId }));
      expect(contentOf(answered)).toContain(REFUSED);
      expect((answered.body as { data: Obj }).data.flags).toBeTruthy();
    }
    expect(await snapshot(w)).toEqual(before);
  });

  it('a member who has left the server can no longer answer an invitation from a DM', async () => {
    const w = (world = await startWorld());
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    await w.command('alice', 'intro-request', 'ask', ASK);
    const invited = 'bob';
    const invitation = w.fake.dmsTo(invited).find((m) => buttonsOf(m).some((b) => b.label === 'Accept'))!;
    const accept = buttonsOf(invitation).find((b) => b.label === 'Accept')!.custom_id;

    w.fake.memberLeave(w.fake.guild().id, invited);
    const before = await snapshot(w);
    const refused = await w.run(w.fake.buttonInteraction({ user: invited, guild_id: null, custom_id: accept, message: invitation }));
    expect(contentOf(refused)).toContain(REFUSED);
    expect(await snapshot(w)).toEqual(before);
  });

  it('a member of the named server acts from a DM as before', async () => {
    const w = (world = await startWorld());
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    await w.command('alice', 'intro-request', 'ask', ASK);
    const invitation = w.fake.dmsTo('bob').find((m) => buttonsOf(m).some((b) => b.label === 'Accept'))!;
    const accept = buttonsOf(invitation).find((b) => b.label === 'Accept')!.custom_id;
    const accepted = await w.run(w.fake.buttonInteraction({ user: 'bob', guild_id: null, custom_id: accept, message: invitation }));
    expect(JSON.stringify(accepted.body)).toContain('You accepted');
  });
});
