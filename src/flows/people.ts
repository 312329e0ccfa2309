import type { MemberRow } from '../db/tables.ts';
import type { Destination } from '../messages/model.ts';

/** A private destination for a member. */
export const privateTo = (member: MemberRow): Destination => ({
  kind: 'private',
  platformUserId: member.platform_user_id,
  memberId: member.id,
});

/** One shared conversation between members (falls back to a DM each). */
export const conversationOf = (members: MemberRow[], title: string): Destination => ({
  kind: 'conversation',
  platformUserIds: members.map((m) => m.platform_user_id),
  memberIds: members.map((m) => m.id),
  title,
});

/** How a member is named in copy and mentions. */
export const who = (member: MemberRow) => ({ platformUserId: member.platform_user_id, name: member.display_name });
