import type { Kysely } from 'kysely';
import type { FlowRoutes, HandlerContext, Invocation, Result } from '../handler.ts';
import type { Database, MemberRow } from '../db/tables.ts';
import type { Block, Destination, Message, Span } from '../messages/model.ts';
import * as copy from '../messages/copy/admin.ts';
import { matchIdsOf, transitionMatch } from '../db/matches.ts';
import { cancelTimer } from '../db/timers.ts';
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
  // Who was asked for my intro requests and did not introduce us (declined, not now, expired,
  // still pending or withdrawn) is the helper's private answer: those matches, and the
  // explanations naming the helper, stay out; each ask shows only its outcome (issue 14, finding 3).
  // Intro invitations for their own asks that never became an introduction: who was asked stays unsaid.
  const hidden = new Set(await matchIdsOf(db, c, me, { role: 'requester', kind: 'intro', notStatus: 'introduced' }));
  const myMatchIds = (await db.selectFrom('match_participants').select('match_id').where('community_id', '=', c).where('member_id', '=', me).execute())
    .map((r) => r.match_id)
    .filter((id) => !hidden.has(id));
  const myRequests = await db.selectFrom('requests').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute();
  const data = {
    exportedAt: inv.now.toISOString(),
    community: { platform: inv.community.platform, name: inv.community.name },
    profile: inv.member,
    offers: await db.selectFrom('offers').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    requests: myRequests.map((r) => ({ ...r, outcome: askOutcome(r.status) })),
    matches: myMatchIds.length ? await db.selectFrom('matches').selectAll().where('community_id', '=', c).where('id', 'in', myMatchIds).execute() : [],
    participations: (await db.selectFrom('match_participants').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute()).filter(
      (p) => !hidden.has(p.match_id),
    ),
    feedbackGiven: await db.selectFrom('feedback').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    blocks: await db.selectFrom('blocks').selectAll().where('community_id', '=', c).where('blocker_id', '=', me).execute(),
    reportsMade: await db.selectFrom('reports').selectAll().where('community_id', '=', c).where('reporter_id', '=', me).execute(),
    meetupRsvps: await db.selectFrom('meetup_rsvps').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
    roundSkips: await db.selectFrom('round_skips').selectAll().where('community_id', '=', c).where('member_id', '=', me).execute(),
  };
  const json = JSON.stringify(data, null, 2);
  return { reply: copy.exportReady([{ name: 'circulate-my-data.json', mimeType: 'application/json', base64: Buffer.from(json).toString('base64') }]) };
}

/** An ask's outcome in the requester's words, never naming who was asked. */
function askOutcome(status: string): string {
  switch (status) {
    case 'matched':
      return 'introduced to someone (see matches)';
    case 'open':
      return 'being offered around';
    case 'waiting':
      return 'waiting for the right person (in the weekly digest)';
    case 'cancelled':
      return 'cancelled';
    default:
      return status;
  }
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
  // Their matches, requests and offers, by id: outbox rows carrying one of these are about them.
  const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);
  const theirIds = new Set<string>([
    ...(await db.selectFrom('match_participants').select('match_id as id').where('community_id', '=', communityId).where('member_id', '=', memberId).execute()).map((r) => r.id),
    ...idsOf(await db.selectFrom('requests').select('id').where('community_id', '=', communityId).where('member_id', '=', memberId).execute()),
    ...idsOf(await db.selectFrom('offers').select('id').where('community_id', '=', communityId).where('member_id', '=', memberId).execute()),
  ]);
  // Invitations still waiting on them are withdrawn, so nobody is asked about a deleted person.
  for (const matchId of await matchIdsOf(db, communityId, memberId, { status: 'invited' })) {
    if (await transitionMatch(db, communityId, matchId, ['invited'], 'cancelled', now, 'member deleted their data')) {
      await cancelTimer(db, communityId, TIMER_RESPONSE_DUE, matchId, now);
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
  // Idempotency keys of their past clicks can contain their platform id as one `:`-separated part;
  // others' keys that merely contain the same letters stay (they guard against replays).
  const events = await db.selectFrom('processed_events').select('key').where('community_id', '=', communityId).where('key', 'like', `%${platformUserId}%`).execute();
  const theirEvents = events.filter((e) => e.key.split(':').includes(platformUserId)).map((e) => e.key);
  for (let i = 0; i < theirEvents.length; i += 500) {
    await db.deleteFrom('processed_events').where('community_id', '=', communityId).where('key', 'in', theirEvents.slice(i, i + 500)).execute();
  }
  await db.deleteFrom('round_skips').where('community_id', '=', communityId).where('member_id', '=', memberId).execute();
  // Messages addressed to them, or about them by id (pending or delivered), go; everyone else's
  // stay. Rows are chosen by ids only, never by matching text: a member called "e" must not touch
  // anyone else's introductions or history.
  const outbox = await db.selectFrom('outbox').select(['id', 'destination', 'message']).where('community_id', '=', communityId).execute();
  const who = { memberId, platformUserId };
  const affected: string[] = [];
  for (const row of outbox) {
    if (!isAboutMember(row, who, theirIds)) continue;
    // A channel post (a weekly digest) is everyone's: it stays, without the buttons that act on them.
    const kept = channelPostWithout(row, who, theirIds);
    if (kept === null) affected.push(row.id);
    else await db.updateTable('outbox').set({ message: kept }).where('community_id', '=', communityId).where('id', '=', row.id).execute();
  }
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

interface Erased {
  memberId: string;
  platformUserId: string;
}

/** Whether a stored destination is addressed to the member, by their ids. */
function addressedTo(destination: Destination, who: Erased): boolean {
  switch (destination.kind) {
    case 'private':
      return destination.memberId === who.memberId || destination.platformUserId === who.platformUserId;
    case 'conversation':
      return destination.memberIds.includes(who.memberId) || destination.platformUserIds.includes(who.platformUserId);
    default:
      return false;
  }
}

/** An outbox row as stored: destination and message as JSON text. */
type StoredRow = { destination: string; message: string };

/** A stored row's destination and message, parsed; null when either is not valid JSON. */
function parseRow(row: StoredRow): { destination: Destination; message: unknown } | null {
  try {
    return { destination: JSON.parse(row.destination) as Destination, message: JSON.parse(row.message) as unknown };
  } catch {
    return null;
  }
}

/**
 * Whether an outbox row must go when this member is erased: it is addressed to them, or it is
 * about them by id (a mention of them, or a button or field carrying one of their ids: their
 * member id, platform id, matches, requests or offers). Ids are compared whole, never as text
 * inside other text.
 */
export function isAboutMember(row: StoredRow, who: Erased, theirIds: ReadonlySet<string>): boolean {
  const parsed = parseRow(row);
  if (!parsed) return false;
  if (addressedTo(parsed.destination, who)) return true;
  // Platform ids can be short (a console name such as "e"), so they count only as a mention's id;
  // generated ids (member, match, request, offer) count wherever they stand as a whole value.
  const carriesId = (value: unknown): boolean => {
    if (typeof value === 'string') return value === who.memberId || theirIds.has(value);
    if (Array.isArray(value)) return value.some(carriesId);
    if (value !== null && typeof value === 'object') {
      if ((value as { kind?: unknown }).kind === 'mention' && (value as { platformUserId?: unknown }).platformUserId === who.platformUserId) return true;
      return Object.values(value).some(carriesId);
    }
    return false;
  };
  return carriesId(parsed.message);
}

/**
 * For a row posted to a channel: its message without the buttons that carry one of the member's
 * ids (an "I can help with #N" for their ask) and with their mentions shown as "Former member",
 * as JSON; null when the row is not a channel post.
 */
export function channelPostWithout(row: StoredRow, who: Erased, theirIds: ReadonlySet<string>): string | null {
  const parsed = parseRow(row);
  if (!parsed || parsed.destination.kind !== 'channel') return null;
  const message = parsed.message as Message;
  const unmention = (spans: Span[]): Span[] =>
    spans.map((span): Span => {
      if (span.kind === 'mention' && span.platformUserId === who.platformUserId) return { kind: 'text', text: DELETED_NAME };
      if (span.kind === 'bold' || span.kind === 'italic') return { ...span, children: unmention(span.children) };
      return span;
    });
  const blocks = message.blocks
    .map((block): Block => {
      switch (block.kind) {
        case 'actions':
          return { ...block, buttons: block.buttons.filter((b) => !theirIds.has(b.payload)) };
        case 'paragraph':
          return { ...block, spans: unmention(block.spans) };
        case 'list':
          return { ...block, items: block.items.map(unmention) };
        case 'fields':
          return { ...block, fields: block.fields.map((f) => ({ ...f, value: unmention(f.value) })) };
        default:
          return block;
      }
    })
    .filter((block) => block.kind !== 'actions' || block.buttons.length > 0);
  return JSON.stringify({ ...message, blocks });
}

/** This flow's buttons, composed into the routing tables in src/routes.ts. */
export const privacyRoutes: FlowRoutes = {
  actions: [
    { actionId: copy.ADMIN_ACTIONS.confirmDelete, run: (ctx, inv) => deleteMyData(ctx, inv) },
    { actionId: copy.ADMIN_ACTIONS.cancelDelete, run: async () => ({ update: copy.deleteCancelled() }) },
  ],
};
