import { type Actor, type Core, type Form, type ManualClock, parseDuration, parseKeyValues, type Reply } from '../../src/index.ts';
import type { ConsolePort } from './port.ts';
import { renderForm, renderMessage } from './render.ts';

export const CONSOLE_HELP = `Console commands:
  <name>: /command text        run a command as <name>, e.g. alice: /offer-help cataloging: RDA and MARC basics
  <name>: press <label>        press a button on the newest message <name> received with that label
  <name>: field=value ...      answer the form <name> has open (quote values with spaces: details="...")
  <name>: cancel               close the form <name> has open
  :advance <duration>          move the clock (90m, 2h, 3d, 1w) and run what becomes due
  :now                         show the clock
  :help                        this help
A name seen for the first time becomes a member of the console community.`;

const NAME = /^([A-Za-z][A-Za-z0-9_.-]{0,31}):\s*(.*)$/;

/**
 * Drives the core from typed or replayed lines: the console adapter's whole
 * translation layer. It holds no rules; it only maps lines to core calls and
 * prints what comes back.
 */
export class ConsoleSession {
  private readonly openForms = new Map<string, Form>();
  private readonly displayNames = new Map<string, string>();

  constructor(
    private readonly core: Core,
    private readonly port: ConsolePort,
    private readonly clock: ManualClock,
    private readonly write: (text: string) => void,
    private readonly options: { communityName: string; moderators?: string[] } = { communityName: 'Console community' },
  ) {}

  /** The display name for a console user id (the lowercased name). */
  nameOf(platformUserId: string): string {
    return this.displayNames.get(platformUserId) ?? platformUserId;
  }

  async handleLine(raw: string): Promise<void> {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      this.write(line);
      return;
    }
    this.write(`> ${line}`);
    if (line.startsWith(':')) return this.meta(line);
    const match = NAME.exec(line);
    if (!match) {
      this.write('  (lines look like "alice: /offer-help ..." or ":advance 3d"; type :help)');
      return;
    }
    const name = match[1]!;
    const rest = match[2]!.trim();
    const userId = name.toLowerCase();
    if (!this.displayNames.has(userId)) this.displayNames.set(userId, name);
    const actor: Actor = {
      platform: 'console',
      communityPlatformId: 'console',
      communityName: this.options.communityName,
      user: { platformUserId: userId, displayName: this.nameOf(userId) },
      isModerator: (this.options.moderators ?? []).some((m) => m.toLowerCase() === userId),
    };
    if (rest.startsWith('/')) {
      const [, command = '', text = ''] = /^\/(\S+)\s*([\s\S]*)$/.exec(rest) ?? [];
      this.show(userId, await this.core.command(actor, command, text));
    } else if (/^press\s+/i.test(rest)) {
      await this.press(actor, userId, rest.replace(/^press\s+/i, ''));
    } else if (rest.toLowerCase() === 'cancel' && this.openForms.has(userId)) {
      this.openForms.delete(userId);
      this.write(`[private to ${this.nameOf(userId)}]\n  Form closed; nothing was saved.`);
    } else if (this.openForms.has(userId)) {
      await this.answerForm(actor, userId, rest);
    } else {
      this.write(`[private to ${this.nameOf(userId)}]\n  Commands start with a slash, e.g. /network help. Type :help for console commands.`);
    }
    await this.core.flush();
  }

  private async meta(line: string): Promise<void> {
    const [cmd, ...args] = line.slice(1).split(/\s+/);
    switch (cmd) {
      case 'help':
        this.write(CONSOLE_HELP);
        return;
      case 'now':
        this.write(`  clock: ${this.clock.now().toISOString()}`);
        return;
      case 'advance': {
        const ms = parseDuration(args.join(''));
        if (ms === null) {
          this.write('  :advance needs a duration such as 90m, 2h, 3d or 1w');
          return;
        }
        await this.advanceBy(ms);
        return;
      }
      default:
        this.write(`  unknown console command ":${cmd}"; type :help`);
    }
  }

  /**
   * Steps the clock from one due moment to the next, running what falls due at
   * each, so a simulated month sees every prompt, round and check-in on time.
   */
  private async advanceBy(ms: number): Promise<void> {
    const target = new Date(this.clock.now().getTime() + ms);
    for (;;) {
      const next = await this.core.nextEventAfter(this.clock.now());
      if (!next || next > target) break;
      this.clock.advanceTo(next);
      this.write(`  -- ${this.clock.now().toISOString()}`);
      await this.core.tick();
    }
    this.clock.advanceTo(target);
    await this.core.tick();
    this.write(`  clock: ${this.clock.now().toISOString()}`);
  }

  private async press(actor: Actor, userId: string, label: string): Promise<void> {
    const found = this.port.findButton(userId, label);
    if (!found) {
      this.write(`[private to ${this.nameOf(userId)}]\n  There is no "${label}" button on your recent messages.`);
      return;
    }
    const reply = await this.core.action(actor, found.actionId, found.payload);
    if (reply.update) {
      this.port.replace(found.delivered.messageId, reply.update, `message updated for ${this.nameOf(userId)}`);
    }
    this.show(userId, { ...reply, update: undefined });
  }

  private async answerForm(actor: Actor, userId: string, text: string): Promise<void> {
    const form = this.openForms.get(userId)!;
    const values = parseKeyValues(text);
    if (!values) {
      this.write(`[private to ${this.nameOf(userId)}]\n  Answer the form as field=value pairs, e.g. ${form.fields[0]?.name ?? 'field'}="...", or "cancel".`);
      return;
    }
    for (const field of form.fields) if (values[field.name] === undefined && field.initial) values[field.name] = field.initial;
    const reply = await this.core.submitForm(actor, form.formId, values, form.payload ?? '');
    if (reply.fieldErrors) {
      const lines = Object.entries(reply.fieldErrors).map(([field, problem]) => `  ${field}: ${problem}`);
      this.write([`[form for ${this.nameOf(userId)} still open: please fix]`, ...lines].join('\n'));
      return;
    }
    this.openForms.delete(userId);
    this.show(userId, reply);
  }

  private show(userId: string, reply: Reply): void {
    if (reply.duplicate) return;
    if (reply.reply && reply.reply.blocks.length) {
      this.port.rememberReply(userId, reply.reply);
      this.write(renderMessage(`private to ${this.nameOf(userId)}`, reply.reply));
    }
    if (reply.update) this.write(renderMessage(`message updated for ${this.nameOf(userId)}`, reply.update));
    if (reply.form) {
      this.openForms.set(userId, reply.form);
      this.write(renderForm(this.nameOf(userId), reply.form));
    }
  }
}
