import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from './block-kit.ts';

const t = (text: string, type = 'plain_text') => ({ type, text });
const long = (n: number) => 'x'.repeat(n);
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', text: t('Go'), action_id: 'go', ...over });
const input = (over: Record<string, unknown> = {}) => ({
  type: 'input',
  label: t('Label'),
  element: { type: 'plain_text_input', action_id: 'a' },
  ...over,
});

/** Each limit: a block at the limit passes, one past it fails with a pointer to the field. */
const cases: { name: string; ok: unknown; bad: unknown; pointer: string }[] = [
  { name: 'section text ≤ 3000', ok: { type: 'section', text: t(long(3000), 'mrkdwn') }, bad: { type: 'section', text: t(long(3001), 'mrkdwn') }, pointer: '/blocks/0/text/text' },
  {
    name: 'section fields ≤ 10',
    ok: { type: 'section', fields: Array.from({ length: 10 }, () => t('f')) },
    bad: { type: 'section', fields: Array.from({ length: 11 }, () => t('f')) },
    pointer: '/blocks/0/fields',
  },
  { name: 'section field ≤ 2000', ok: { type: 'section', fields: [t(long(2000))] }, bad: { type: 'section', fields: [t(long(2001))] }, pointer: '/blocks/0/fields/0/text' },
  { name: 'button text ≤ 75', ok: { type: 'actions', elements: [button({ text: t(long(75)) })] }, bad: { type: 'actions', elements: [button({ text: t(long(76)) })] }, pointer: '/blocks/0/elements/0/text/text' },
  { name: 'action_id ≤ 255', ok: { type: 'actions', elements: [button({ action_id: long(255) })] }, bad: { type: 'actions', elements: [button({ action_id: long(256) })] }, pointer: '/blocks/0/elements/0/action_id' },
  { name: 'button value ≤ 2000', ok: { type: 'actions', elements: [button({ value: long(2000) })] }, bad: { type: 'actions', elements: [button({ value: long(2001) })] }, pointer: '/blocks/0/elements/0/value' },
  { name: 'header ≤ 150', ok: { type: 'header', text: t(long(150)) }, bad: { type: 'header', text: t(long(151)) }, pointer: '/blocks/0/text/text' },
  { name: 'input label ≤ 2000', ok: input({ label: t(long(2000)) }), bad: input({ label: t(long(2001)) }), pointer: '/blocks/0/label/text' },
  {
    name: 'plain_text_input max_length ≤ 3000',
    ok: input({ element: { type: 'plain_text_input', action_id: 'a', max_length: 3000 } }),
    bad: input({ element: { type: 'plain_text_input', action_id: 'a', max_length: 3001 } }),
    pointer: '/blocks/0/element/max_length',
  },
  { name: 'block_id ≤ 255', ok: { type: 'divider', block_id: long(255) }, bad: { type: 'divider', block_id: long(256) }, pointer: '/blocks/0/block_id' },
  {
    name: 'actions ≤ 25 elements',
    ok: { type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}` })) },
    bad: { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) },
    pointer: '/blocks/0/elements',
  },
  {
    name: 'context ≤ 10 elements',
    ok: { type: 'context', elements: Array.from({ length: 10 }, () => t('c', 'mrkdwn')) },
    bad: { type: 'context', elements: Array.from({ length: 11 }, () => t('c', 'mrkdwn')) },
    pointer: '/blocks/0/elements',
  },
];

describe('Block Kit limits', () => {
  it.each(cases)('$name', ({ ok, bad, pointer }) => {
    expect(validateBlocks([ok], 'message')).toEqual([]);
    const errors = validateBlocks([bad], 'message');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(`[json-pointer:${pointer}]`);
  });

  it('allows 50 blocks in a message and 100 in a view', () => {
    const div = { type: 'divider' };
    expect(validateBlocks(Array(50).fill(div), 'message')).toEqual([]);
    expect(validateBlocks(Array(51).fill(div), 'message')).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
    expect(validateView({ type: 'home', blocks: Array(100).fill(div) }, 'home')).toEqual([]);
    expect(validateView({ type: 'home', blocks: Array(101).fill(div) }, 'home')).toEqual([
      'no more than 100 items allowed [json-pointer:/view/blocks]',
    ]);
  });

  it('limits modal title, submit and close to 24 characters and wants submit with inputs', () => {
    const base = { type: 'modal', title: t(long(24)), submit: t(long(24)), close: t(long(24)), blocks: [input()] };
    expect(validateView(base, 'modal')).toEqual([]);
    for (const key of ['title', 'submit', 'close']) {
      expect(validateView({ ...base, [key]: t(long(25)) }, 'modal')).toEqual([
        `must be less than 25 characters [json-pointer:/view/${key}/text]`,
      ]);
    }
    expect(validateView({ ...base, submit: undefined }, 'modal')).toEqual([
      'must provide submit if there are input blocks [json-pointer:/view/submit]',
    ]);
  });

  it('rejects unknown block types, duplicate block_ids and mrkdwn where plain_text is required', () => {
    expect(validateBlocks([{ type: 'banner' }], 'message')).toEqual(['failed to match all allowed schemas [json-pointer:/blocks/0]']);
    expect(validateBlocks([{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }], 'message')).toEqual([
      'duplicate block_id: a [json-pointer:/blocks/1/block_id]',
    ]);
    expect(validateBlocks([{ type: 'header', text: t('h', 'mrkdwn') }], 'message')).toEqual([
      'must be plain_text [json-pointer:/blocks/0/text/type]',
    ]);
  });
});
