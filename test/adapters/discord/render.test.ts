import { ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../../adapters/discord/custom-id.ts';
import { MODAL_LIMITS, renderModal } from '../../../adapters/discord/modals.ts';
import { escapeText, LIMITS, messageBodies, messageRequests, renderFiles, renderMessage, splitContent, trimContent } from '../../../adapters/discord/render.ts';
import { formTooLarge } from '../../../adapters/discord/copy.ts';
import { introForm } from '../../../src/commands/intro-request.ts';
import { setupForm } from '../../../src/commands/network-admin.ts';
import { defaultSettings } from '../../../src/settings.ts';
import type { MessageFile } from '../../../src/messages/model.ts';
import { testConfig } from '../../support/harness.ts';
import { offerForm } from '../../../src/commands/offer-help.ts';
import { actions, b, button, fields, heading, i, link, list, mention, message, p } from '../../../src/messages/build.ts';
import { computePings } from '../../fakes/discord/mentions.ts';

const ALICE = '111111111111111111';
const BOB = '222222222222222222';
const GUILD = '999999999999999999';

/** Who a rendered body would notify, by the fake's implementation of Discord's rules. */
function pings(body: Record<string, unknown>) {
  return computePings(body);
}

describe('escapeText', () => {
  it('makes group, role, user and channel mentions inert and keeps them readable', () => {
    const out = escapeText('@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678>');
    expect(out).not.toMatch(/@everyone|@here|<@\d|<@&|(?<!\\)<#/);
    expect(out.replace(/\u200b|\\/g, '')).toBe('@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678>');
  });

  it('escapes inline markdown and line-start markers, but not ordinary punctuation', () => {
    expect(escapeText('**bold** _it_ ~~s~~ `code` ||spoiler|| [x](https://evil.test)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[x\\](https://evil.test)',
    );
    expect(escapeText('# title\n- item\n-# small\n1. one\n> quote')).toBe('\\# title\n\\- item\n\\-# small\n1\\. one\n\\> quote');
    expect(escapeText('weekday-evenings, #1, 3.5 hours')).toBe('weekday-evenings, #1, 3.5 hours');
  });
});

describe('renderMessage', () => {
  it('renders structure as markdown and only mention spans as mentions', () => {
    const r = renderMessage(
      message(
        heading('Introduction'),
        p(mention(ALICE, 'Alice'), ', meet ', mention(BOB, 'Bob'), ' about ', b('archives'), '.'),
        fields([['Topic', '@everyone archives']]),
        list([['one'], [i('two')]]),
        p(link('https://example.org/x', 'guide')),
      ),
    );
    expect(r.contents).toHaveLength(1);
    const content = r.contents[0]!;
    expect(content).toContain(`**Introduction**\n<@${ALICE}>, meet <@${BOB}> about **archives**.`);
    expect(content).toContain('**Topic:** @\u200beveryone archives');
    expect(content).toContain('• *two*');
    expect(content).toContain('[guide](<https://example.org/x>)');
    expect(r.users).toEqual([ALICE, BOB]);
  });

  it('pings exactly the mention spans, whatever the member text says', () => {
    const hostile = `@everyone @here <@${BOB}> <@&${BOB}> **x**`;
    const [body] = messageBodies(renderMessage(message(p(mention(ALICE, 'Alice'), ' ', hostile))));
    expect(body!.allowed_mentions).toEqual({ parse: [], users: [ALICE] });
    const result = pings(body as Record<string, unknown>);
    expect(result.users).toEqual([ALICE]);
    expect(result.roles).toEqual([]);
    expect(result.everyone).toBe(false);
  });

  it('a display name of "@everyone" in bold stays inert', () => {
    const [body] = messageBodies(renderMessage(message(p(b('@everyone'), ' would like a conversation'))));
    expect(body!.content).toBe('**@\u200beveryone** would like a conversation');
    expect(pings(body as Record<string, unknown>).everyone).toBe(false);
  });

  it('puts buttons in rows of five, at most five rows, with ids of at most 100 and labels of at most 80', () => {
    const many = Array.from({ length: 30 }, (_, n) => button('intro.accept', `Option ${n} ${'x'.repeat(n === 0 ? 100 : 0)}`, `m${n}`));
    const r = renderMessage(message(p('Pick one'), actions(...many, button('intro.accept', 'Too long', 'y'.repeat(100)))), { guildId: GUILD });
    expect(r.components).toHaveLength(LIMITS.actionRows);
    for (const row of r.components) {
      expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
      for (const btn of row.components) {
        expect(btn.type).toBe(ComponentType.Button);
        expect(btn.custom_id.length).toBeLessThanOrEqual(100);
        expect(btn.label!.length).toBeLessThanOrEqual(80);
      }
    }
    expect(r.components[0]!.components[0]!.custom_id).toBe(`${GUILD}/intro.accept:m0`);
    expect(r.contents.at(-1)).toContain('more options are not shown');
  });

  it('splits long content into messages of at most 2000 characters, buttons on the last', () => {
    const long = Array.from({ length: 60 }, (_, n) => p(`Paragraph ${n}: ${'word '.repeat(20)}`));
    const r = renderMessage(message(...long, actions(button('a.b', 'Go', '1'))));
    expect(r.contents.length).toBeGreaterThan(1);
    for (const part of r.contents) expect(part.length).toBeLessThanOrEqual(LIMITS.content);
    const bodies = messageBodies(r);
    expect(bodies.at(-1)!.components).toHaveLength(1);
    expect(bodies[0]!.components).toHaveLength(0);
    expect(r.contents.join('\n')).toContain('Paragraph 59');
  });

  it('trims visibly when a message would need too many parts, and for edits', () => {
    const huge = Array.from({ length: 400 }, (_, n) => p(`Line ${n} ${'z'.repeat(40)}`));
    const r = renderMessage(message(...huge));
    expect(r.contents).toHaveLength(LIMITS.chunks);
    expect(r.contents.at(-1)!.endsWith('…(more)')).toBe(true);
    const edit = renderMessage(message(...huge), { maxParts: 1 });
    expect(edit.contents).toHaveLength(1);
    expect(edit.contents[0]!.length).toBeLessThanOrEqual(LIMITS.content);
    expect(edit.contents[0]!.endsWith('…(more)')).toBe(true);
  });

  it('never cuts through an escape or a mention', () => {
    const text = `${'a'.repeat(1998)}\\*`;
    const parts = splitContent(text, 2000);
    expect(parts[0]!.endsWith('\\')).toBe(false);
    const withMention = `${'b '.repeat(990)}<@${ALICE}> end`;
    expect(trimContent(withMention, 1990)).not.toMatch(/<@\d*$/);
  });

  it('never sends an empty message', () => {
    expect(renderMessage(message()).contents).toEqual(['Done.']);
  });
});

describe('custom ids', () => {
  it('round-trips action, payload and guild, and refuses ids over 100 characters', () => {
    expect(decodeCustomId(encodeCustomId('intro.accept', 'abc:def', GUILD)!)).toEqual({ guildId: GUILD, id: 'intro.accept', payload: 'abc:def' });
    expect(decodeCustomId('intro.accept:xyz')).toEqual({ guildId: null, id: 'intro.accept', payload: 'xyz' });
    expect(encodeCustomId('a', 'x'.repeat(99))).toBeNull();
    expect(decodeCustomId('no-colon')).toBeNull();
  });
});

describe('renderModal', () => {
  it('turns a form into at most 5 labelled text inputs, select fields listing their values, prefilled', () => {
    const modal = renderModal(introForm(), { guildId: GUILD, prefill: { topic: 'archives', length: '30' } })!;
    expect(modal.custom_id).toBe(`${GUILD}/intro-request:`);
    expect(modal.title.length).toBeLessThanOrEqual(MODAL_LIMITS.title);
    expect(modal.components.length).toBeLessThanOrEqual(MODAL_LIMITS.inputs);
    const byId = Object.fromEntries(
      modal.components.map((c) => {
        const label = c as { label: string; description?: string; component: { custom_id: string; value?: string; style: number } };
        return [label.component.custom_id, label];
      }),
    );
    expect(byId.topic!.component.value).toBe('archives');
    expect(byId.length!.component.value).toBe('30');
    expect(byId.length!.description).toBe('One of: 15, 20, 30');
    expect(byId.questions!.component.style).toBe(2);
    for (const c of Object.values(byId)) expect(c.label.length).toBeLessThanOrEqual(MODAL_LIMITS.label);
  });

  it('uses the form default when nothing was given, and refuses a route too long for a custom id', () => {
    const modal = renderModal(offerForm())!;
    const capacity = modal.components.find((c) => (c as { component: { custom_id: string } }).component.custom_id === 'capacity') as { component: { value?: string } };
    expect(capacity.component.value).toBe('2');
    expect(renderModal({ ...offerForm(), payload: 'p'.repeat(120) })).toBeNull();
  });
});

describe('files', () => {
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const file = (name: string, data: Buffer, mimeType = 'application/octet-stream'): MessageFile => ({ name, mimeType, base64: data.toString('base64') });

  it('uploads the bytes under their names with the last part, each named in attachments by index', () => {
    const csv = Buffer.from('week,introductions\n2026-01-05,3\n');
    const long = Array.from({ length: 60 }, (_, n) => p(`Paragraph ${n}: ${'word '.repeat(20)}`));
    const r = renderMessage({ ...message(...long), files: [file('chart.png', PNG, 'image/png'), file('stats.csv', csv, 'text/csv')] });
    const requests = messageRequests(r);
    expect(requests.length).toBeGreaterThan(1);
    for (const req of requests.slice(0, -1)) {
      expect(req.files).toBeUndefined();
      expect(req.body.attachments).toBeUndefined();
    }
    const last = requests.at(-1)!;
    expect(last.files!.map((f) => [f.name, f.contentType])).toEqual([
      ['chart.png', 'image/png'],
      ['stats.csv', 'text/csv'],
    ]);
    expect(Buffer.from(last.files![0]!.data as Buffer).equals(PNG)).toBe(true);
    expect(Buffer.from(last.files![1]!.data as Buffer).toString()).toBe(csv.toString());
    expect(last.body.attachments).toEqual([
      { id: 0, filename: 'chart.png' },
      { id: 1, filename: 'stats.csv' },
    ]);
    expect(messageBodies(r).at(-1)!.attachments).toHaveLength(2);
  });

  it('attaches at most 10 files within the size limit and names the rest visibly', () => {
    const files = Array.from({ length: 12 }, (_, n) => file(`f${n}.csv`, Buffer.from(`n,${n}`)));
    files.splice(1, 0, file('huge.png', Buffer.alloc(LIMITS.fileBytes + 1), 'image/png'));
    const r = renderMessage({ ...message(p('Your export is attached.')), files });
    expect(r.files).toHaveLength(LIMITS.files);
    expect(r.files.map((f) => f.name)).toEqual(Array.from({ length: 10 }, (_, n) => `f${n}.csv`));
    expect(r.contents.at(-1)).toContain("not attached, over Discord's file limits: huge.png, f10.csv, f11.csv");
    expect(renderFiles([file('a.csv', Buffer.from('12345'))], 4).omitted).toEqual(['a.csv']);
  });

  it('keeps filenames plain', () => {
    expect(renderFiles([file('../my data (1).json', Buffer.from('{}'))]).files[0]!.name).toBe('my_data_1_.json');
  });

  it('never sends an empty message with files alone', () => {
    const r = renderMessage({ blocks: [], files: [file('a.csv', Buffer.from('x'))] });
    expect(r.contents).toEqual(['Done.']);
    expect(r.files).toHaveLength(1);
  });
});

describe('forms larger than a modal', () => {
  it('lists every field as an option with its current value instead of cutting the form', () => {
    const settings = { ...defaultSettings(testConfig()), introChannelId: '123456789012345678' };
    const form = setupForm(settings);
    expect(form.fields.length).toBeGreaterThan(MODAL_LIMITS.inputs);
    const text = renderMessage(formTooLarge(form, '/network-admin setup')).contents.join('\n');
    expect(text).toContain('**/network-admin setup**');
    for (const f of form.fields) expect(text).toContain(`**${f.name.replace(/_/g, '\\_')}**`);
    expect(text).toContain('123456789012345678');
    expect(text).toContain(settings.timeZone.replace(/_/g, '\\_'));
  });
});
