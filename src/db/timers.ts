import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database, TimerRow } from './tables.ts';

/**
 * Durable timers: response windows, check-ins and reminders live in the database
 * so a restart loses none. One timer per (kind, subject); scheduling again moves it.
 */
export async function scheduleTimer(
  db: Kysely<Database>,
  communityId: string,
  kind: string,
  subjectId: string,
  dueAt: Date,
  now: Date,
): Promise<void> {
  await db
    .insertInto('timers')
    .values({
      id: newId(),
      community_id: communityId,
      kind,
      subject_id: subjectId,
      due_at: dueAt.toISOString(),
      status: 'pending',
      created_at: now.toISOString(),
      done_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['community_id', 'kind', 'subject_id']).doUpdateSet({ due_at: dueAt.toISOString(), status: 'pending', done_at: null }),
    )
    .execute();
}

export async function cancelTimer(db: Kysely<Database>, communityId: string, kind: string, subjectId: string, now: Date): Promise<void> {
  await db
    .updateTable('timers')
    .set({ status: 'cancelled', done_at: now.toISOString() })
    .where('community_id', '=', communityId)
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'pending')
    .execute();
}

/** Timers due by `now`, oldest first. */
export function dueTimers(db: Kysely<Database>, now: Date, limit = 200): Promise<TimerRow[]> {
  return db
    .selectFrom('timers')
    .selectAll()
    .where('status', '=', 'pending')
    .where('due_at', '<=', now.toISOString())
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Marks a timer done only if still pending; false means another run already took it. */
export async function claimTimer(db: Kysely<Database>, timer: TimerRow, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('timers')
    .set({ status: 'done', done_at: now.toISOString() })
    .where('id', '=', timer.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives up on a timer whose handler failed: it is cancelled and not retried. */
export async function cancelFailedTimer(db: Kysely<Database>, timer: TimerRow, now: Date): Promise<void> {
  await db
    .updateTable('timers')
    .set({ status: 'cancelled', done_at: now.toISOString() })
    .where('community_id', '=', timer.community_id)
    .where('id', '=', timer.id)
    .execute();
}

/** When the next pending timer (of one kind, if given) after `now` is due, in any community; null when none is. */
export async function nextTimerDueAfter(db: Kysely<Database>, now: Date, kind?: string): Promise<Date | null> {
  let query = db.selectFrom('timers').select('due_at').where('status', '=', 'pending').where('due_at', '>', now.toISOString());
  if (kind !== undefined) query = query.where('kind', '=', kind);
  const timer = await query.orderBy('due_at').limit(1).executeTakeFirst();
  return timer ? new Date(timer.due_at) : null;
}
