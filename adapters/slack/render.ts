import { type Block, type Button, foldSpans, type Message, plainText, type Span, type SpanStyle } from '../../src/index.ts';

/**
 * Block Kit rendering of the neutral message model. Two promises hold here and
 * nowhere else: member text can never ping (every text span is escaped, so a
 * typed `<!channel>` shows as text), and nothing we send breaks a Block Kit
 * limit (long content is split or trimmed with a visible "…more" instead of
 * Slack answering `invalid_blocks`).
 */

/** The Block Kit limits we render within (https://api.slack.com/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  fallbackText: 3000,
} as const;

/** A Block Kit block as JSON; the adapter only builds, never reads, these. */
export type SlackBlock = Record<string, unknown>;

/** What `chat.postMessage`, `chat.update` and `respond()` need: blocks plus the notification text. */
export interface RenderedMessage {
  text: string;
  blocks: SlackBlock[];
}

const MORE = '…more';

/** Escapes the three characters Slack treats as control sequences in mrkdwn and `text`. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ZWSP = '\u200B';

/**
 * Text shown inside mrkdwn, made inert: escaped (`&`, `<`, `>`), and every mrkdwn formatting marker
 * (`*` bold, `_` italic, `~` strike, `` ` `` code) fenced by zero-width spaces, so `*bold*` typed by
 * a member shows as typed instead of formatting. Slack only formats a marker that touches a word
 * boundary (start, whitespace or punctuation) on its outer side and text on its inner side; a
 * zero-width space on both sides is neither. Slack documents no escape for these markers, so this
 * is the usual workaround; the characters shown are unchanged. Markers inside a word stay as they are. A `>` starting a line (a quote) is
 * fenced the same way. Formatting the core asks for comes only from bold/italic spans.
 */
export function inertText(text: string): string {
  return escapeText(text)
    .replace(/[*_~`]/g, (m, at: number, all: string) => (m !== '`' && WORDY.test(all[at - 1] ?? '') && WORDY.test(all[at + 1] ?? '') ? m : `${ZWSP}${m}${ZWSP}`))
    .replace(/(^|\n)&gt;/g, `$1${ZWSP}&gt;`);
}

/**
 * A marker between two letters or digits (prompt_channel, a*b) can neither open nor close
 * formatting on Slack, so it is left alone: text copied from a message (a usage line, a
 * key=value example) then pastes back exactly.
 */
const WORDY = /^[\p{L}\p{N}]$/u;

/** Cuts plain text to `max` characters, ending with an ellipsis when anything was cut. */
export function trimPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Cuts mrkdwn to `max` characters without splitting an entity (`&amp;`) or a
 * `<…>` token, ending with a visible "…more".
 */
export function trimMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - MORE.length - 1);
  const amp = text.lastIndexOf('&', cut);
  if (amp >= 0 && text.indexOf(';', amp) >= cut) cut = amp;
  const open = text.lastIndexOf('<', cut);
  if (open >= 0 && text.indexOf('>', open) >= cut) cut = open;
  return `${text.slice(0, cut).trimEnd()} ${MORE}`;
}

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s]+$/i;

const SLACK_STYLE: SpanStyle = {
  text: inertText,
  bold: (inner) => wrap('*', inner),
  italic: (inner) => wrap('_', inner),
  link: (url, rawLabel) => {
    const label = inertText(rawLabel).replace(/\|/g, '¦');
    if (!SAFE_URL.test(url)) return label;
    return `<${url.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C')}|${label}>`;
  },
  mention: (id, name) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : inertText(`@${name}`)),
};

/** Inline spans as mrkdwn. Only `mention` spans produce a real `<@U…>`. */
export function renderSpans(spans: Span[]): string {
  return foldSpans(spans, SLACK_STYLE);
}

/** Slack only formats `*x*` when the markers hug the text, so whitespace moves outside. */
function wrap(marker: string, inner: string): string {
  // trimStart/trimEnd remove exactly what \s matches, in linear time (no backtracking pattern).
  const core = inner.trim();
  if (!core) return inner;
  const lead = inner.slice(0, inner.length - inner.trimStart().length);
  const trail = inner.slice(inner.trimEnd().length);
  return `${lead}${marker}${core}${marker}${trail}`;
}

/** Splits long mrkdwn into chunks at line or word breaks, never inside a `<…>` or `&…;`. */
export function splitMrkdwn(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    const open = rest.lastIndexOf('<', cut);
    if (open > 0 && rest.indexOf('>', open) >= cut) cut = open;
    const amp = rest.lastIndexOf('&', cut);
    if (amp > 0 && rest.indexOf(';', amp) >= cut) cut = amp;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length || chunks.length === 0) chunks.push(rest);
  return chunks;
}

function section(text: string): SlackBlock[] {
  return splitMrkdwn(text, LIMITS.sectionText).map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: chunk || ' ' } }));
}

/** A neutral button as a Block Kit button; `action_id` and `value` carry the core's routing. */
export function renderButton(button: Button): SlackBlock {
  return {
    type: 'button',
    action_id: button.actionId.slice(0, LIMITS.actionId),
    text: { type: 'plain_text', text: trimPlain(button.label, LIMITS.buttonText), emoji: true },
    value: button.payload.slice(0, LIMITS.buttonValue),
    ...(button.style ? { style: button.style } : {}),
  };
}

function renderBlock(block: Block): SlackBlock[] {
  switch (block.kind) {
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: trimPlain(block.text, LIMITS.headerText) || ' ', emoji: true } }];
    case 'paragraph':
      return section(renderSpans(block.spans));
    case 'list':
      return section(block.items.map((item) => `• ${renderSpans(item)}`).join('\n'));
    case 'fields': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < block.fields.length; i += LIMITS.sectionFields) {
        const fields = block.fields.slice(i, i + LIMITS.sectionFields).map((f) => ({
          type: 'mrkdwn',
          text: trimMrkdwn(`*${escapeText(f.label)}*\n${renderSpans(f.value)}`, LIMITS.fieldText),
        }));
        out.push({ type: 'section', fields });
      }
      return out;
    }
    case 'actions': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < block.buttons.length; i += LIMITS.actionsElements) {
        out.push({ type: 'actions', elements: block.buttons.slice(i, i + LIMITS.actionsElements).map(renderButton) });
      }
      return out;
    }
    case 'divider':
      return [{ type: 'divider' }];
  }
}

/**
 * Renders blocks within a block budget. When the content needs more, the last
 * block says how much was left out, and every actions block is kept if it fits,
 * because a message whose buttons were trimmed away could not be answered.
 */
export function renderBlocks(msg: Message, maxBlocks: number): SlackBlock[] {
  const all = msg.blocks.flatMap(renderBlock);
  if (all.length <= maxBlocks) return all;
  const actionBlocks = all.filter((b) => b.type === 'actions');
  const keepActions = actionBlocks.length < maxBlocks / 2 ? actionBlocks : [];
  const room = maxBlocks - 1 - keepActions.length;
  const content = all.filter((b) => !keepActions.includes(b));
  const shown = content.slice(0, room);
  const hidden = content.length - shown.length;
  const note: SlackBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${MORE} (${hidden} more ${hidden === 1 ? 'part' : 'parts'} not shown here)` }],
  };
  return [...shown, note, ...keepActions];
}

/**
 * A message for `chat.postMessage`/`respond()`: blocks within the 50-block limit
 * and the escaped plain-text fallback Slack uses for notifications. The fallback
 * is escaped too, because Slack parses `<!channel>` in `text` as well.
 */
export function renderMessage(msg: Message): RenderedMessage {
  const text = trimMrkdwn(escapeText(plainText(msg)), LIMITS.fallbackText) || ' ';
  return { text, blocks: renderBlocks(msg, LIMITS.messageBlocks) };
}
