import type { Block, Button, Message, Span } from './model.ts';

/**
 * Small builders so copy reads like prose: `p('Thanks, ', b(name), '!')`.
 * Plain strings become text spans; renderers escape every text span.
 */
export type Inline = string | Span;

function toSpan(part: Inline): Span {
  return typeof part === 'string' ? { kind: 'text', text: part } : part;
}

export const spans = (...parts: Inline[]): Span[] => parts.map(toSpan);
export const b = (...parts: Inline[]): Span => ({ kind: 'bold', children: spans(...parts) });
export const i = (...parts: Inline[]): Span => ({ kind: 'italic', children: spans(...parts) });
export const link = (url: string, label: string): Span => ({ kind: 'link', url, label });
export const mention = (platformUserId: string, name: string): Span => ({ kind: 'mention', platformUserId, name });

export const p = (...parts: Inline[]): Block => ({ kind: 'paragraph', spans: spans(...parts) });
export const heading = (text: string): Block => ({ kind: 'heading', text });
export const list = (items: Inline[][]): Block => ({ kind: 'list', items: items.map((item) => spans(...item)) });
export const fields = (entries: [string, Inline | Inline[]][]): Block => ({
  kind: 'fields',
  fields: entries.map(([label, value]) => ({ label, value: Array.isArray(value) ? spans(...value) : spans(value) })),
});
export const divider = (): Block => ({ kind: 'divider' });
export const actions = (...buttons: Button[]): Block => ({ kind: 'actions', buttons });
export const button = (actionId: string, label: string, payload: string, style?: Button['style']): Button =>
  style ? { actionId, label, payload, style } : { actionId, label, payload };

export const message = (...blocks: Block[]): Message => ({ blocks });

/** How one platform writes each kind of span; renderers differ only in this. */
export interface SpanStyle {
  /** Member or bot text; the style escapes it for its platform. */
  text(text: string): string;
  bold(inner: string): string;
  italic(inner: string): string;
  link(url: string, label: string): string;
  /** The only way a rendered message may notify someone. */
  mention(platformUserId: string, name: string): string;
}

/** Renders spans with a platform's style, recursing into bold and italic. */
export function foldSpans(parts: Span[], style: SpanStyle): string {
  return parts
    .map((s) => {
      switch (s.kind) {
        case 'text':
          return style.text(s.text);
        case 'bold':
          return style.bold(foldSpans(s.children, style));
        case 'italic':
          return style.italic(foldSpans(s.children, style));
        case 'link':
          return style.link(s.url, s.label);
        case 'mention':
          return style.mention(s.platformUserId, s.name);
      }
    })
    .join('');
}

const PLAIN: SpanStyle = {
  text: (t) => t,
  bold: (inner) => inner,
  italic: (inner) => inner,
  link: (url, label) => `${label} (${url})`,
  mention: (_id, name) => `@${name}`,
};

/** Plain text of spans, for fallbacks, logs and the console. */
export function plainSpans(parts: Span[]): string {
  return foldSpans(parts, PLAIN);
}

/** A one-line summary of a message: the platforms' notification/fallback text. */
export function plainText(msg: Message): string {
  const lines: string[] = [];
  for (const block of msg.blocks) {
    switch (block.kind) {
      case 'heading':
        lines.push(block.text);
        break;
      case 'paragraph':
        lines.push(plainSpans(block.spans));
        break;
      case 'list':
        for (const item of block.items) lines.push(`• ${plainSpans(item)}`);
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${f.label}: ${plainSpans(f.value)}`);
        break;
      case 'actions':
      case 'divider':
        break;
    }
  }
  return lines.join('\n');
}

/** Every button in a message, in order. */
export function buttonsOf(msg: Message): Button[] {
  return msg.blocks.flatMap((block) => (block.kind === 'actions' ? block.buttons : []));
}

/** Platform user ids a message deliberately mentions; the only pings adapters allow. */
export function mentionedUsers(msg: Message): string[] {
  const found = new Set<string>();
  const walk = (parts: Span[]): void => {
    for (const s of parts) {
      if (s.kind === 'mention') found.add(s.platformUserId);
      else if (s.kind === 'bold' || s.kind === 'italic') walk(s.children);
    }
  };
  for (const block of msg.blocks) {
    if (block.kind === 'paragraph') walk(block.spans);
    else if (block.kind === 'list') block.items.forEach(walk);
    else if (block.kind === 'fields') block.fields.forEach((f) => walk(f.value));
  }
  return [...found];
}
