/**
 * Who a message would actually notify. Circulate posts user-generated text
 * (names, intros) into shared channels and DMs; an unguarded `<@&role>` or
 * `@everyone` in such text is a real incident, so tests assert on the pings a
 * payload would cause, not just on its text.
 *
 * Rules implemented (Discord "Allowed Mentions" docs):
 * - Only `content` can ping (embeds/components never do).
 * - `allowed_mentions` absent → everything parsed from content pings
 *   (users `<@id>`/`<@!id>`, roles `<@&id>`, `@everyone`/`@here`), and a reply
 *   pings the replied-to author.
 * - present → a mention pings only if its type is in `parse`, or its id is in
 *   `users`/`roles`; ids listed but absent from content never ping;
 *   `@everyone`/`@here` need `parse` to contain `"everyone"`; replies ping the
 *   replied-to author only with `replied_user: true`.
 * - `{}` / `{parse: []}` suppresses everything.
 * Not modelled: role `mentionable`/MENTION_EVERYONE permission checks, and
 * SUPPRESS_NOTIFICATIONS (reported via `silent`).
 */
import { isObj, MessageFlag, type Obj } from './validation.ts';

/** Mention syntax found in a message's content. */
export interface MentionSyntax {
  users: string[];
  roles: string[];
  everyone: boolean;
  here: boolean;
}

/** The notifications a message would cause. */
export interface Pings {
  /** User ids that would be notified. */
  users: string[];
  /** Role ids whose members would be notified. */
  roles: string[];
  /** `@everyone` or `@here` would notify. */
  everyone: boolean;
  /** Author of the replied-to message would be notified (id), if any. */
  repliedUser: string | null;
  /** Whether `allowed_mentions` was sent at all. */
  allowedMentionsPresent: boolean;
  /** Whether content contained any mention syntax. */
  hasMentionSyntax: boolean;
  /** Ephemeral messages are only shown to the invoking user. */
  ephemeral: boolean;
  /** SUPPRESS_NOTIFICATIONS flag (@silent): mentions render but do not push. */
  silent: boolean;
}

const USER_RE = /<@!?(\d{15,21})>/g;
const ROLE_RE = /<@&(\d{15,21})>/g;

/** Extracts mention syntax from content. */
export function parseMentionSyntax(content: string): MentionSyntax {
  const uniq = (re: RegExp): string[] => [...new Set([...content.matchAll(re)].map((m) => m[1] as string))];
  return {
    users: uniq(USER_RE),
    roles: uniq(ROLE_RE),
    everyone: content.includes('@everyone'),
    here: content.includes('@here'),
  };
}

/** True when content has anything that could ping. */
export function hasMentionSyntax(content: unknown): boolean {
  if (typeof content !== 'string') return false;
  const s = parseMentionSyntax(content);
  return s.users.length > 0 || s.roles.length > 0 || s.everyone || s.here;
}

/**
 * Computes the pings of a message body (channel message, webhook message or
 * interaction response `data`). `repliedAuthorId` is the author of the message
 * in `message_reference`, when known.
 */
export function computePings(body: Obj, repliedAuthorId: string | null = null): Pings {
  const content = typeof body.content === 'string' ? body.content : '';
  const syntax = parseMentionSyntax(content);
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const am = isObj(body.allowed_mentions) ? body.allowed_mentions : null;
  const isReply = isObj(body.message_reference) && repliedAuthorId !== null;
  const base = {
    allowedMentionsPresent: am !== null,
    hasMentionSyntax: syntax.users.length > 0 || syntax.roles.length > 0 || syntax.everyone || syntax.here,
    ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
    silent: (flags & MessageFlag.SuppressNotifications) !== 0,
  };
  if (am === null) {
    return {
      ...base,
      users: syntax.users,
      roles: syntax.roles,
      everyone: syntax.everyone || syntax.here,
      repliedUser: isReply ? repliedAuthorId : null,
    };
  }
  const parse = Array.isArray(am.parse) ? am.parse : [];
  const list = (k: 'users' | 'roles'): string[] => (Array.isArray(am[k]) ? (am[k] as unknown[]).map(String) : []);
  const users = parse.includes('users') ? syntax.users : syntax.users.filter((id) => list('users').includes(id));
  const roles = parse.includes('roles') ? syntax.roles : syntax.roles.filter((id) => list('roles').includes(id));
  return {
    ...base,
    users,
    roles,
    everyone: parse.includes('everyone') && (syntax.everyone || syntax.here),
    repliedUser: isReply && am.replied_user === true ? repliedAuthorId : null,
  };
}
