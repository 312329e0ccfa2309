import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b, message, mention, p } from '../../src/messages/build.ts';
import type { DeliveryReceipt, Message } from '../../src/messages/model.ts';
import type { PlatformPort } from '../../src/platform.ts';

/**
 * The contract every PlatformPort passes: the test fake, the console, Slack and
 * Discord alike. An implementation supplies the port plus an observer that reads
 * back, from the platform's side, what was delivered and whom it would notify.
 */
export interface PortUnderTest {
  port: PlatformPort;
  communityPlatformId: string;
  /** Two ordinary members and a channel the bot may post in. */
  users: [string, string];
  channelId: string;
  /** Plain text the platform shows for a delivered message. */
  textOf(receipt: DeliveryReceipt): Promise<string>;
  /** Platform user ids (or "everyone"/"here"/"role:<id>") the delivered message would notify. */
  pingsOf(receipt: DeliveryReceipt): Promise<string[]>;
  close?(): Promise<void>;
}

const hostile = '@everyone @here <!channel> <!here> <@U999> <@&123> **bold** <https://x.test|click>';

export function platformPortContract(name: string, setup: () => Promise<PortUnderTest>): void {
  describe(`PlatformPort contract: ${name}`, () => {
    let t: PortUnderTest;
    beforeAll(async () => {
      t = await setup();
    });
    afterAll(async () => t?.close?.());

    it('posts to a channel and returns a receipt that names the message', async () => {
      const receipt = await t.port.postToChannel(t.communityPlatformId, t.channelId, message(p('Weekly prompt: ', b('reconnect'))));
      expect(receipt.channelId).toBeTruthy();
      expect(receipt.messageId).toBeTruthy();
      expect(await t.textOf(receipt)).toContain('Weekly prompt');
    });

    it('sends a private message to one member', async () => {
      const receipt = await t.port.sendPrivate(t.communityPlatformId, t.users[0], message(p('Only for you')));
      expect(await t.textOf(receipt)).toContain('Only for you');
    });

    it('never lets member text ping anyone', async () => {
      const receipt = await t.port.sendPrivate(t.communityPlatformId, t.users[0], message(p(hostile)));
      expect(await t.pingsOf(receipt)).toEqual([]);
    });

    it('pings exactly the members a message deliberately mentions', async () => {
      const msg: Message = message(p(mention(t.users[1], 'Partner'), ' meet you; ', hostile));
      const receipt = await t.port.sendPrivate(t.communityPlatformId, t.users[0], msg);
      expect(await t.pingsOf(receipt)).toEqual([t.users[1]]);
    });

    it('opens one conversation between members when it can', async () => {
      if (!t.port.openConversation) return;
      const receipt = await t.port.openConversation(t.communityPlatformId, [...t.users], 'Introduction', message(p('Hello both')));
      expect(await t.textOf(receipt)).toContain('Hello both');
    });

    it('updates a delivered message when it can', async () => {
      if (!t.port.updateMessage) return;
      const receipt = await t.port.sendPrivate(t.communityPlatformId, t.users[0], message(p('Before')));
      await t.port.updateMessage(t.communityPlatformId, receipt, message(p('After')));
      expect(await t.textOf(receipt)).toContain('After');
    });
  });
}
