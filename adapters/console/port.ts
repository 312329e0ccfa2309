import type { DeliveryReceipt, Message, PlatformPort, PlatformUser } from '../../src/index.ts';
import { renderMessage } from './render.ts';

/** A delivered message and who can press its buttons. */
export interface Delivered {
  messageId: string;
  audience: string[];
  message: Message;
}

/**
 * The console platform: every message is printed with who sees it. It remembers
 * what each member received so `press <label>` can find the button.
 */
export class ConsolePort implements PlatformPort {
  readonly platform = 'console';
  readonly delivered: Delivered[] = [];
  private counter = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly names: (platformUserId: string) => string,
  ) {}

  async postToChannel(_community: string, channelId: string, message: Message): Promise<DeliveryReceipt> {
    return this.record(`#${channelId}`, ['*'], message, channelId);
  }

  async sendPrivate(_community: string, platformUserId: string, message: Message): Promise<DeliveryReceipt> {
    return this.record(`DM to ${this.names(platformUserId)}`, [platformUserId], message, `dm-${platformUserId}`);
  }

  async openConversation(_community: string, platformUserIds: string[], _title: string, message: Message): Promise<DeliveryReceipt> {
    const who = platformUserIds.map((id) => this.names(id)).join(' and ');
    return this.record(`conversation between ${who}`, platformUserIds, message, `conv-${[...platformUserIds].sort().join('-')}`);
  }

  async updateMessage(_community: string, receipt: DeliveryReceipt, message: Message): Promise<void> {
    this.replace(receipt.messageId, message, 'message updated');
  }

  async lookupUser(_community: string, platformUserId: string): Promise<PlatformUser | null> {
    return { platformUserId, displayName: this.names(platformUserId) };
  }

  /**
   * Remembers a private reply so its buttons can be pressed, as they can on an
   * ephemeral message on Slack or Discord. The session prints it.
   */
  rememberReply(platformUserId: string, message: Message): void {
    this.delivered.push({ messageId: `r${++this.counter}`, audience: [platformUserId], message });
  }

  /** Replaces a delivered message (after a button press) and prints the new version. */
  replace(messageId: string, message: Message, header: string): void {
    const found = this.delivered.find((d) => d.messageId === messageId);
    if (found) found.message = message;
    this.write(renderMessage(header, message));
  }

  /** The newest message this member can see that has a button with this label. */
  findButton(platformUserId: string, label: string): { delivered: Delivered; actionId: string; payload: string } | null {
    const wanted = label.trim().toLowerCase();
    for (let i = this.delivered.length - 1; i >= 0; i--) {
      const d = this.delivered[i]!;
      if (!d.audience.includes(platformUserId) && !d.audience.includes('*')) continue;
      for (const block of d.message.blocks) {
        if (block.kind !== 'actions') continue;
        const button = block.buttons.find((b) => b.label.toLowerCase() === wanted);
        if (button) return { delivered: d, actionId: button.actionId, payload: button.payload };
      }
    }
    return null;
  }

  private record(header: string, audience: string[], message: Message, channelId: string): DeliveryReceipt {
    const messageId = `m${++this.counter}`;
    this.delivered.push({ messageId, audience, message });
    this.write(renderMessage(header, message));
    return { channelId, messageId };
  }
}
