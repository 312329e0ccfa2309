import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inertText, renderMessage, renderSpans } from '../../adapters/slack/render.ts';
import { b, fields, i, link, list, message, p, spans } from '../../src/messages/build.ts';

/**
 * Issue 12 item 13: member text rendered for Slack must show as typed. Slack formats `*b*`, `_i_`,
 * `~s~` and `` `c` `` when a marker has a word boundary outside and text inside; member text now
 * fences every marker with zero-width spaces. Formatting asked for by the core (bold and italic
 * spans) still renders.
 */

/** Slack's formatting rule, approximately: a marker pair hugging text, with boundaries outside. */
function formatted(mrkdwn: string): string[] {
  const out: string[] = [];
  for (const m of ['*', '_', '~', '`']) {
    const e = `\\${m}`;
    const re = new RegExp(`(?:^|[\\s(\\[{"'.,:;!?])${e}(?=[^\\s${e}])([^${e}\\n]*?[^\\s${e}])${e}(?=$|[\\s)\\]}"'.,:;!?])`, 'g');
    for (const hit of mrkdwn.matchAll(re)) out.push(hit[0].trim());
  }
  return out;
}

const ZWSP = /\u200B/g;
const unescape = (s: string) => s.replace(ZWSP, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('Slack mrkdwn in member text', () => {
  const typed = 'Try *bold*, _italic_, ~strike~ and `code`, or ```block``` and *multi word bold*.';

  it('member text formats nothing, wherever it is shown', () => {
    const msg = message(p(typed), fields([['What they want to learn', typed]]), list([[typed]]), p(link('https://example.org', typed)));
    const values = JSON.stringify(renderMessage(msg).blocks).match(/"text":"(?:[^"\\]|\\.)*"/g)!.map((t) => JSON.parse(t.slice(7)) as string);
    expect(values.length).toBeGreaterThanOrEqual(4);
    // The only formatting left is the core's own field label.
    expect(values.flatMap(formatted)).toEqual(['*What they want to learn*']);
    // Inside the core's bold and italic, member text is inert too: one pair of markers each.
    const bold = renderSpans(spans(b('Topic: ', typed)));
    expect(bold.startsWith('*Topic: ') && bold.endsWith('*')).toBe(true);
    expect(formatted(bold.slice(1, -1))).toEqual([]);
    const italic = renderSpans(spans(i(typed)));
    expect(italic.startsWith('_Try') && italic.endsWith('_')).toBe(true);
    expect(formatted(italic.slice(1, -1))).toEqual([]);
    expect(formatted(renderSpans(spans(typed)))).toEqual([]);
    expect(formatted(renderSpans(spans('> quoted line\nnext')))).toEqual([]);
    expect(renderSpans(spans('> quoted'))).toBe('\u200B&gt; quoted');
  });

  it('leaves markers inside words alone, so usage lines copy and paste back exactly', () => {
    const usage = '/network-admin setup prompt_channel=#general prompt_day=monday time_zone=Europe/London';
    expect(renderSpans(spans(usage))).toBe(usage);
    expect(renderSpans(spans('snake_case and 2*3'))).toBe('snake_case and 2*3');
    expect(renderSpans(spans('_x_'))).toBe('\u200B_\u200Bx\u200B_\u200B');
  });

  it('the core\'s bold and italic still render', () => {
    expect(renderSpans(spans(b('Topic'), ' ', i('why')))).toBe('*Topic* _why_');
    expect(formatted(renderSpans(spans(b('Topic'), ' and ', i('why'))))).toEqual(['*Topic*', '_why_']);
  });

  it('shows exactly the characters typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '~', '`', '>', '<', '&', ' ', '\n', 'a', 'b', 'é', '😀') }), (text) => {
        const out = inertText(text);
        expect(unescape(out)).toBe(text.replace(ZWSP, ''));
        expect(formatted(out)).toEqual([]);
        expect(out).not.toMatch(/(^|\n)&gt;/);
      }),
      { numRuns: 2000 },
    );
  });
});
