import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type RawFile,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { type Block, type Button, buttonsOf, foldSpans, mentionedUsers, type Message, type MessageFile, type Span, type SpanStyle } from '../../src/index.ts';
import { BUTTONS_OMITTED, EMPTY, filesOmitted, MORE } from './copy.ts';
import { encodeCustomId } from './custom-id.ts';

/**
 * Discord rendering of the neutral message model: content with Discord
 * markdown plus button rows. Two promises hold here and nowhere else. Member
 * text can never ping or inject markup (every text span is escaped and its `@`
 * and `<` made inert, and every message carries `allowed_mentions` naming only
 * the deliberate mention spans). And nothing we send breaks a Discord limit:
 * long content is split into several messages or trimmed with a visible
 * "…(more)", extra buttons are left out with a note, never a 400.
 */

/** The Discord limits this renderer keeps to (developer docs, "Message" and "Components"). */
export const LIMITS = {
  content: 2000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  allowedUsers: 100,
  /** A long message becomes at most this many messages; the rest is trimmed. */
  chunks: 4,
  /** Attachments per message. */
  files: 10,
  /** Bytes per attachment: the upload limit of a server without boosts, kept conservatively at 8 MiB. */
  fileBytes: 8 * 1024 * 1024,
} as const;

const ZWSP = '\u200b';

/**
 * Escapes member text for Discord markdown. Inline markers get a backslash;
 * line-start markers (headings, quotes, lists, `-#`) too; `<` is escaped and a
 * zero-width space follows every `@`, so `@everyone`, `@here`, `<@id>`, `<@&id>`,
 * `<#id>` and `<t:…>` show as typed and are not parsed as mentions at all.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<>]/g, (c) => `\\${c}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/(^|\n)([ \t]*)(?=#{1,3}\s|-#?\s|\+\s)/g, '$1$2\\')
    .replace(/(^|\n)([ \t]*\d+)\.(?=\s)/g, '$1$2\\.');
}

function safeUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>()]+$/i.test(url);
}

const DISCORD_STYLE: SpanStyle = {
  text: escapeText,
  bold: (inner) => (inner ? `**${inner}**` : ''),
  italic: (inner) => (inner ? `*${inner}*` : ''),
  link: (url, label) => (safeUrl(url) ? `[${escapeText(label)}](<${url}>)` : `${escapeText(label)} (${escapeText(url)})`),
  mention: (id, name) => (/^\d{1,25}$/.test(id) ? `<@${id}>` : escapeText(`@${name}`)),
};

/** Spans as Discord markdown; only mention spans produce mention syntax. */
export function renderSpans(spans: Span[]): string {
  return foldSpans(spans, DISCORD_STYLE);
}

function renderBlock(block: Block): string | null {
  switch (block.kind) {
    case 'heading':
      return `**${escapeText(block.text)}**`;
    case 'paragraph':
      return renderSpans(block.spans);
    case 'list':
      return block.items.map((item) => `• ${renderSpans(item)}`).join('\n');
    case 'fields':
      return block.fields.map((f) => `**${escapeText(f.label)}:** ${renderSpans(f.value)}`).join('\n');
    case 'divider':
      return '';
    case 'actions':
      return null;
  }
}

/**
 * The last index at which `text` may be cut without breaking an escape (`\*`)
 * or a mention token (`<@123>`): prefers a newline, then a space.
 */
function cutPoint(text: string, max: number): number {
  let cut = text.lastIndexOf('\n', max);
  if (cut < max / 2) cut = text.lastIndexOf(' ', max);
  if (cut < max / 2) cut = max;
  const open = text.lastIndexOf('<@', cut);
  if (open >= 0 && open > text.lastIndexOf('>', cut - 1) && text.indexOf('>', open) >= cut) cut = open;
  let backslashes = 0;
  while (cut - backslashes - 1 >= 0 && text[cut - backslashes - 1] === '\\') backslashes++;
  if (backslashes % 2 === 1) cut--;
  return Math.max(1, cut);
}

/** Splits content into pieces of at most `max` characters, at line or word boundaries when possible. */
export function splitContent(content: string, max: number = LIMITS.content): string[] {
  const pieces: string[] = [];
  let rest = content;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Cuts content to `max` characters, ending with a visible "…(more)" when anything was cut. */
export function trimContent(content: string, max: number = LIMITS.content): string {
  if (content.length <= max) return content;
  const budget = max - MORE.length - 1;
  return `${content.slice(0, cutPoint(content, budget)).trimEnd()} ${MORE}`;
}

/** A button row as the API takes it. */
export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

function trimLabel(label: string): string {
  const clean = label.trim() || '…';
  return clean.length <= LIMITS.buttonLabel ? clean : `${clean.slice(0, LIMITS.buttonLabel - 1)}…`;
}

const STYLE: Record<NonNullable<Button['style']> | 'default', ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

/**
 * Buttons as rows of at most 5, at most 5 rows. Buttons whose route would not
 * fit a `custom_id`, duplicates, and any beyond 25 are left out (`omitted`).
 */
export function renderButtons(buttons: Button[], guildId?: string | null): { rows: ButtonRow[]; omitted: number } {
  const seen = new Set<string>();
  const kept: APIButtonComponentWithCustomId[] = [];
  let omitted = 0;
  for (const button of buttons) {
    const customId = encodeCustomId(button.actionId, button.payload, guildId);
    if (!customId || seen.has(customId) || kept.length >= LIMITS.actionRows * LIMITS.buttonsPerRow) {
      omitted++;
      continue;
    }
    seen.add(customId);
    kept.push({ type: ComponentType.Button, custom_id: customId, label: trimLabel(button.label), style: STYLE[button.style ?? 'default'] });
  }
  const rows: ButtonRow[] = [];
  for (let i = 0; i < kept.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: kept.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return { rows, omitted };
}

/** A file ready to upload. */
export interface RenderedFile {
  name: string;
  contentType: string;
  data: Buffer;
}

/** A message ready for Discord: one or more contents (the buttons and files go with the last) and who may be pinged. */
export interface RenderedMessage {
  contents: string[];
  components: ButtonRow[];
  /** User ids of the message's mention spans: the only pings allowed. */
  users: string[];
  /** Attachments, within Discord's count and size limits. */
  files: RenderedFile[];
}

/** A filename Discord keeps as given: no path, no spaces or odd characters, at most 100 characters. */
function safeFilename(name: string): string {
  const clean = name.replace(/^.*[\\/]/, '').replace(/[^\w.-]+/g, '_').replace(/^\.+/, '');
  return (clean || 'file').slice(-100);
}

/**
 * The core's files as uploads: at most {@link LIMITS.files}, each at most
 * `maxBytes`. What does not fit is named in `omitted`, so the message can say so.
 */
export function renderFiles(files: MessageFile[] = [], maxBytes: number = LIMITS.fileBytes): { files: RenderedFile[]; omitted: string[] } {
  const kept: RenderedFile[] = [];
  const omitted: string[] = [];
  for (const file of files) {
    const data = Buffer.from(file.base64, 'base64');
    if (kept.length >= LIMITS.files || data.length > maxBytes) {
      omitted.push(file.name);
      continue;
    }
    kept.push({ name: safeFilename(file.name), contentType: file.mimeType, data });
  }
  return { files: kept, omitted };
}

/**
 * Renders a message. `guildId` goes into button ids so a click in a DM still
 * names its community. `maxParts: 1` renders for an edit, where the content
 * must fit one message and is trimmed instead of split.
 */
export function renderMessage(msg: Message, options: { guildId?: string | null; maxParts?: number; maxFileBytes?: number } = {}): RenderedMessage {
  const { rows, omitted } = renderButtons(buttonsOf(msg), options.guildId);
  const attached = renderFiles(msg.files, options.maxFileBytes);
  const lines = msg.blocks.map(renderBlock).filter((line): line is string => line !== null);
  if (omitted > 0) lines.push(escapeText(BUTTONS_OMITTED));
  if (attached.omitted.length) lines.push(escapeText(filesOmitted(attached.omitted)));
  let content = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (!content) content = EMPTY;
  const maxParts = Math.max(1, options.maxParts ?? LIMITS.chunks);
  let contents = splitContent(content);
  if (contents.length > maxParts) {
    const tail = contents.slice(maxParts - 1).join('\n');
    contents = [...contents.slice(0, maxParts - 1), trimContent(tail)];
  }
  return { contents, components: rows, users: mentionedUsers(msg).slice(0, LIMITS.allowedUsers), files: attached.files };
}

/** The `allowed_mentions` every message carries: nobody except the message's mention spans. */
export function allowedMentions(users: string[]): { parse: []; users: string[] } {
  return { parse: [], users };
}

/** A channel-message request for REST: the JSON body and, for the last part, the files (sent as multipart). */
export interface MessageRequest {
  body: RESTPostAPIChannelMessageJSONBody;
  files?: RawFile[];
}

/**
 * Channel-message requests for REST, in order; the last carries the buttons
 * and the files (each named in `attachments` by its upload index, as the API
 * asks). Link previews are off.
 */
export function messageRequests(rendered: RenderedMessage): MessageRequest[] {
  const last = rendered.contents.length - 1;
  return rendered.contents.map((content, i) => {
    const body: RESTPostAPIChannelMessageJSONBody = {
      content,
      components: i === last ? rendered.components : [],
      allowed_mentions: allowedMentions(rendered.users),
      flags: MessageFlags.SuppressEmbeds,
    };
    if (i !== last || rendered.files.length === 0) return { body };
    body.attachments = rendered.files.map((f, id) => ({ id, filename: f.name }));
    return { body, files: rendered.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType })) };
  });
}

/** Channel-message bodies for REST, in order, without the files (see {@link messageRequests}). */
export function messageBodies(rendered: RenderedMessage): RESTPostAPIChannelMessageJSONBody[] {
  return messageRequests(rendered).map((r) => r.body);
}
