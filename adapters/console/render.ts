import { type Block, foldSpans, type Form, type Message, type Span, type SpanStyle } from '../../src/index.ts';

/**
 * Plain-text rendering for a terminal. Bold shows as *text*; member text is
 * printed as typed (a terminal has nothing to ping), with control characters
 * already refused by the core.
 */
const CONSOLE_STYLE: SpanStyle = {
  text: (t) => t,
  bold: (inner) => `*${inner}*`,
  italic: (inner) => `_${inner}_`,
  link: (url, label) => `${label} (${url})`,
  mention: (_id, name) => `@${name}`,
};

function inline(spans: Span[]): string {
  return foldSpans(spans, CONSOLE_STYLE);
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'heading':
      return [`== ${b.text} ==`];
    case 'paragraph':
      return [inline(b.spans)];
    case 'list':
      return b.items.map((item) => `  - ${inline(item)}`);
    case 'fields':
      return b.fields.map((f) => `  ${f.label}: ${inline(f.value)}`);
    case 'actions':
      return [b.buttons.map((btn) => `[${btn.label}]`).join(' ')];
    case 'divider':
      return ['----'];
  }
}

/** Attached files: text files are shown in full, binary ones by name and size. */
function files(msg: Message): string[] {
  return (msg.files ?? []).flatMap((f) => {
    const bytes = Buffer.from(f.base64, 'base64');
    const head = `[file ${f.name}, ${f.mimeType}, ${bytes.length} bytes]`;
    if (!/^text\/|json$/.test(f.mimeType)) return [head];
    return [head, ...bytes.toString('utf8').replace(/\r\n/g, '\n').trimEnd().split('\n').map((l) => `| ${l}`)];
  });
}

/** A message as indented lines under a header saying who sees it. */
export function renderMessage(header: string, msg: Message): string {
  const body = [...msg.blocks.flatMap(block), ...files(msg)].flatMap((line) => line.split('\n'));
  return [`[${header}]`, ...body.map((l) => `  ${l}`)].join('\n');
}

/** A form as a prompt showing each field and how to answer it on the console. */
export function renderForm(who: string, form: Form): string {
  const lines = form.fields.map((f) => {
    const bits = [f.required ? 'required' : 'optional'];
    if (f.maxLength) bits.push(`max ${f.maxLength}`);
    if (f.options) bits.push(`one of: ${f.options.map((o) => o.value).join(', ')}`);
    if (f.initial) bits.push(`default ${f.initial}`);
    return `  ${f.name}: ${f.label} (${bits.join('; ')})`;
  });
  const example = form.fields
    .filter((f) => f.required)
    .map((f) => `${f.name}="..."`)
    .join(' ');
  return [`[form for ${who}: ${form.title}]`, ...lines, `  answer with: ${who}: ${example}`].join('\n');
}
