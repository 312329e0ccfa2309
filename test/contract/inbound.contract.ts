import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The inbound contract every adapter passes: the console, Slack and Discord alike.
 * A member's intent (run a command, open and submit a form, press a button) goes in
 * the way that platform's member would do it (a typed line, a signed Slack request,
 * a Discord interaction), and what comes back is read from what the adapter really
 * produced (printed text, the fake Slack's calls, the fake Discord's payloads), never
 * from the database. Each driver translates the neutral intents below; the
 * assertions are shared.
 */

/** A member's intent, independent of how the platform spells it. */
export type Intent =
  | { kind: 'offer'; topic: string; details: string }
  | { kind: 'offers' }
  | { kind: 'ask'; topic: string; questions: string; minutes: 15 | 20 | 30 }
  | { kind: 'requests' };

/** What the member saw in answer, as the platform showed it. */
export interface Answer {
  /** Plain text the platform showed the member (rendered markup included). */
  text: string;
  /** True when only this member could see it (ephemeral, a DM, a modal, "private to"). */
  private: boolean;
  /** Set when the answer was a form: the names of its fields. */
  form?: string[];
}

export interface InboundUnderTest {
  /** Two members, as the driver addresses them, and the names the platform shows for them. */
  helper: string;
  requester: string;
  nameOf(member: string): string;
  /** Runs a command with its arguments and returns the answer. */
  command(member: string, intent: Intent): Promise<Answer>;
  /** Runs the command with nothing else (`/offer-help`), which opens its form. */
  openForm(member: string, command: 'offer-help'): Promise<Answer>;
  /** Submits the form this member has open. */
  submitForm(member: string, values: Record<string, string>): Promise<Answer>;
  /** Presses the button with this label on the newest message the member received; returns what the press showed them. */
  press(member: string, label: string): Promise<Answer>;
  /** Texts of every message delivered so the member can see it (DMs, group conversations, threads), oldest first. */
  delivered(member: string): Promise<string[]>;
  close(): Promise<void>;
}

const OFFER = { kind: 'offer', topic: 'cataloging', details: 'happy to walk new catalogers through RDA and MARC' } as const;
const ASK = { kind: 'ask', topic: 'cataloging', questions: 'How did you get into cataloging? Which skills mattered most?', minutes: 20 } as const;

export function inboundContract(name: string, setup: () => Promise<InboundUnderTest>): void {
  describe(`inbound contract: ${name}`, () => {
    let t: InboundUnderTest;
    beforeEach(async () => {
      t = await setup();
    });
    afterEach(async () => t?.close());

    it('a command gets a private confirmation naming the topic, and the list shows it', async () => {
      const saved = await t.command(t.helper, OFFER);
      expect(saved.private).toBe(true);
      expect(saved.text).toMatch(/Offer #1 is live/);
      expect(saved.text).toContain('cataloging');
      const list = await t.command(t.helper, { kind: 'offers' });
      expect(list.private).toBe(true);
      expect(list.text).toContain('RDA and MARC');
    });

    it('bad input gets a private error naming what is wrong, and nothing is saved', async () => {
      const refused = await t.command(t.helper, { kind: 'offer', topic: 'cataloging', details: 'zanzibar workflows, ask @everyone to come' });
      expect(refused.private).toBe(true);
      expect(refused.text).toMatch(/mention syntax/i);
      expect(refused.text).not.toMatch(/Offer #\d+ is live/);
      const list = await t.command(t.helper, { kind: 'offers' });
      // The refused details would be listed, as typed, had they been saved.
      expect(list.text).not.toMatch(/zanzibar/i);
    });

    it('a form opens privately, and submitting it saves the offer and confirms', async () => {
      const form = await t.openForm(t.helper, 'offer-help');
      expect(form.private).toBe(true);
      expect(form.form).toEqual(expect.arrayContaining(['topic', 'details']));
      const submitted = await t.submitForm(t.helper, { topic: 'grant writing', details: 'I have written a dozen IMLS grants and can review drafts', capacity: '3' });
      expect(submitted.private).toBe(true);
      expect(submitted.text).toMatch(/Offer #1 is live/);
      expect(submitted.text).toContain('grant writing');
      const list = await t.command(t.helper, { kind: 'offers' });
      expect(list.text).toContain('IMLS grants');
    });

    it('a form with a bad field is refused privately, naming the problem, and nothing is saved', async () => {
      await t.openForm(t.helper, 'offer-help');
      const refused = await t.submitForm(t.helper, { topic: 'cataloging', details: 'zanzibar', capacity: '2' });
      expect(refused.private).toBe(true);
      expect(refused.text).toMatch(/at least 10 characters/);
      expect(refused.text).not.toMatch(/Offer #\d+ is live/);
      expect((await t.command(t.helper, { kind: 'offers' })).text).not.toMatch(/zanzibar/i);
    });

    it('a button: Accept on an invitation introduces both members', async () => {
      await t.command(t.helper, OFFER);
      const asked = await t.command(t.requester, ASK);
      expect(asked.private).toBe(true);
      expect(asked.text).toMatch(/Request #1/);
      const invitation = (await t.delivered(t.helper)).find((m) => m.includes('Which skills mattered most?'));
      expect(invitation, 'the helper was invited').toBeDefined();
      expect(await t.delivered(t.requester)).toEqual([]);

      const accepted = await t.press(t.helper, 'Accept');
      expect(accepted.private).toBe(true);
      expect(accepted.text).toContain('You accepted');
      const toRequester = (await t.delivered(t.requester)).join('\n');
      expect(toRequester).toContain('Which skills mattered most?');
      expect(toRequester).toContain(t.nameOf(t.helper));
      const requests = await t.command(t.requester, { kind: 'requests' });
      expect(requests.text).not.toContain('being offered around');
      expect(requests.text).toContain('no open intro requests');
    });
  });
}
