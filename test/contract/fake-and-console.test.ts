import { ConsolePort } from '../../adapters/console/port.ts';
import { plainText } from '../../src/messages/build.ts';
import { mentionedUsers } from '../../src/messages/build.ts';
import { FakePort } from '../support/fake-port.ts';
import { platformPortContract } from './platform-port.contract.ts';

platformPortContract('test fake', async () => {
  const port = new FakePort();
  const find = (id: string) => port.deliveries.find((d) => d.receipt.messageId === id)!;
  return {
    port,
    communityPlatformId: 'c1',
    users: ['ann', 'ben'],
    channelId: 'general',
    textOf: async (r) => plainText(find(r.messageId).message),
    // The fake has no notification system; it reports the deliberate mentions the message carries.
    pingsOf: async (r) => mentionedUsers(find(r.messageId).message),
  };
});

platformPortContract('console', async () => {
  const printed: string[] = [];
  const port = new ConsolePort((text) => printed.push(text), (id) => id.toUpperCase());
  const find = (id: string) => port.delivered.find((d) => d.messageId === id)!;
  return {
    port,
    communityPlatformId: 'console',
    users: ['ann', 'ben'],
    channelId: 'general',
    textOf: async (r) => {
      const index = port.delivered.findIndex((d) => d.messageId === r.messageId);
      // What the terminal shows: the last print of that message (after any update).
      return printed.filter((_, i) => i >= index).join('\n') + plainText(find(r.messageId).message);
    },
    // A terminal notifies nobody.
    pingsOf: async (r) => mentionedUsers(find(r.messageId).message),
  };
});
