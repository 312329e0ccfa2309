import type { Insertable, Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database, OutboxRow, OutboxTable } from '../db/tables.ts';
import type { Destination, Message } from '../messages/model.ts';

/** A message a state change causes; written to the outbox in the change's transaction. */
export interface Outgoing {
  to: Destination;
  message: Message;
}

/** Messages to the same place are delivered in order; this names "the same place". */
export function conversationKey(to: Destination): string {
  switch (to.kind) {
    case 'channel':
      return `channel:${to.channelId}`;
    case 'private':
      return `private:${to.platformUserId}`;
    case 'conversation':
      return `conversation:${[...to.platformUserIds].sort().join(',')}`;
  }
}

/** A fresh pending outbox row; `messageJson` is the serialised Message. */
export function pendingRow(communityId: string, to: Destination, messageJson: string, iso: string): Insertable<OutboxTable> {
  return {
    id: newId(),
    community_id: communityId,
    destination: JSON.stringify(to),
    message: messageJson,
    conversation_key: conversationKey(to),
    status: 'pending',
    attempts: 0,
    next_attempt_at: iso,
    claimed_until: null,
    last_error: null,
    receipt: null,
    created_at: iso,
    delivered_at: null,
  };
}

/** Queues messages for delivery. Call inside the transaction that made the change. */
export async function enqueue(db: Kysely<Database>, communityId: string, items: Outgoing[], now: Date): Promise<void> {
  const iso = now.toISOString();
  // Chunks keep each statement under SQLite's bound-variable limit on big rounds.
  for (let i = 0; i < items.length; i += ENQUEUE_CHUNK) {
    await db
      .insertInto('outbox')
      .values(items.slice(i, i + ENQUEUE_CHUNK).map((item) => pendingRow(communityId, item.to, JSON.stringify(item.message), iso)))
      .execute();
  }
}

/** Rows per insert: 13 columns × 500 stays far below SQLite's 32,766 variables. */
const ENQUEUE_CHUNK = 500;

/** Outbox rows in a community by status, oldest first; for tests, stats and moderators. */
export function listOutbox(db: Kysely<Database>, communityId: string, status?: OutboxRow['status']): Promise<OutboxRow[]> {
  let q = db.selectFrom('outbox').selectAll().where('community_id', '=', communityId);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('seq').execute();
}
