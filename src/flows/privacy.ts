import type { Kysely } from 'kysely';
import type { HandlerContext, Invocation, Result } from '../commands/types.ts';
import type { Database, MemberRow } from '../db/tables.ts';
import * as copy from '../messages/copy/admin.ts';
import { transitionMatch } from '../db/matches.ts';
import { cancelTimer } from '../scheduler/timers.ts';
import { TIMER_RESPONSE_DUE } from './intro.ts';

/**
 * Members own their data: `/network export-my-data` sends everything stored about
 * them; `/network delete-my-data` erases it after a confirmation, keeping their
 * past matches (anonymised) so others' history and the community's counts hold.
 */

const DELETED_NAME = 'Former member';
const SCRUBBED = '[deleted]';

/** Everything stored about one member, as plain JSON. */
export async function exportMyData(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const db = ctx.db;
  const c = inv.community.id;
  const me = inv.member.id;
  const myMatchIds = (await db.selectFrom('match_participants').select('match_id').where('community_id', '=', c).where('member_id', '=', me).execute()).map((r) => r.match_id);
  const data = {
    exportedAt: inv.now.toISOString(),
    community: { platform: inv.community.platform, name: inv.community.name },
    profile: inv.member,
    offers: await db.selectFrom('offers').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    requests: await db.selectFrom('requests').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    matches: myMatchIds.length ? await db.selectFrom('matches').selectAll().where('community_id', '=', c).where('id', 'in', myMatchIds).execute() : [],
    participations: await db.selectFrom('match_participants').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    feedbackGiven: await db.selectFrom('feedback').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    blocks: await db.selectFrom('blocks').selectAll().where('community_id', '=', c).where('blocker_id', '=', me).execute(),
    reportsMade: await db.selectFrom('reports').selectAll().where('community_id', '=', c).where('reporter_id', '=', me).execute(),
    meetupRsvps: await db.selectFrom('meetup_rsvps').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    roundSkips: await db.selectFrom('round_skips').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
  };
  const json = JSON.stringify(data, null, 2);
  return { reply: copy.exportReady([{ name: 'circulate-my-data.json', mimeType: 'application/json', base64: Buffer.from(json).toString('base64') }]) };
}

export function confirmDelete(): Result {
  return { reply: copy.deleteConfirm() };
}

/**
 * Erases a member's personal data in one transaction. Rows that only exist for
 * them are deleted; rows others' history depends on (matches, participations,
 * request and feedback counts) stay with the text scrubbed and the member renamed.
 */
export async function deleteMyData(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  await eraseMember(ctx.db, inv.community.id, inv.member, inv.now);
  return { update: copy.deleteDone() };
}

export async function eraseMember(db: Kysely<Database>, communityId: string, member: MemberRow, now: Date): Promise<void> {
  const iso = now.toISOString();
  const memberId = member.id;
  const platformUserId = member.platform_user_id;
  // Invitations still waiting on them are withdrawn, so nobody is asked about a deleted person.
  const pending = await db
    .selectFrom('match_participants as p')
    .innerJoin('matches as m', 'm.id', 'p.match_id')
    .select('m.id')
    .where('p.community_id', '=', communityId)
    .where('p.member_id', '=', memberId)
    .where('m.status', '=', 'invited')
    .execute();
  for (const m of pending) {
    if (await transitionMatch(db, communityId, m.id, ['invited'], 'cancelled', now, 'member deleted their data')) {
      await cancelTimer(db, communityId, TIMER_RESPONSE_DUE, m.id, now);
    }
  }
  await db.deleteFrom('offers').where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  await db
    .updateTable('requests')
    .set({ topic: SCRUBBED, questions: '', availability: '[]', role_focus: null, level: null, updated_at: iso })
    .where('community_id', '=', communityId)
    .where('member_id', '=', memberId)
    .execute();
  await db
    .updateTable('requests')
    .set({ status: 'cancelled', updated_at: iso })
    .where('community_id', '=', communityId)
    .where('member_id', '=', memberId)
    .where('status', 'in', ['open', 'waiting'])
    .execute();
  await db.updateTable('match_participants').set({ explanation: '' }).where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  // Explanations shown to the others may name them; the matches stay, the words go.
  const theirMatches = (await db.selectFrom('match_participants').select('match_id').where('community_id', '=', communityId).where('member_id', '=', memberId).execute()).map((r) => r.match_id);
  if (theirMatches.length) {
    await db.updateTable('matches').set({ explanation: '' }).where('community_id', '=', communityId).where('id', 'in', theirMatches).execute();
    await db.updateTable('match_participants').set({ explanation: '' }).where('community_id', '=', communityId).where('match_id', 'in', theirMatches).execute();
  }
  await db.updateTable('feedback').set({ body: '{}' }).where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  await db.updateTable('match_events').set({ note: '' }).where('community_id', '=', communityId).where('note', '=', memberId).execute();
  await db.deleteFrom('blocks').where('community_id', '=', communityId).where((eb) => eb.or([eb('blocker_id', '=', memberId), eb('blocked_id', '=', memberId)])).execute();
  await db.updateTable('reports').set({ reason: SCRUBBED }).where('community_id', '=', communityId).where('reporter_id', '=', memberId).execute();
  await db.deleteFrom('pending_notices').where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  await db.deleteFrom('meetup_rsvps').where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  // Idempotency keys of their past clicks can contain their platform id.
  await db.deleteFrom('processed_events').where('community_id', '=', communityId).where('key', 'like', `%${platformUserId}%`).execute();
  await db.deleteFrom('round_skips').where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  // Messages in the outbox carry names and text; delivered ones are history we no longer need.
  const outbox = await db.selectFrom('outbox').select(['id', 'destination', 'message', 'status']).where('community_id', '=', communityId).execute();
  const mentions = (row: { destination: string; message: string }) =>
    row.destination.includes(platformUserId) || row.message.includes(platformUserId) || row.message.includes(memberId) || row.message.includes(member.display_name);
  const affected = outbox.filter(mentions).map((r) => r.id);
  for (let i = 0; i < affected.length; i += 500) await db.deleteFrom('outbox').where('id', 'in', affected.slice(i, i + 500)).execute();
  await db
    .updateTable('members')
    .set({
      platform_user_id: `deleted:${memberId}`,
      display_name: DELETED_NAME,
      time_zone: null,
      career_stage: null,
      areas: '[]',
      organisations: '[]',
      bio: '',
      availability: '[]',
      email: null,
      paused_until: null,
      removed_at: iso,
      rounds_opt_in: 0,
      is_moderator: 0,
      updated_at: iso,
    })
    .where('community_id', '=', communityId)
    .where('id', '=', memberId)
    .execute();
}
