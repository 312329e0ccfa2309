import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAPIError, HTTPError } from 'discord.js';
import { classifyDiscordError, createDiscordPort, routeOf } from '../../../adapters/discord/port.ts';
import { message, p } from '../../../src/messages/build.ts';
import type { DeliveryReceipt } from '../../../src/messages/model.ts';
import { CONVERSATION_UNAVAILABLE } from '../../../src/outbox/dispatcher.ts';
import { DeliveryError } from '../../../src/platform.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/server.ts';
import { platformPortContract, type PortUnderTest } from '../../contract/platform-port.contract.ts';

const log = pino({ level: 'silent' });

/** The port against the fake Discord's REST API; the platform side is read back from the fake. */
async function discordPortUnderTest(introChannel: boolean): Promise<PortUnderTest> {
  const fake: FakeDiscord = await startFakeDiscord();
  const port = createDiscordPort({
    log,
    options: {
      token: fake.token,
      applicationId: fake.applicationId,
      apiUrl: fake.restBase,
      ...(introChannel ? { introChannelId: fake.channel('introductions').id as string } : {}),
    },
  });
  const creatingCall = (r: DeliveryReceipt) => {
    const call = fake.messageCalls().find((c) => c.messageId === r.messageId);
    if (!call) throw new Error(`no call created message ${r.messageId}`);
    return call;
  };
  return {
    port,
    communityPlatformId: fake.guild().id,
    users: [fake.user('alice').id, fake.user('bob').id],
    channelId: fake.channel('general').id as string,
    // What Discord shows: the content of the last payload the fake received that created or
    // edited this message (POST, then any PATCH), not the fake's stored copy.
    textOf: async (r) => {
      const calls = fake.calls.filter((c) => c.messageId === r.messageId && c.status < 300 && (c.method === 'POST' || c.method === 'PATCH'));
      if (!calls.length) throw new Error(`no call created or edited message ${r.messageId}`);
      return String((calls.at(-1)!.body as { content?: unknown } | undefined)?.content ?? '');
    },
    pingsOf: async (r) => {
      const pings = fake.pingsOf(creatingCall(r));
      return [...pings.users, ...(pings.everyone ? ['everyone'] : []), ...pings.roles.map((id) => `role:${id}`)];
    },
    close: () => fake.close(),
  };
}

platformPortContract('discord (intros in private threads)', () => discordPortUnderTest(true));
platformPortContract('discord (intros as DMs)', () => discordPortUnderTest(false));

describe('DiscordPort capabilities and error classification', () => {
  it('offers shared conversations once an intros channel can be known: a default, or a lookup bound at start', async () => {
    const base = { token: 't', applicationId: '1' };
    const bare = createDiscordPort({ log, options: base });
    expect(bare.openConversation).toBeUndefined();
    bare.useIntroChannelLookup(async () => null);
    expect(bare.openConversation).toBeTypeOf('function');
    expect(createDiscordPort({ log, options: { ...base, introChannelId: '123456789012345678' } }).openConversation).toBeTypeOf('function');
    expect(createDiscordPort({ log, options: base, introChannelFor: async () => null }).openConversation).toBeTypeOf('function');
  });

  describe('intros channel per community', () => {
    let fake: FakeDiscord;
    afterEach(async () => fake?.close());
    const start = async (defaultChannel?: string) => {
      fake = await startFakeDiscord();
      const options = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase, ...(defaultChannel ? { introChannelId: fake.channel(defaultChannel).id as string } : {}) };
      return createDiscordPort({ log, options });
    };
    const members = () => [fake.user('alice').id, fake.user('bob').id];
    const threadParents = () => fake.callsTo('POST', /^\/channels\/\d+\/threads$/).map((c) => c.params.channel);

    it("uses the community's channel before the deployment's", async () => {
      const port = await start('general');
      const seen: string[] = [];
      port.useIntroChannelLookup(async (guildId) => {
        seen.push(guildId);
        return fake.channel('introductions').id as string;
      });
      await port.openConversation!(fake.guild().id, members(), 'Introduction', message(p('Hello both')));
      expect(seen).toEqual([fake.guild().id]);
      expect(threadParents()).toEqual([fake.channel('introductions').id]);
    });

    it("falls back to the deployment's channel when the community has none", async () => {
      const port = await start('general');
      port.useIntroChannelLookup(async () => null);
      await port.openConversation!(fake.guild().id, members(), 'Introduction', message(p('Hello both')));
      expect(threadParents()).toEqual([fake.channel('general').id]);
    });

    it('says "conversation unavailable" when neither is set, or the channel cannot be used, so the core sends DMs', async () => {
      const port = await start();
      let channel: string | null = null;
      port.useIntroChannelLookup(async () => channel);
      const attempt = () => port.openConversation!(fake.guild().id, members(), 'Introduction', message(p('Hello both')));
      const none = await attempt().catch((e: unknown) => e);
      expect(none).toBeInstanceOf(DeliveryError);
      expect((none as DeliveryError).options).toMatchObject({ code: CONVERSATION_UNAVAILABLE, retryable: false });
      channel = '123456789012345678'; // deleted, or never existed: 10003 Unknown Channel
      const gone = await attempt().catch((e: unknown) => e);
      expect((gone as DeliveryError).options).toMatchObject({ code: CONVERSATION_UNAVAILABLE, retryable: false });
      expect(fake.messageCalls()).toHaveLength(0);
    });

    it("treats another server's channel as unavailable, and a failed settings read as retryable", async () => {
      const port = await start('general');
      port.attachGuildLookup(() => '888888888888888888');
      port.useIntroChannelLookup(async () => null);
      const other = await port.openConversation!(fake.guild().id, members(), 'Introduction', message(p('Hi'))).catch((e: unknown) => e);
      expect((other as DeliveryError).options.code).toBe(CONVERSATION_UNAVAILABLE);
      port.useIntroChannelLookup(async () => {
        throw new Error('database is locked');
      });
      const broken = await port.openConversation!(fake.guild().id, members(), 'Introduction', message(p('Hi'))).catch((e: unknown) => e);
      expect((broken as DeliveryError).options).toMatchObject({ retryable: true, code: 'settings_unavailable' });
    });
  });

  it('uploads message files as multipart attachments', async () => {
    const fake = await startFakeDiscord();
    try {
      const port = createDiscordPort({ log, options: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase } });
      const csv = 'room,email,name\nRoom 1,,Alice\n';
      const receipt = await port.sendPrivate(fake.guild().id, fake.user('mod').id, {
        ...message(p('Breakout groups')),
        files: [{ name: 'breakout-rooms.csv', mimeType: 'text/csv', base64: Buffer.from(csv).toString('base64') }],
      });
      const call = fake.messageCalls().find((c) => c.messageId === receipt.messageId)!;
      expect(call.files).toEqual([expect.objectContaining({ name: 'breakout-rooms.csv', size: Buffer.byteLength(csv) })]);
      expect(call.files[0]!.contentType).toContain('text/csv');
      expect(fake.messages.get(receipt.messageId)!.attachments).toEqual([expect.objectContaining({ filename: 'breakout-rooms.csv', size: Buffer.byteLength(csv) })]);
    } finally {
      await fake.close();
    }
  });

  it('classifies 50007 as permanent and names the member, 5xx as retryable, other 4xx as permanent', () => {
    const apiError = (status: number, code: number) =>
      new DiscordAPIError({ code, message: 'x' }, code, status, 'POST', 'http://127.0.0.1/api/v10/channels/123456789012345678/messages', { body: undefined, files: undefined });
    const dm = classifyDiscordError(apiError(403, 50007), '222222222222222222');
    expect(dm.options).toMatchObject({ retryable: false, code: '50007', unreachableUserId: '222222222222222222' });
    expect(classifyDiscordError(apiError(404, 10003)).options).toMatchObject({ retryable: false, code: '10003' });
    expect(classifyDiscordError(apiError(502, 0)).options.retryable).toBe(true);
    expect(classifyDiscordError(new HTTPError(503, 'Service Unavailable', 'POST', 'http://x/api/v10/channels/1/messages', { body: undefined, files: undefined })).options).toMatchObject({
      retryable: true,
      code: 'http_503',
    });
    expect(classifyDiscordError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).options).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });

  it('logs routes without ids or interaction tokens', () => {
    expect(routeOf('http://127.0.0.1:1/api/v10/channels/123456789012345678/messages')).toBe('/channels/:id/messages');
    expect(routeOf('https://discord.com/api/v10/interactions/123456789012345678/secret-token/callback')).toBe('/interactions/:id/:token/callback');
  });
});
