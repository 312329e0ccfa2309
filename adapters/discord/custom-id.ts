/**
 * Component and modal `custom_id`s. A button carries `${actionId}:${payload}` and
 * a modal `${formId}:${payload}`, as the core routes them. Messages sent to a DM
 * are clicked outside any guild, and Discord then sends no `guild_id`, so the
 * community travels in the id itself as a `${guildId}/` prefix.
 */

/** Discord's limit on every `custom_id`. */
export const CUSTOM_ID_MAX = 100;

/** What a `custom_id` routes to: a core action id or form id, its payload, and the guild when known. */
export interface Route {
  guildId: string | null;
  id: string;
  payload: string;
}

const ROUTE = /^(?:(\d{1,25})\/)?([^:/]+):([\s\S]*)$/;

/** Encodes a route; null when it would not fit in 100 characters (the payload must never be cut). */
export function encodeCustomId(id: string, payload: string, guildId?: string | null): string | null {
  const value = `${guildId ? `${guildId}/` : ''}${id}:${payload}`;
  return value.length <= CUSTOM_ID_MAX ? value : null;
}

/** Decodes a `custom_id` this adapter produced; null for anything else. */
export function decodeCustomId(customId: string): Route | null {
  const match = ROUTE.exec(customId);
  if (!match) return null;
  return { guildId: match[1] ?? null, id: match[2]!, payload: match[3]! };
}
