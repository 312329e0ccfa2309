import type { Kysely } from 'kysely';
import { findMemberByName, findMemberByPlatformId } from '../db/members.ts';
import type { Database, MemberRow } from '../db/tables.ts';
import { UserError } from '../errors.ts';

/**
 * A leading member reference: Slack's `<@U123>` / `<@U123|name>`, Discord's
 * `<@123>` / `<@!123>`, or a plain `@Display Name` token (no spaces) on the console.
 */
const REF = /^\s*(?:<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>|@([^\s:]+))\s*/;

/** Splits a leading member reference off the text, resolving it within the community. */
export async function takeMemberRef(
  db: Kysely<Database>,
  communityId: string,
  text: string,
): Promise<{ member: MemberRow | null; rest: string }> {
  const match = REF.exec(text);
  if (!match) return { member: null, rest: text };
  const rest = text.slice(match[0].length);
  const token = match[1] ?? match[2]!;
  if (['everyone', 'here', 'channel'].includes(token.toLowerCase())) {
    throw new UserError('invalid_input', 'Circulate never pings groups. Name one member, or leave the name out.');
  }
  const member = match[1]
    ? await findMemberByPlatformId(db, communityId, token)
    : ((await findMemberByName(db, communityId, token)) ?? (await findMemberByPlatformId(db, communityId, token)));
  if (!member) throw new UserError('not_found', `Nobody called "${token}" has used Circulate here yet. Check the name, or leave it out.`);
  return { member, rest };
}
