import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  appHomeOpened,
  blockActions,
  eventCallback,
  slashCommand,
  viewSubmission,
  type FakeMessage,
  type RecordedCall,
} from '../../fakes/slack/index.ts';
import { allText, CHANNEL, startHarness, USERS, type SlackHarness } from './harness.ts';

/**
 * The real Bolt app on a local port, driven by signed requests shaped as Slack
 * sends them, against the fake Web API. One harness per file keeps the suite
 * fast; each test uses its own users or resets what it inspects.
 */

let h: SlackHarness;

beforeAll(async () => {
  h = await startHarness({
    users: [
      { id: 'U0DAN0001', name: 'dan', display_name: 'Dan' },
      { id: 'U0ERIN001', name: 'erin', display_name: 'Erin' },
      { id: 'U0FRAN001', name: 'fran', display_name: 'Fran' },
      { id: 'U0GUS0001', name: 'gus', display_name: '<!channel> Gus <!here> <@U123>' },
      { id: 'U0HAL0001', name: 'hal', display_name: 'Hal' },
      { id: 'U0IVY0001', name: 'ivy', display_name: 'Ivy' },
      { id: 'U0JO00001', name: 'jo', display_name: 'Jo' },
      { id: 'U0KIT0001', name: 'kit', display_name: 'Kit' },
      { id: 'U0BOT0001', name: 'somebot', is_bot: true },
    ],
  });
});

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  await h.settle();
});

/** The newest message the bot posted in this user's DM. */
async function dmTo(userId: string, predicate: (m: FakeMessage) => boolean = () => true): Promise<FakeMessage> {
  const channel = h.fake.dmChannelFor(userId);
  await h.fake.waitFor('chat.postMessage', (c) => c.response.channel === channel && predicate(h.fake.messages.find((m) => m.ts === c.response.ts)!));
  return h.fake.messagesIn(userId).filter(predicate).at(-1)!;
}

function buttonIn(msg: FakeMessage, actionId: string): { action_id: string; value: string } {
  const elements = (msg.blocks as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []);
  const found = elements.find((e) => e.action_id === actionId);
  if (!found) throw new Error(`no ${actionId} button in message`);
  return found;
}

function press(userId: string, msg: FakeMessage, actionId: string, extra: { action_ts?: string } = {}) {
  const button = buttonIn(msg, actionId);
  return blockActions({
    user: { id: userId },
    actions: [{ action_id: actionId, value: button.value, ...extra }],
    channel: { id: msg.channel },
    message: { ts: msg.ts },
    response_url: h.fake.responseUrl(),
  });
}

/** An intro request from `requester` that invites `helper`, who offered help on `topic`. */
async function invitation(helper: string, requester: string, topic: string): Promise<FakeMessage> {
  await h.slash(helper, '/offer-help', `${topic}: happy to talk through how I got into ${topic} work`);
  await h.slash(requester, '/intro-request', `${topic}: How did you get into ${topic}? Which skills mattered most? 20 min`);
  await h.settle();
  return dmTo(helper, (m) => JSON.stringify(m.blocks ?? []).includes('intro.accept') && m.text.includes(topic));
}

describe('slash commands', () => {
  test('/offer-help with text saves the offer and answers ephemerally with a text fallback', async () => {
    const { res, answer } = await h.slash(USERS.carol.id, '/offer-help', 'cataloging: happy to walk new catalogers through RDA and MARC');
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(3000);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.missingTextFallback).toBe(false);
    expect(answer.response.ok).toBe(true);
    expect(String(answer.body.text)).toContain('Offer #');
    const offers = await h.app.database.db.selectFrom('offers').select(['topic', 'details']).where('topic', '=', 'cataloging').execute();
    expect(offers).toHaveLength(1);
  });

  test('/intro-request with the documented grammar is accepted', async () => {
    const { answer } = await h.slash(
      USERS.alice.id,
      '/intro-request',
      'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min',
    );
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toMatch(/Request #\d+/);
  });

  test('/interview-practice academic joins the practice pool', async () => {
    const { answer } = await h.slash(USERS.bob.id, '/interview-practice', 'academic');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toContain('academic');
  });

  test('/network help lists every command', async () => {
    const { answer } = await h.slash(USERS.bob.id, '/network', 'help');
    for (const name of ['/offer-help', '/intro-request', '/interview-practice', '/network']) expect(String(answer.body.text)).toContain(name);
    expect(answer.missingTextFallback).toBe(false);
  });

  test('bad input is explained privately with the usage', async () => {
    const { answer } = await h.slash(USERS.bob.id, '/offer-help', 'no colon here');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toContain('colon');
  });
});

describe('modals', () => {
  test('empty /offer-help opens a modal; submitting it saves the offer and shows the reply in the modal', async () => {
    await h.slashOnly('U0DAN0001', '/offer-help', '');
    const open = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === 'circulate:offer-help');
    expect(open.response.ok).toBe(true);
    const view = open.response.view as Record<string, unknown>;
    const res = await h.send(
      viewSubmission({
        user: { id: 'U0DAN0001' },
        view,
        values: {
          topic: { value: 'grant writing' },
          details: { value: 'I have written a dozen IMLS grants and can review drafts' },
          capacity: { value: { type: 'static_select', selected_option: { value: '3', text: { type: 'plain_text', text: '3' } } } },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(JSON.stringify(res.json)).toContain('grant writing');
    const offer = await h.app.database.db.selectFrom('offers').selectAll().where('topic', '=', 'grant writing').executeTakeFirst();
    expect(offer?.capacity_per_month).toBe(3);
  });

  test('invalid submissions come back as inline errors on the right fields and change nothing', async () => {
    await h.slashOnly('U0ERIN001', '/intro-request', '');
    const open = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === 'circulate:intro-request');
    const before = await h.count('requests');
    const res = await h.send(
      viewSubmission({
        user: { id: 'U0ERIN001' },
        view: open.response.view as Record<string, unknown>,
        values: {
          topic: { value: 'x' },
          questions: { value: 'no question mark in here at all' },
          length: { value: { type: 'static_select', selected_option: { value: '20' } } },
          member: { value: '' },
        },
      }),
    );
    expect(res.status).toBe(200);
    const body = res.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['questions', 'topic']);
    expect(await h.count('requests')).toBe(before);
  });

  test('a button on App Home opens its form with the interaction trigger', async () => {
    const trigger = h.fake.issueTriggerId('U0ERIN001');
    const res = await h.send(
      blockActions({
        user: { id: 'U0ERIN001' },
        actions: [{ action_id: 'home.practice', value: 'home' }],
        view: { id: 'VHOME00001', type: 'home', callback_id: '' },
        trigger_id: trigger,
      }),
    );
    expect(res.status).toBe(200);
    const open = await h.fake.waitFor('views.open', (c) => c.args.trigger_id === trigger);
    expect(open.response.ok).toBe(true);
  });
});

describe('buttons', () => {
  test('accept updates the invitation and introduces both members in one group DM', async () => {
    const msg = await invitation(USERS.bob.id, USERS.alice.id, 'digitization');
    const res = await h.send(press(USERS.bob.id, msg, 'intro.accept'));
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor('chat.update', (c) => c.args.ts === msg.ts);
    expect(update.response.ok).toBe(true);
    expect(JSON.stringify(update.args.blocks)).not.toContain('intro.accept');
    await h.settle();
    const open = await h.fake.waitFor('conversations.open', (c) => c.args.users === [USERS.alice.id, USERS.bob.id].sort().join(','));
    const channel = (open.response.channel as { id: string }).id;
    const intro = h.fake.messagesIn(channel).at(-1)!;
    expect(intro.text).toContain('digitization');
    expect(JSON.stringify(intro.blocks)).toContain(`<@${USERS.alice.id}>`);
    expect(JSON.stringify(intro.blocks)).toContain(`<@${USERS.bob.id}>`);
  });

  test('decline updates the invitation; pressing it again changes nothing', async () => {
    const msg = await invitation('U0HAL0001', 'U0IVY0001', 'preservation');
    const matchId = buttonIn(msg, 'intro.decline').value;
    const original = { ...msg }; // chat.update replaces the live message's blocks
    const first = press('U0HAL0001', msg, 'intro.decline');
    await h.send(first);
    await h.fake.waitFor('chat.update', (c) => c.args.ts === msg.ts);
    const statusAfter = await h.app.database.db.selectFrom('matches').select('status').where('id', '=', matchId).executeTakeFirst();
    expect(statusAfter?.status).toBe('declined');
    // The same delivery again (Slack duplicate) is a no-op: no second update.
    await h.send(first);
    await h.settle();
    expect(h.fake.callsTo('chat.update').filter((c) => c.args.ts === msg.ts)).toHaveLength(1);
    // A later press of Accept on the stale message is answered, but does not introduce anyone.
    await h.send(press('U0HAL0001', original, 'intro.accept'));
    await h.fake.waitFor('chat.update', (c) => c.args.ts === msg.ts && String(c.args.text).includes('already'));
    await h.settle();
    expect(h.fake.callsTo('conversations.open').filter((c) => String(c.args.users).includes('U0HAL0001'))).toHaveLength(0);
  });
});

describe('App Home', () => {
  test('app_home_opened publishes the member home with offers and buttons', async () => {
    const res = await h.send(eventCallback(appHomeOpened({ user: USERS.carol.id })));
    expect(res.status).toBe(200);
    const publish = await h.fake.waitFor('views.publish', (c) => c.args.user_id === USERS.carol.id);
    expect(publish.response.ok).toBe(true);
    const text = allText({ blocks: (publish.args.view as { blocks: unknown[] }).blocks });
    expect(text).toContain('Welcome, Carol');
    expect(text).toContain('cataloging');
    expect(JSON.stringify(publish.args.view)).toContain('home.offer_help');
  });
});

describe('request verification', () => {
  const cases: [string, Parameters<SlackHarness['send']>[1]][] = [
    ['a bad signature', { badSignature: true }],
    ['a timestamp older than 5 minutes', { timestampOverride: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ['a timestamp from the future', { timestampOverride: Math.floor(Date.now() / 1000) + 6 * 60 }],
  ];
  test.each(cases)('%s gets 401 and changes nothing', async (_name, opts) => {
    await h.settle();
    const before = { calls: h.fake.calls.length, posts: h.fake.responsePosts.length, offers: await h.count('offers'), events: await h.count('processed_events'), outbox: await h.count('outbox'), members: await h.count('members') };
    const command = slashCommand({ command: '/offer-help', text: 'forged: this should never be saved anywhere', user_id: 'U0KIT0001', channel_id: CHANNEL, response_url: h.fake.responseUrl() });
    const home = eventCallback(appHomeOpened({ user: 'U0KIT0001' }));
    expect((await h.send(command, opts)).status).toBe(401);
    expect((await h.send(home, opts)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    await h.settle();
    const after = { calls: h.fake.calls.length, posts: h.fake.responsePosts.length, offers: await h.count('offers'), events: await h.count('processed_events'), outbox: await h.count('outbox'), members: await h.count('members') };
    expect(after).toEqual(before);
  });
});

describe('idempotency', () => {
  test('a retried event (X-Slack-Retry-Num) and a duplicate without the header are handled once', async () => {
    const event = eventCallback(appHomeOpened({ user: USERS.alice.id }), { event_id: 'Ev0RETRY0001' });
    const publishes = () => h.fake.callsTo('views.publish').filter((c) => c.args.user_id === USERS.alice.id).length;
    const before = publishes();
    expect((await h.send(event)).status).toBe(200);
    await h.fake.waitFor('views.publish', (c) => c.args.user_id === USERS.alice.id && c.seq > (h.fake.calls.at(-1)?.seq ?? 0) - 50);
    expect((await h.send(event, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await h.send(event)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(publishes()).toBe(before + 1);
  });

  test('a duplicated slash command delivery saves one offer', async () => {
    const req = slashCommand({
      command: '/offer-help',
      text: 'storytime: I run bilingual storytimes and can share plans',
      user_id: 'U0JO00001',
      channel_id: CHANNEL,
      trigger_id: h.fake.issueTriggerId('U0JO00001'),
      response_url: h.fake.responseUrl('dup-cmd'),
    });
    await h.send(req);
    await h.fake.waitForResponsePost((p) => p.id === 'dup-cmd');
    await h.send(req, { retryNum: 1 });
    await new Promise((r) => setTimeout(r, 150));
    const offers = await h.app.database.db.selectFrom('offers').select('id').where('topic', '=', 'storytime').execute();
    expect(offers).toHaveLength(1);
    expect(h.fake.responsePostsTo('dup-cmd')).toHaveLength(1);
  });
});

describe('delivery', () => {
  test('a 429 on chat.postMessage is delivered after Retry-After', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    await h.slash('U0FRAN001', '/offer-help', 'music librarianship: scores, cataloging and conservatory libraries');
    await h.slash(USERS.carol.id, '/intro-request', 'music librarianship: How did you start in music libraries? What should I study? 15 min');
    await h.settle();
    const limited = h.fake.callsTo('chat.postMessage').find((c: RecordedCall) => c.status === 429);
    expect(limited?.retryAfter).toBe(2);
    const row = await h.app.database.db.selectFrom('outbox').selectAll().where('last_error', '=', 'ratelimited').executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(Date.parse(row.next_attempt_at) - h.clock.now().getTime()).toBeGreaterThanOrEqual(2000);
    await h.settle();
    expect(h.fake.messagesIn('U0FRAN001')).toHaveLength(0);
    h.clock.advance(2000);
    await h.settle();
    const delivered = await h.app.database.db.selectFrom('outbox').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(delivered.status).toBe('delivered');
    expect(h.fake.messagesIn('U0FRAN001').at(-1)!.text).toContain('music librarianship');
  });

  test('a display name with <!channel>, <!here> and <@U123> comes out inert', async () => {
    const msg = await invitation(USERS.alice.id, 'U0GUS0001', 'oral history');
    const text = allText(msg);
    expect(text).toContain('&lt;!channel&gt; Gus');
    expect(text.match(/<[@!#][^>]*>/g) ?? []).toEqual([]);
  });

  test('the bot never messages a bot user', async () => {
    await expect(h.port.sendPrivate(h.fake.team.id, 'U0BOT0001', { blocks: [{ kind: 'paragraph', spans: [{ kind: 'text', text: 'hi' }] }] })).rejects.toMatchObject({
      options: { retryable: false, code: 'user_is_bot' },
    });
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0BOT0001')).toHaveLength(0);
  });
});

describe('acknowledgement', () => {
  test('a slash command is acknowledged before the core is called', async () => {
    const core = h.app.core;
    const original = core.command.bind(core);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let called = 0;
    core.command = async (...args: Parameters<typeof original>) => {
      called++;
      await gate;
      return original(...args);
    };
    try {
      const res = await h.slashOnly(USERS.bob.id, '/network', 'help');
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      expect(called).toBe(0); // the answer left before the adapter even reached the core
      await expect.poll(() => called).toBe(1);
      release();
      await h.settle();
    } finally {
      core.command = original;
      release();
    }
  });

  test('a command whose work fails after the ack leaves the bot up and answering', async () => {
    const core = h.app.core;
    const original = core.command.bind(core);
    core.command = async () => {
      throw new Error('core exploded');
    };
    try {
      expect((await h.slashOnly(USERS.bob.id, '/network', 'help')).status).toBe(200);
      await h.settle();
    } finally {
      core.command = original;
    }
    const { res, answer } = await h.slash(USERS.bob.id, '/network', 'help');
    expect(res.status).toBe(200);
    expect(String(answer.body.text)).toContain('/offer-help');
  });
});
