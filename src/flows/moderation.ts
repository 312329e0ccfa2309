import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import { recordAudit } from '../db/audit.ts';
import { addBlock } from '../db/blocks.ts';
import { parseList } from '../db/json.ts';
import { getMember, listModerators, updateMember } from '../db/members.ts';
import { connectionOrganisations, getParticipants, invitedMatchesBetween, invitedMatchesOf, transitionMatch } from '../db/matches.ts';
import { withdrawMemberOffers } from '../db/offers.ts';
import { createOpportunity, latestOpportunities } from '../db/opportunities.ts';
import { createReport, getReport, listOpenReports, resolveOpenReport } from '../db/reports.ts';
import { getRequest, listOpenRequests, transitionRequest } from '../db/requests.ts';
import type { MemberRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';
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
  await recordAudit(ctx.db, inv.community.id, inv.member.id, { action, target, details }, inv.now);
}

/** `/network block @member`: silent, symmetric, permanent until removed from the database. */
export async function blockMember(ctx: HandlerContext, inv: Invocation, target: MemberRow): Promise<Result> {
  if (target.id === inv.member.id) throw new UserError('invalid_input', 'You cannot block yourself.');
  await addBlock(ctx.db, inv.community.id, inv.member.id, target.id, inv.now);
  // A pending invitation between the two is withdrawn without telling either why.
  await cancelPendingBetween(ctx, inv, inv.member.id, target.id);
  return { reply: copy.blocked(target.display_name) };
}

async function cancelPendingBetween(ctx: HandlerContext, inv: Invocation, a: string, b: string): Promise<void> {
  const shared = await invitedMatchesBetween(ctx.db, inv.community.id, a, b);
  for (const m of shared) {
    if (await transitionMatch(ctx.db, inv.community.id, m.id, ['invited'], 'cancelled', inv.now, 'blocked')) {
      await cancelTimer(ctx.db, inv.community.id, TIMER_RESPONSE_DUE, m.id, inv.now);
    }
  }
}

/** `/network report @member reason`: reaches every known moderator privately; the reporter is thanked. */
export async function reportMember(ctx: HandlerContext, inv: Invocation, target: MemberRow, reason: string): Promise<Result> {
  if (target.id === inv.member.id) throw new UserError('invalid_input', 'You cannot report yourself.');
  const ref = await createReport(ctx.db, inv.community.id, { reporterId: inv.member.id, subjectId: target.id, reason }, inv.now);
  const moderators = await listModerators(ctx.db, inv.community.id, ctx.settings.moderatorIds);
  return {
    reply: copy.reportThanks(),
    outgoing: moderators
      .filter((m) => m.id !== target.id)
      .map((m) => ({ to: privateTo(m), message: copy.reportToModerators(ref, inv.member.display_name, target.display_name, reason) })),
  };
}

export async function listReports(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const rows = await listOpenReports(ctx.db, inv.community.id);
  return { reply: copy.reportList(rows.map((r) => ({ ref: r.ref, id: r.id, reporter: r.reporter, subject: r.subject, reason: r.reason, at: r.created_at }))) };
}

export async function resolveReport(ctx: HandlerContext, inv: Invocation, reportId: string, note: string): Promise<Result> {
  const report = await getReport(ctx.db, inv.community.id, reportId);
  if (!report) throw new UserError('not_found', 'That report was not found.');
  if (!(await resolveOpenReport(ctx.db, inv.community.id, report.id, { note, resolvedBy: inv.member.id }, inv.now))) return { reply: copy.reportAlreadyResolved(), update: copy.reportAlreadyResolved() };
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
  const pending = await invitedMatchesOf(ctx.db, inv.community.id, target.id);
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
        const request = await getRequest(ctx.db, inv.community.id, m.request_id);
        if (request?.status === 'open') outgoing.push(...(await askNextHelper(ctx, inv.community, request, inv.now)).outgoing);
      } else {
        outgoing.push({ to: privateTo(member), message: copy.matchCancelledNote() });
      }
    }
  }
  const asks = await listOpenRequests(ctx.db, inv.community.id, { memberId: target.id });
  for (const r of asks) await transitionRequest(ctx.db, inv.community.id, r.id, ['open', 'waiting'], 'cancelled', inv.now);
  await withdrawMemberOffers(ctx.db, inv.community.id, target.id, inv.now);
  await audit(ctx, inv, 'member.remove', target.id, { cancelled });
  return { reply: copy.removed(target.display_name, cancelled), outgoing };
}

/** `/network orgs`: the organisations most common among your past connections, and open roles. */
export async function orgsFor(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const others = await connectionOrganisations(ctx.db, inv.community.id, inv.member.id);
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
  const openings = await latestOpportunities(ctx.db, inv.community.id, 10);
  return { reply: copy.orgs(common, openings) };
}

/** `/network-admin opportunity Org: title [link]`: stored for the digest and /network orgs, and posted now. */
export async function postOpportunity(ctx: HandlerContext, inv: Invocation, organisation: string, title: string, url: string | null): Promise<Result> {
  const ref = await createOpportunity(ctx.db, inv.community.id, { postedBy: inv.member.id, organisation, title, link: url }, inv.now);
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
