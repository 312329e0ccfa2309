import { describe, expect, test } from 'vitest';
import { escapeText, renderMessage, renderSpans, splitMrkdwn, LIMITS } from '../../../adapters/slack/render.ts';
import { homeView } from '../../../adapters/slack/home.ts';
import { actions, b, button, fields, heading, i, link, list, mention, message, p, spans } from '../../../src/messages/build.ts';
import type { Message } from '../../../src/messages/model.ts';
import { validateBlocks, validateView } from '../../fakes/slack/index.ts';

/** Every real mention in rendered mrkdwn: `<@U…>`, `<!…>` or `<#C…>`. */
function pings(text: string): string[] {
  return text.match(/<[@!#][^>]*>/g) ?? [];
}

describe('Block Kit rendering', () => {
  test('member text cannot ping: <!channel>, <!here> and <@U123> are escaped in blocks and fallback', () => {
    const typed = 'Hi <!channel> and <!here>, ask <@U123> & <#C999|general> <!subteam^S1>';
    const msg = message(p(typed), fields([['Name', typed]]), list([[typed]]), p(b(typed), ' ', i(typed)));
    const out = renderMessage(msg);
    const everything = [out.text, JSON.stringify(out.blocks)].join('\n');
    expect(pings(everything)).toEqual([]);
    expect(out.text).toContain('&lt;!channel&gt;');
    expect(everything).toContain('&amp;');
    expect(validateBlocks(out.blocks, 'message')).toEqual([]);
  });

  test('the only real mention is a mention span', () => {
    const text = renderSpans([mention('U0ALICE01', 'Alice'), { kind: 'text', text: ' meet <@U0EVIL>' }]);
    expect(pings(text)).toEqual(['<@U0ALICE01>']);
    // A mention span with a malformed id degrades to inert text.
    expect(pings(renderSpans([mention('<!channel>', 'x')]))).toEqual([]);
  });

  test('bold, italic and links use Slack mrkdwn with escaped labels', () => {
    expect(renderSpans(spans(b('Topic'), ' ', i('why')))).toBe('*Topic* _why_');
    expect(renderSpans([b(' padded ')])).toBe(' *padded* ');
    expect(renderSpans([link('https://example.org/a?b=1&c=2', 'A <b> | c')])).toBe('<https://example.org/a?b=1&c=2|A &lt;b&gt; ¦ c>');
    // Only web and mail links become links; anything else is shown as its label.
    expect(renderSpans([link('javascript:alert(1)', 'x')])).toBe('x');
  });

  test('escapeText escapes exactly &, < and >', () => {
    expect(escapeText('a & b < c > d "e"')).toBe('a &amp; b &lt; c &gt; d "e"');
  });

  test('long paragraphs split into sections under 3000 characters without breaking entities', () => {
    const long = 'word & <x> '.repeat(900);
    const out = renderMessage(message(p(long)));
    expect(out.blocks.length).toBeGreaterThan(1);
    for (const block of out.blocks) {
      const text = (block.text as { text: string }).text;
      expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(text).not.toMatch(/&[a-z]*$/);
    }
    expect(validateBlocks(out.blocks, 'message')).toEqual([]);
    expect(splitMrkdwn('', 10)).toEqual(['']);
  });

  test('more than 50 blocks are trimmed with a visible "…more" and the buttons are kept', () => {
    const many: Message = message(...Array.from({ length: 80 }, (_, n) => p(`Paragraph ${n}`)), actions(button('intro.accept', 'Accept', 'm1')));
    const out = renderMessage(many);
    expect(out.blocks).toHaveLength(LIMITS.messageBlocks);
    expect(JSON.stringify(out.blocks)).toContain('…more');
    expect(out.blocks.at(-1)!.type).toBe('actions');
    expect(validateBlocks(out.blocks, 'message')).toEqual([]);
  });

  test('button labels over 75 characters, long headers and many fields stay within limits', () => {
    const msg = message(
      heading('H'.repeat(300)),
      fields(Array.from({ length: 23 }, (_, n) => [`Field ${n}`, 'v'.repeat(2500)] as [string, string])),
      actions(...Array.from({ length: 30 }, (_, n) => button(`a.${n}`, 'L'.repeat(100), 'x'.repeat(2500)))),
    );
    const out = renderMessage(msg);
    expect(validateBlocks(out.blocks, 'message')).toEqual([]);
    const buttons = out.blocks.filter((bl) => bl.type === 'actions').flatMap((bl) => bl.elements as { text: { text: string } }[]);
    expect(buttons).toHaveLength(30);
    expect(buttons[0]!.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
    expect(buttons[0]!.text.text.endsWith('…')).toBe(true);
  });

  test('buttons carry the neutral action id and payload', () => {
    const out = renderMessage(message(actions(button('intro.accept', 'Accept', 'match-1', 'primary'))));
    expect(out.blocks[0]).toMatchObject({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'intro.accept', value: 'match-1', style: 'primary', text: { type: 'plain_text', text: 'Accept' } }],
    });
  });

  test('an App Home view stays within 100 blocks', () => {
    const big = message(...Array.from({ length: 150 }, (_, n) => p(`Row ${n}`)));
    const view = homeView(big);
    expect((view.blocks as unknown[]).length).toBe(LIMITS.viewBlocks);
    expect(validateView(view, 'home')).toEqual([]);
    expect(validateView(homeView(message()), 'home')).toEqual([]);
  });
});
