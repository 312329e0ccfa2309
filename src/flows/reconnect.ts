import { DAY } from '../time.ts';
import type { HandlerContext, Invocation, Result } from '../handler.ts';
import { connectionsQuery } from '../db/matches.ts';
import * as copy from '../messages/copy/rhythm.ts';

/** Suggestions per ask: a few, never a list to work through. */
const MAX_SUGGESTIONS = 3;

/**
 * `/network reconnect`: past connections with no contact for a while (the
 * community's setting, 90 days by default), longest-quiet first, each with a
 * drafted hello that asks for nothing (DESIGN.md §1 "Reconnect before you ask").
 */
export async function suggestReconnects(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const rows = await connectionsQuery(ctx.db, inv.community.id, inv.member.id)
    .leftJoin('requests as r', 'r.id', 'm.request_id')
    .select(['other.id as otherId', 'other.display_name as name', 'other.removed_at as removedAt', 'm.created_at as at', 'm.kind as kind', 'r.topic as topic'])
    .execute();
  const blocked = new Set(
    (
      await ctx.db
        .selectFrom('blocks')
        .select(['blocker_id', 'blocked_id'])
        .where('community_id', '=', inv.community.id)
        .where((eb) => eb.or([eb('blocker_id', '=', inv.member.id), eb('blocked_id', '=', inv.member.id)]))
        .execute()
    ).flatMap((b) => [b.blocker_id, b.blocked_id]),
  );
  // The latest contact with each person decides whether they have gone quiet.
  const latest = new Map<string, { name: string; at: string; topic: string | null; removed: boolean }>();
  for (const r of rows) {
    const prev = latest.get(r.otherId);
    if (!prev || r.at > prev.at) latest.set(r.otherId, { name: r.name, at: r.at, topic: r.kind === 'intro' ? r.topic : null, removed: Boolean(r.removedAt) });
  }
  const cutoff = inv.now.getTime() - ctx.settings.reconnectAfterDays * DAY;
  const quiet = [...latest.entries()]
    .filter(([id, v]) => !v.removed && !blocked.has(id) && Date.parse(v.at) <= cutoff)
    .sort((a, b) => a[1].at.localeCompare(b[1].at))
    .slice(0, MAX_SUGGESTIONS);
  return {
    reply: copy.reconnectSuggestions(
      quiet.map(([, v]) => ({
        name: v.name,
        monthsAgo: Math.max(1, Math.round((inv.now.getTime() - Date.parse(v.at)) / (30 * DAY))),
        topic: v.topic,
        draft: copy.reconnectDraft(v.name, v.topic),
      })),
    ),
  };
}
