import type { Kysely } from 'kysely';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { parseList } from '../db/json.ts';
import { getMember, updateMember } from '../db/members.ts';
import { connectionsQuery, getParticipants, transitionMatch } from '../db/matches.ts';
import { nextRef } from '../db/refs.ts';
import { transitionRequest } from '../db/requests.ts';
import type { Database, MemberRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { newId } from '../ids.ts';
import * as copy from '../messages/copy/admin.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import { cancelTimer } from '../db/timers.ts';
import { askNextHelper, TIMER_RESPONSE_DUE } from './intro.ts';
import { privateTo } from './people.ts';

/**
 * Safety tools. Blocks and removals are hard constraints for the matcher from the
 * very next request or round; every moderator action is written to the audit log.
 */

/** Records a moderator action; the log is append-only. */
export async function audit(ctx: HandlerContext, inv: Invocation, action: string, target = '', details: unknown = {}): Promise<void> {
  await ctx.db
    .insertInto('audit_log')
    .values({ id: newId(), community_id: inv.community.id, moderator_id: inv.member.id, action, target, details: JSON.stringify(details), at: inv.now.toISOString() })
    .execute();
}

/** `/network block @member`: silent, symmetric, permanent until removed from the database. */
export async function blockMember(ctx: HandlerContext, inv: Invocation, target: MemberRow): Promise<Result> {
  if (target.id === inv.member.id) throw new UserError('invalid_input', 'You cannot block yourself.');
  await ctx.db
    .insertInto('blocks')
    .values({ community_id: inv.community.id, blocker_id: inv.member.id, blocked_id: target.id, created_at: inv.now.toISOString() })
    .onConflict((oc) => oc.columns(['community_id', 'blocker_id', 'blocked_id']).doNothing())
    .execute();
  // A pending invitation between the two is withdrawn without telling either why.
  await cancelPendingBetween(ctx, inv, inv.member.id, target.id);
  return { reply: copy.blocked(target.display_name) };
}

async function cancelPendingBetween(ctx: HandlerContext, inv: Invocation, a: string, b: string): Promise<void> {
  const shared = await ctx.db
    .selectFrom('match_participants as p1')
    .innerJoin('match_participants as p2', 'p2.match_id', 'p1.match_id')
    .innerJoin('matches as m', 'm.id', 'p1.match_id')
    .select(['m.id', 'm.request_id'])
    .where('p1.community_id', '=', inv.community.id)
    .where('p1.member_id', '=', a)
    .where('p2.member_id', '=', b)
    .where('m.status', '=', 'invited')
    .execute();
  for (const m of shared) {
    if (await transitionMatch(ctx.db, inv.community.id, m.id, ['invited'], 'cancelled', inv.now, 'blocked')) {
      await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, m.id, inv.now);
    }
  }
}

/** `/network report @member reason`: reaches every known moderator privately; the reporter is thanked. */
export async function reportMember(ctx: HandlerContext, inv: Invocation, target: MemberRow, reason: string): Promise<Result> {
  if (target.id === inv.member.id) throw new UserError('invalid_input', 'You cannot report yourself.');
  const ref = await nextRef(ctx.db, 'reports', inv.community.id);
  await ctx.db
    .insertInto('reports')
    .values({
      id: newId(),
      community_id: inv.community.id,
      ref,
      reporter_id: inv.member.id,
      subject_id: target.id,
      reason,
      status: 'open',
      resolution: null,
      resolved_by: null,
      created_at: inv.now.toISOString(),
      resolved_at: null,
    })
    .execute();
  const moderators = await moderatorsOf(ctx.db, inv.community.id, ctx.settings.moderatorIds);
  return {
    reply: copy.reportThanks(),
    outgoing: moderators
      .filter((m) => m.id !== target.id)
      .map((m) => ({ to: privateTo(m), message: copy.reportToModerators(ref, inv.member.display_name, target.display_name, reason) })),
  };
}

/** Members known to moderate: seen using moderator tools, or listed in the community's settings. */
export async function moderatorsOf(db: Kysely<Database>, communityId: string, listed: string[]): Promise<MemberRow[]> {
  const rows = await db.selectFrom('members').selectAll().where('community_id', '=', communityId).where('removed_at', 'is', null).execute();
  return rows.filter((m) => m.is_moderator === 1 || listed.includes(m.platform_user_id));
}

export async function listReports(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const rows = await ctx.db
    .selectFrom('reports as r')
    .innerJoin('members as a', 'a.id', 'r.reporter_id')
    .innerJoin('members as s', 's.id', 'r.subject_id')
    .select(['r.id', 'r.ref', 'r.reason', 'r.created_at', 'a.display_name as reporter', 's.display_name as subject'])
    .where('r.community_id', '=', inv.community.id)
    .where('r.status', '=', 'open')
    .orderBy('r.ref')
    .execute();
  return { reply: copy.reportList(rows.map((r) => ({ ref: r.ref, id: r.id, reporter: r.reporter, subject: r.subject, reason: r.reason, at: r.created_at }))) };
}

export async function resolveReport(ctx: HandlerContext, inv: Invocation, reportId: string, note: string): Promise<Result> {
  const report = await ctx.db.selectFrom('reports').selectAll().where('community_id', '=', inv.community.id).where('id', '=', reportId).executeTakeFirst();
  if (!report) throw new UserError('not_found', 'That report was not found.');
  const result = await ctx.db
    .updateTable('reports')
    .set({ status: 'resolved', resolution: note, resolved_by: inv.member.id, resolved_at: inv.now.toISOString() })
    .where('id', '=', report.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return { reply: copy.reportAlreadyResolved(), update: copy.reportAlreadyResolved() };
  await audit(ctx, inv, 'report.resolve', report.subject_id, { ref: report.ref, note });
  return { reply: copy.reportResolved(report.ref), update: copy.reportResolved(report.ref) };
}

/**
 * `/network-admin remove @member`: no more matches. Their pending invitations and
 * asks are cancelled; the other people involved get a kind note, and an intro
 * request that was waiting on them moves on to the next helper.
 */
export async function removeMember(ctx: HandlerContext, inv: Invocation, target: MemberRow): Promise<Result> {
  if (target.removed_at) throw new UserError('conflict', `${target.display_name} is already removed.`);
  await updateMember(ctx.db, inv.community.id, target.id, { removed_at: inv.now.toISOString(), rounds_opt_in: 0 }, inv.now);
  const outgoing: Outgoing[] = [];
  let cancelled = 0;
  const pending = await ctx.db
    .selectFrom('match_participants as p')
    .innerJoin('matches as m', 'm.id', 'p.match_id')
    .select(['m.id', 'm.request_id', 'p.role'])
    .where('p.community_id', '=', inv.community.id)
    .where('p.member_id', '=', target.id)
    .where('m.status', '=', 'invited')
    .execute();
  for (const m of pending) {
    if (!(await transitionMatch(ctx.db, inv.community.id, m.id, ['invited'], 'cancelled', inv.now, 'member removed'))) continue;
    cancelled++;
    await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, m.id, inv.now);
    for (const other of await getParticipants(ctx.db, inv.community.id, m.id)) {
      if (other.member_id === target.id) continue;
      const member = await getMember(ctx.db, inv.community.id, other.member_id);
      if (!member) continue;
      // A requester whose helper was removed is simply offered the next helper.
      if (other.role === 'requester' && m.request_id) {
        const request = await ctx.db.selectFrom('requests').selectAll().where('id', '=', m.request_id).executeTakeFirst();
        if (request?.status === 'open') outgoing.push(...(await askNextHelper(ctx, inv.community, request, inv.now)).outgoing);
      } else {
        outgoing.push({ to: privateTo(member), message: copy.matchCancelledNote() });
      }
    }
  }
  const asks = await ctx.db
    .selectFrom('requests')
    .select('id')
    .where('community_id', '=', inv.community.id)
    .where('member_id', '=', target.id)
    .where('status', 'in', ['open', 'waiting'])
    .execute();
  for (const r of asks) await transitionRequest(ctx.db, inv.community.id, r.id, ['open', 'waiting'], 'cancelled', inv.now);
  await ctx.db.updateTable('offers').set({ active: 0, withdrawn_at: inv.now.toISOString() }).where('community_id', '=', inv.community.id).where('member_id', '=', target.id).where('active', '=', 1).execute();
  await audit(ctx, inv, 'member.remove', target.id, { cancelled });
  return { reply: copy.removed(target.display_name, cancelled), outgoing };
}

/** `/network orgs`: the organisations most common among your past connections, and open roles. */
export async function orgsFor(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const others = await connectionsQuery(ctx.db, inv.community.id, inv.member.id).select(['other.id', 'other.organisations'])
    .execute();
  const seen = new Set<string>();
  const counts = new Map<string, { name: string; count: number }>();
  for (const o of others) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    for (const org of parseList(o.organisations)) {
      const key = org.toLowerCase();
      const entry = counts.get(key) ?? { name: org, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  const common = [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, 8);
  const openings = await ctx.db
    .selectFrom('opportunities')
    .select(['organisation', 'title', 'link'])
    .where('community_id', '=', inv.community.id)
    .where('active', '=', 1)
    .orderBy('ref', 'desc')
    .limit(10)
    .execute();
  return { reply: copy.orgs(common, openings) };
}

/** `/network-admin opportunity Org: title [link]`: stored for the digest and /network orgs, and posted now. */
export async function postOpportunity(ctx: HandlerContext, inv: Invocation, organisation: string, title: string, url: string | null): Promise<Result> {
  const ref = await nextRef(ctx.db, 'opportunities', inv.community.id);
  await ctx.db
    .insertInto('opportunities')
    .values({ id: newId(), community_id: inv.community.id, ref, posted_by: inv.member.id, organisation, title, link: url, active: 1, created_at: inv.now.toISOString() })
    .execute();
  await audit(ctx, inv, 'opportunity.post', String(ref), { organisation, title });
  const channelId = ctx.settings.promptChannelId;
  return {
    reply: copy.opportunityPosted(ref),
    outgoing: channelId ? [{ to: { kind: 'channel', channelId }, message: copy.opportunity(organisation, title, url) }] : [],
  };
}

/** This flow's buttons, composed into the routing tables in src/routes.ts. */
export const moderationRoutes: FlowRoutes = {
  actions: [
    {
      actionId: copy.ADMIN_ACTIONS.resolveReport,
      moderatorOnly: true,
      // From the button, the list message itself is replaced; no separate reply.
      run: async (ctx, inv, payload) => ({ update: (await resolveReport(ctx, inv, payload, '')).update! }),
    },
  ],
};
