/**
 * The Discord adapter end to end: the real discord.js client on the fake
 * Discord (REST + gateway), the real core on an in-memory database, the outbox
 * delivering through the DiscordPort.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerCommands } from '../../../adapters/discord/register.ts';
import { findCommunity } from '../../../src/db/communities.ts';
import { listOutbox } from '../../../src/outbox/outbox.ts';
import type { Obj, RecordedCall } from '../../fakes/discord/server.ts';
import { dataOf, startWorld, until, type World } from './world.ts';

const EPHEMERAL = 64;
const CATALOGING = { topic: 'cataloging', details: 'happy to walk new catalogers through RDA and MARC' };
const ASK = { topic: 'cataloging', questions: 'How did you get into cataloging? Which skills mattered most?', length: 20 };

let world: World | undefined;
afterEach(async () => {
  if (world) expect(world.fake.unhandledCalls()).toEqual([]);
  await world?.close();
  world = undefined;
});

async function start(opts: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  world = await startWorld(opts);
  return world;
}

type Button = { custom_id: string; label: string };
const buttonsOf = (msg: Obj): Button[] => ((msg.components as { components: Button[] }[] | undefined) ?? []).flatMap((row) => row.components);
const button = (msg: Obj, label: string): string => {
  const found = buttonsOf(msg).find((b) => b.label === label);
  if (!found) throw new Error(`no ${label} button on: ${String(msg.content)}`);
  return found.custom_id;
};
const invitationTo = (w: World, user: string): Obj | undefined => w.fake.dmsTo(user).filter((m) => buttonsOf(m).some((b) => b.label === 'Accept')).at(-1);

/** Asserts an interaction reply is ephemeral and pings nobody; returns its text. */
function privateText(w: World, call: RecordedCall): string {
  const data = dataOf(call);
  expect((data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
  const pings = w.fake.pingsOf(call);
  expect(pings.users).toEqual([]);
  expect(pings.everyone).toBe(false);
  expect(pings.roles).toEqual([]);
  return data.content;
}

describe('registration', () => {
  it('registers typed commands in the guild, and globally without a guild id', async () => {
    const w = await start();
    const guildCommands = w.fake.commands.get(w.fake.guild().id)!;
    expect(guildCommands.map((c) => c.name)).toEqual(['offer-help', 'intro-request', 'interview-practice', 'network', 'network-admin']);
    expect(guildCommands.find((c) => c.name === 'network-admin')!.default_member_permissions).toBe('32');
    const sub = (command: string, name: string) =>
      ((guildCommands.find((c) => c.name === command)!.options as Obj[]).find((o) => o.name === name)!.options ?? []) as Obj[];
    expect(sub('offer-help', 'add').find((o) => o.name === 'topic')).toMatchObject({ type: 3, autocomplete: true, max_length: 80 });
    expect((sub('intro-request', 'ask').find((o) => o.name === 'length')!.choices as Obj[]).map((c) => c.value)).toEqual([15, 20, 30]);
    expect(sub('intro-request', 'ask').find((o) => o.name === 'member')).toMatchObject({ type: 6 });
    expect((sub('interview-practice', 'join').find((o) => o.name === 'role')!.choices as Obj[]).map((c) => c.value)).toContain('technical-services');
    expect(guildCommands.every((c) => JSON.stringify(c.contexts) === '[0]')).toBe(true);

    await registerCommands({ token: w.options.token, applicationId: w.options.applicationId, apiUrl: w.options.apiUrl! });
    expect(w.fake.commands.get('global')!.map((c) => c.name)).toHaveLength(5);
  });
});

describe('slash commands with options', () => {
  it('answers every command privately, translating options into the core grammar', async () => {
    const w = await start();
    const ok = async (user: string, name: string, subcommand: string, options = {}): Promise<string> => {
      const text = privateText(w, await w.command(user, name, subcommand, options));
      expect(text).not.toContain('Not quite');
      return text;
    };
    expect(await ok('bob', 'offer-help', 'add', { ...CATALOGING, capacity: 3 })).toContain('Offer #1 is live: **cataloging**, up to 3 conversations a month');
    expect(await ok('bob', 'offer-help', 'list')).toContain('RDA and MARC');
    expect(await ok('bob', 'offer-help', 'withdraw', { number: 1 })).toContain('#1');
    expect(await ok('bob', 'intro-request', 'list')).toContain('no open intro requests');
    expect(await ok('alice', 'intro-request', 'ask', ASK)).toContain('Request #1');
    expect(await ok('alice', 'intro-request', 'cancel', { number: 1 })).toContain('Request #1 is cancelled');
    await ok('alice', 'interview-practice', 'join', { role: 'academic', level: 'early', availability: 'weekday-evenings' });
    await ok('alice', 'interview-practice', 'leave');
    await ok('alice', 'network', 'profile', { stage: 'early', tz: 'Europe/London', areas: 'archives, metadata' });
    expect(await ok('alice', 'network', 'profile')).toContain('Europe/London');
    await ok('alice', 'network', 'pause', { duration: '2w' });
    await ok('alice', 'network', 'resume');
    await ok('alice', 'network', 'matches');
    expect(await ok('alice', 'network', 'help')).toContain('/offer-help');
    for (const call of w.fake.messageCalls()) expect(String(dataOf(call).content ?? '').length).toBeLessThanOrEqual(2000);
  });

  it('says what was wrong, with the usage, when the core rejects the input', async () => {
    const w = await start();
    const text = privateText(w, await w.command('alice', 'network', 'pause', { duration: 'forever' }));
    expect(text).toContain('Not quite');
    expect(text).toContain('forever');
  });

  it('defers and then edits the reply when the core is slow', async () => {
    const w = await start({ deferAfterMs: 20 });
    const core = w.app.core;
    const command = core.command.bind(core);
    core.command = async (...args) => {
      await new Promise((r) => setTimeout(r, 150));
      return command(...args);
    };
    const callback = await w.command('alice', 'network', 'help');
    expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    await w.fake.waitForCall((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'));
    const original = w.fake.originalResponse(callback.interactionId!)!;
    expect(String(original.content)).toContain('Circulate');
  });
});

describe('autocomplete', () => {
  it('suggests what the member typed and matching library-career topics', async () => {
    const w = await start();
    const callback = await w.run(w.fake.autocompleteInteraction({ name: 'offer-help', subcommand: 'add', focused: 'topic', options: { topic: 'catalog' } }));
    const choices = (callback.body as { type: number; data: { choices: { value: string }[] } }).data.choices;
    expect((callback.body as { type: number }).type).toBe(8);
    expect(choices[0]!.value).toBe('catalog');
    expect(choices.map((c) => c.value)).toContain('cataloguing and metadata');
  });
});

describe('modals', () => {
  it('opens the form when the long text is missing, prefilled, and submits it to the core', async () => {
    const w = await start();
    const opened = await w.command('alice', 'offer-help', 'add', { topic: 'cataloging' });
    const modal = (opened.body as { type: number; data: Obj }).data;
    expect((opened.body as { type: number }).type).toBe(9);
    expect(JSON.stringify(modal.components)).toContain('"value":"cataloging"');
    const submitted = await w.run(
      w.fake.modalSubmitInteraction({
        user: 'alice',
        custom_id: modal.custom_id as string,
        fields: { topic: 'cataloging', details: 'happy to walk new catalogers through RDA', capacity: '2' },
      }),
    );
    expect(privateText(w, submitted)).toContain('Offer #1 is live');
  });

  it('lists each field problem privately, since a modal cannot show them', async () => {
    const w = await start();
    const opened = await w.command('alice', 'offer-help', 'add');
    const customId = (opened.body as { data: Obj }).data.custom_id as string;
    const submitted = await w.run(w.fake.modalSubmitInteraction({ user: 'alice', custom_id: customId, fields: { topic: 'cataloging', details: 'short', capacity: '2' } }));
    const text = privateText(w, submitted);
    expect(text).toContain('**What you can help with**');
    expect(text).toContain('at least 10 characters');
  });

  it('prefills the named member from a user option', async () => {
    const w = await start();
    const opened = await w.command('alice', 'intro-request', 'ask', { topic: 'archives', length: 30, member: { user: 'bob' } });
    const json = JSON.stringify((opened.body as { data: Obj }).data.components);
    expect(json).toContain('"value":"Bob Bibliographer"');
    expect(json).toContain('"value":"30"');
  });
});

describe('intro buttons and introductions', () => {
  async function invite(w: World): Promise<Obj> {
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    await w.command('alice', 'intro-request', 'ask', ASK);
    const invitation = invitationTo(w, 'bob');
    expect(invitation, 'bob was invited by DM').toBeDefined();
    expect(String(invitation!.content)).toContain('Which skills mattered most?');
    return invitation!;
  }

  it('accept: replaces the invitation, and introduces both in a private thread of the intros channel', async () => {
    const w = await start({ introChannel: true });
    const invitation = await invite(w);
    const acceptId = button(invitation, 'Accept');
    const click = w.fake.buttonInteraction({ user: 'bob', guild_id: null, custom_id: acceptId, message: invitation });
    const accepted = await w.run(click);
    expect(accepted.body).toMatchObject({ type: 7, data: { components: [] } });
    expect(dataOf(accepted).content).toContain('You accepted');

    const threadCall = await w.fake.waitForCall((c) => c.method === 'POST' && /^\/channels\/\d+\/threads$/.test(c.path));
    expect(threadCall.params.channel).toBe(w.fake.channel('introductions').id);
    expect(threadCall.body).toMatchObject({ type: 12, invitable: false });
    const threadId = (threadCall.response as Obj).id as string;
    expect(w.fake.threadMembersOf(threadId).sort()).toEqual([w.fake.applicationId, w.id('alice'), w.id('bob')].sort());
    const intro = w.fake.messageCalls().find((c) => c.path === `/channels/${threadId}/messages`)!;
    expect(dataOf(intro).content).toContain('**Introduction**');
    expect(w.fake.pingsOf(intro).users.sort()).toEqual([w.id('alice'), w.id('bob')].sort());
    expect(w.fake.pingsOf(intro).everyone).toBe(false);

    // A redelivered interaction is a no-op; a second click on the old button changes nothing.
    w.fake.sendInteraction(click);
    await new Promise((r) => setTimeout(r, 200));
    expect(w.fake.interaction(click.id)!.callbacks).toHaveLength(0);
    const again = await w.run(w.fake.buttonInteraction({ user: 'bob', guild_id: null, custom_id: acceptId, message: invitation }));
    expect(dataOf(again).content).toContain('already been answered');
    expect(w.fake.callsTo('POST', /^\/channels\/\d+\/threads$/)).toHaveLength(1);
  });

  it('decline: the invitation is replaced and the next helper is asked', async () => {
    const w = await start();
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    await w.command('mod', 'offer-help', 'add', { topic: 'cataloging', details: 'MARC records and authority control for beginners' });
    await w.command('alice', 'intro-request', 'ask', ASK);
    await until(() => ['bob', 'mod'].some((u) => invitationTo(w, u)));
    const [first, other] = invitationTo(w, 'bob') ? ['bob', 'mod'] : ['mod', 'bob'];
    const invitation = invitationTo(w, first!)!;
    const declined = await w.run(w.fake.buttonInteraction({ user: first, guild_id: null, custom_id: button(invitation, 'Decline'), message: invitation }));
    expect(declined.body).toMatchObject({ type: 7, data: { components: [] } });
    expect(dataOf(declined).content).toContain('We will ask someone else');
    await until(() => invitationTo(w, other!) !== undefined);
  });

  it('without an intros channel anywhere, each member gets the introduction as exactly one DM naming the other', async () => {
    const w = await start();
    expect(w.port.openConversation).toBeTypeOf('function'); // the port is asked, and says "unavailable here"
    const invitation = await invite(w);
    await w.run(w.fake.buttonInteraction({ user: 'bob', guild_id: null, custom_id: button(invitation, 'Accept'), message: invitation }));
    await until(() => ['alice', 'bob'].every((u) => w.fake.dmsTo(u).some((m) => String(m.content).includes('**Introduction**'))));
    await w.app.core.flush();
    expect(w.fake.callsTo('POST', /\/threads$/)).toHaveLength(0);
    for (const [user, other] of [['alice', 'bob'], ['bob', 'alice']] as const) {
      const intros = w.fake.dmsTo(user).filter((m) => String(m.content).includes('**Introduction**'));
      expect(intros).toHaveLength(1);
      expect(String(intros[0]!.content)).toContain(`<@${w.id(other)}>`);
    }
    const community = (await findCommunity(w.app.core.db, 'discord', w.fake.guild().id))!;
    expect(await listOutbox(w.app.core.db, community.id, 'failed')).toEqual([]);
  });
});

describe('delivery problems', () => {
  it('a refused DM is logged and told to the member at their next command', async () => {
    const w = await start();
    await w.command('carol', 'offer-help', 'add', { topic: 'archives', details: 'processing collections and finding aids' });
    await w.command('alice', 'intro-request', 'ask', { topic: 'archives', questions: 'How did you get into archives? What should I read first?' });
    await until(() => w.logs.some((l) => l.msg === 'discord delivery failed'));
    expect(w.logs.find((l) => l.msg === 'discord delivery failed')).toMatchObject({ code: '50007', route: 'POST /channels/:id/messages', retryable: false });
    const rows = await listOutbox(w.app.core.db, (await findCommunity(w.app.core.db, 'discord', w.fake.guild().id))!.id, 'failed');
    expect(rows).toHaveLength(1);
    const text = privateText(w, await w.command('carol', 'network', 'help'));
    expect(text).toContain('could not send you a direct message');
  });

  it('a 429 waits for retry_after, then the message goes through', async () => {
    const w = await start();
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    w.fake.injectRateLimit({ route: /^\/channels\/\d+\/messages$/, method: 'POST', retryAfter: 0.3 });
    await w.command('alice', 'intro-request', 'ask', ASK);
    await until(() => invitationTo(w, 'bob') !== undefined);
    const statuses = w.fake.callsTo('POST', /^\/channels\/\d+\/messages$/).map((c) => c.status);
    expect(statuses).toEqual([429, 200]);
  });
});

describe('mentions stay inert', () => {
  it('the core rejects mention syntax in offer text, and the rejection pings nobody', async () => {
    const w = await start();
    const role = w.fake.role('Moderators').id;
    const reply = await w.command('alice', 'offer-help', 'add', { topic: 'cataloging', details: `hey @everyone and <@&${role}>, come learn MARC` });
    expect(privateText(w, reply)).toContain('mention syntax');
  });

  it('a member called "@everyone" is shown by name and pings nobody', async () => {
    const users = [
      { username: 'owner' },
      { username: 'mod' },
      { username: 'alice', global_name: 'Alice Archivist' },
      { username: 'bob', global_name: 'Bob Bibliographer' },
      { username: 'carol', global_name: 'Carol Cataloguer', refusesDMs: true },
      { username: 'prankster', global_name: '@everyone' },
    ];
    const w = await start({ fake: { users } });
    await w.command('bob', 'offer-help', 'add', CATALOGING);
    await w.command('prankster', 'intro-request', 'ask', ASK);
    await until(() => invitationTo(w, 'bob') !== undefined);
    const call = w.fake.messageCalls().find((c) => c.messageId === invitationTo(w, 'bob')!.id)!;
    expect(dataOf(call).content).toContain('**@\u200beveryone** would like');
    const pings = w.fake.pingsOf(call);
    expect(pings.everyone).toBe(false);
    expect(pings.users).toEqual([]);
  });
});

describe('guilds', () => {
  it('joining a guild creates its community; leaving marks it left', async () => {
    const w = await start();
    const db = w.app.core.db;
    const guildId = w.fake.guild().id;
    await until(async () => (await findCommunity(db, 'discord', guildId)) !== undefined);
    const other = w.fake.guildCreate({ name: 'Second Server', channels: [{ name: 'general' }] });
    await until(async () => (await findCommunity(db, 'discord', other.id as string))?.name === 'Second Server');
    w.fake.guildDelete(guildId, { unavailable: true });
    await new Promise((r) => setTimeout(r, 100));
    expect((await findCommunity(db, 'discord', guildId))!.left_at).toBeNull();
    w.fake.guildDelete(guildId);
    await until(async () => (await findCommunity(db, 'discord', guildId))!.left_at !== null);
  });
});
