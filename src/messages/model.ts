/**
 * The neutral message model. The core says what to show; each adapter decides how
 * (Block Kit, Discord content and components, plain text). All text lives in
 * `text` spans that renderers escape, so nothing a member types can ping a group
 * or inject markup: formatting exists only as structure.
 */

export type Span =
  | { kind: 'text'; text: string }
  | { kind: 'bold'; children: Span[] }
  | { kind: 'italic'; children: Span[] }
  | { kind: 'link'; url: string; label: string }
  /** A deliberate mention of a member; the only kind of ping a message can carry. */
  | { kind: 'mention'; platformUserId: string; name: string };

export interface Button {
  /** Stable id the core routes on, e.g. "intro.accept". */
  actionId: string;
  label: string;
  /** Small opaque payload, e.g. a match id. */
  payload: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; items: Span[][] }
  | { kind: 'fields'; fields: { label: string; value: Span[] }[] }
  | { kind: 'actions'; buttons: Button[] }
  | { kind: 'divider' };

/** A file sent with a message (a CSV, a chart, a data export). */
export interface MessageFile {
  name: string;
  mimeType: string;
  /** The content, base64-encoded so binary files survive the outbox's JSON. */
  base64: string;
}

export interface Message {
  blocks: Block[];
  files?: MessageFile[];
}

export type FormFieldKind = 'short' | 'long' | 'select';

export interface FormField {
  name: string;
  label: string;
  kind: FormFieldKind;
  required: boolean;
  maxLength?: number;
  minLength?: number;
  placeholder?: string;
  hint?: string;
  options?: { value: string; label: string }[];
  initial?: string;
}

/** A form (Slack modal, Discord modal, console prompt); submissions come back by `formId`. */
export interface Form {
  formId: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Opaque context returned with the submission. */
  payload?: string;
}

/** Where an outgoing message goes. Adapters map member ids to platform user ids via `platformUserIds`. */
export type Destination =
  | { kind: 'channel'; channelId: string }
  | { kind: 'private'; platformUserId: string; memberId: string }
  /** One conversation between members (group DM or private thread); falls back to a DM each. */
  | { kind: 'conversation'; platformUserIds: string[]; memberIds: string[]; title: string };

/** What a platform returns for a delivered message, enough to update it later. */
export interface DeliveryReceipt {
  channelId: string;
  messageId: string;
  /** Members a conversation could not include because they have left; the others are told. */
  missing?: string[];
}
