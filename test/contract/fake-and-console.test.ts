import { ConsolePort } from '../../adapters/console/port.ts';
import { plainText } from '../../src/messages/build.ts';
import { mentionedUsers } from '../../src/messages/build.ts';
import type { DeliveryReceipt } from '../../src/messages/model.ts';
import type { PlatformPort } from '../../src/platform.ts';
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
  // The observer reads only what the console printed (its write function), never the
  // port's remembered model: each call's prints are filed under the receipt it returned.
  const printed: string[] = [];
  // The contract mentions its second member as "Partner"; the console prints a mention as @<name>.
  const names: Record<string, string> = { ann: 'Ann', ben: 'Partner' };
  const consolePort = new ConsolePort((text) => printed.push(text), (id) => names[id] ?? id);
  const printsOf = new Map<string, string[]>();
  const capture = async <T extends DeliveryReceipt | void>(messageId: string | null, call: () => Promise<T>): Promise<T> => {
    const from = printed.length;
    const result = await call();
    const id = messageId ?? (result as DeliveryReceipt).messageId;
    printsOf.set(id, [...(printsOf.get(id) ?? []), ...printed.slice(from)]);
    return result;
  };
  const port: PlatformPort = {
    platform: consolePort.platform,
    postToChannel: (c, ch, m) => capture(null, () => consolePort.postToChannel(c, ch, m)),
    sendPrivate: (c, u, m) => capture(null, () => consolePort.sendPrivate(c, u, m)),
    openConversation: (c, us, title, m) => capture(null, () => consolePort.openConversation(c, us, title, m)),
    updateMessage: (c, r, m) => capture(r.messageId, () => consolePort.updateMessage(c, r, m)),
    lookupUser: (c, u) => consolePort.lookupUser(c, u),
  };
  // What the terminal shows for a message: its latest print (after any update).
  const shown = (r: DeliveryReceipt): string => printsOf.get(r.messageId)?.at(-1) ?? '';
  return {
    port,
    communityPlatformId: 'console',
    users: ['ann', 'ben'],
    channelId: 'general',
    textOf: async (r) => shown(r),
    // A terminal notifies nobody; what reads as a mention is "@Name" of a member, as printed.
    pingsOf: async (r) => Object.keys(names).filter((id) => new RegExp(`(^|\\s)@${names[id]}\\b`).test(shown(r))),
  };
});
