import { buttonsOf, plainText } from '../../src/messages/build.ts';
import type { DeliveryReceipt, Message } from '../../src/messages/model.ts';
import { DeliveryError, type PlatformPort } from '../../src/platform.ts';

/** One delivery the fake saw. */
export interface FakeDelivery {
  kind: 'channel' | 'private' | 'conversation' | 'update';
  /** Platform user ids who can see it (or the channel id). */
  audience: string[];
  message: Message;
  receipt: DeliveryReceipt;
}

/**
 * The test double for the platform port: records every delivery and can fail on
 * demand. It passes the same contract suite as the real adapters.
 */
export class FakePort implements PlatformPort {
  readonly platform: string;
  readonly deliveries: FakeDelivery[] = [];
  private failures: DeliveryError[] = [];
  private counter = 0;
  openConversation?: PlatformPort['openConversation'];

  constructor(options: { platform?: string; conversations?: boolean } = {}) {
    this.platform = options.platform ?? 'console';
    if (options.conversations !== false) {
      this.openConversation = async (_c, userIds, _title, message) => this.record('conversation', userIds, message);
    }
  }

  /** The next `count` deliveries throw this error. */
  failNext(error: DeliveryError, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(error);
  }

  async postToChannel(_c: string, channelId: string, message: Message): Promise<DeliveryReceipt> {
    return this.record('channel', [channelId], message);
  }

  async sendPrivate(_c: string, platformUserId: string, message: Message): Promise<DeliveryReceipt> {
    return this.record('private', [platformUserId], message);
  }

  async updateMessage(_c: string, receipt: DeliveryReceipt, message: Message): Promise<void> {
    const found = this.deliveries.find((d) => d.receipt.messageId === receipt.messageId);
    if (!found) throw new DeliveryError('message_not_found', { retryable: false, code: 'message_not_found' });
    found.message = message;
  }

  /** Deliveries a user can see, oldest first. */
  to(platformUserId: string): FakeDelivery[] {
    return this.deliveries.filter((d) => d.audience.includes(platformUserId));
  }

  /** Plain text of everything a user received. */
  textsTo(platformUserId: string): string[] {
    return this.to(platformUserId).map((d) => plainText(d.message));
  }

  /** The newest message a user can see (theirs, or any channel post) with a button of this label. */
  findButton(platformUserId: string, label: string) {
    const list = this.deliveries.filter((d) => d.kind === 'channel' || d.audience.includes(platformUserId));
    for (let i = list.length - 1; i >= 0; i--) {
      const button = buttonsOf(list[i]!.message).find((b) => b.label.toLowerCase() === label.toLowerCase());
      if (button) return { delivery: list[i]!, button };
    }
    return null;
  }

  private record(kind: FakeDelivery['kind'], audience: string[], message: Message): DeliveryReceipt {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const receipt = { channelId: audience.join(','), messageId: `fake-${++this.counter}` };
    this.deliveries.push({ kind, audience, message, receipt });
    return receipt;
  }
}
