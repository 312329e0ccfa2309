import type { Kysely, Selectable } from 'kysely';
import { newId } from '../ids.ts';
import { nextRef } from './refs.ts';
import type { Database } from './tables.ts';

export interface ReportsTable {
  id: string;
  community_id: string;
  ref: number;
  reporter_id: string;
  subject_id: string;
  reason: string;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolved_by: string | null;
  created_at: string;
  resolved_at: string | null;
}

export type ReportRow = Selectable<ReportsTable>;

/** An open report as moderators see it listed, with both members' names. */
export interface OpenReport {
  id: string;
  ref: number;
  reason: string;
  created_at: string;
  reporter: string;
  subject: string;
}

/** Files an open report; returns its short number. */
export async function createReport(
  db: Kysely<Database>,
  communityId: string,
  report: { reporterId: string; subjectId: string; reason: string },
  now: Date,
): Promise<number> {
  const ref = await nextRef(db, 'reports', communityId);
  await db
    .insertInto('reports')
    .values({
      id: newId(),
      community_id: communityId,
      ref,
      reporter_id: report.reporterId,
      subject_id: report.subjectId,
      reason: report.reason,
      status: 'open',
      resolution: null,
      resolved_by: null,
      created_at: now.toISOString(),
      resolved_at: null,
    })
    .execute();
  return ref;
}

export function getReport(db: Kysely<Database>, communityId: string, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('community_id', '=', communityId).where('id', '=', id).executeTakeFirst();
}

/** The community's open reports, oldest number first. */
export function listOpenReports(db: Kysely<Database>, communityId: string): Promise<OpenReport[]> {
  return db
    .selectFrom('reports as r')
    .innerJoin('members as a', 'a.id', 'r.reporter_id')
    .innerJoin('members as s', 's.id', 'r.subject_id')
    .select(['r.id', 'r.ref', 'r.reason', 'r.created_at', 'a.display_name as reporter', 's.display_name as subject'])
    .where('r.community_id', '=', communityId)
    .where('r.status', '=', 'open')
    .orderBy('r.ref')
    .execute();
}

/** Resolves a report only while it is open; false when someone already resolved it. */
export async function resolveOpenReport(
  db: Kysely<Database>,
  communityId: string,
  id: string,
  resolution: { note: string; resolvedBy: string },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('reports')
    .set({ status: 'resolved', resolution: resolution.note, resolved_by: resolution.resolvedBy, resolved_at: now.toISOString() })
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
