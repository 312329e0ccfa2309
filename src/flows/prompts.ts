import { WEEK } from '../time.ts';
import type { Kysely } from 'kysely';
import type { HandlerContext } from '../handler.ts';
import { newOffersSince } from '../db/offers.ts';
import { opportunitiesSince } from '../db/opportunities.ts';
import { addCommunityPrompt, listCommunityPrompts, promptPostCounts, recordPromptPost, setCommunityPromptDisabled } from '../db/prompts.ts';
import { openIntroAsks } from '../db/requests.ts';
import type { CommunityRow, Database } from '../db/tables.ts';
import { newId } from '../ids.ts';
import * as copy from '../messages/copy/rhythm.ts';
import { BUILTIN_PROMPTS, type Prompt, type PromptTheme } from '../messages/prompts.ts';
import type { Outgoing } from '../outbox/outbox.ts';


/**
 * Weekly prompts rotate through the built-in list plus the community's own, with
 * no repeat until every enabled prompt has been used; then the rotation restarts.
 */
export async function promptsFor(db: Kysely<Database>, communityId: string): Promise<(Prompt & { disabled: boolean })[]> {
  const rows = await listCommunityPrompts(db, communityId);
  const overrides = new Map(rows.map((r) => [r.key, r]));
  const builtins = BUILTIN_PROMPTS.map((p) => ({ ...p, disabled: overrides.get(p.key)?.disabled === 1 }));
  const custom = rows
    .filter((r) => r.text !== null)
    .map((r) => ({ key: r.key, theme: r.theme as PromptTheme, text: r.text!, disabled: r.disabled === 1 }));
  return [...builtins, ...custom];
}

/** Picks the next prompt: the least-used enabled one, in list order, so none repeats before all are used. */
export async function nextPrompt(db: Kysely<Database>, communityId: string): Promise<Prompt | null> {
  const prompts = (await promptsFor(db, communityId)).filter((p) => !p.disabled);
  if (prompts.length === 0) return null;
  const used = await promptPostCounts(db, communityId);
  let best = prompts[0]!;
  for (const p of prompts) if ((used.get(p.key) ?? 0) < (used.get(best.key) ?? 0)) best = p;
  return best;
}

/** Adds a community's own prompt; returns its key. */
export async function addPrompt(db: Kysely<Database>, communityId: string, theme: PromptTheme, text: string, now: Date): Promise<string> {
  const key = `custom-${newId().slice(0, 8)}`;
  await addCommunityPrompt(db, communityId, { key, theme, text, disabled: false }, now);
  return key;
}

/** Turns a prompt (built-in or custom) off or back on for one community. */
export async function setPromptDisabled(db: Kysely<Database>, communityId: string, key: string, disabled: boolean, now: Date): Promise<boolean> {
  const builtin = BUILTIN_PROMPTS.find((p) => p.key === key);
  if (await setCommunityPromptDisabled(db, communityId, key, disabled)) return true;
  if (!builtin) return false;
  await addCommunityPrompt(db, communityId, { key, theme: builtin.theme, text: null, disabled }, now);
  return true;
}

/** The weekly post: this week's prompt, then the digest of new offers and open asks. */
export async function postPromptAndDigest(ctx: HandlerContext, community: CommunityRow, slot: Date): Promise<Outgoing[]> {
  const channelId = ctx.settings.promptChannelId;
  if (!channelId) {
    ctx.log.info({ community: community.id }, 'no prompt channel set; weekly prompt skipped');
    return [];
  }
  const out: Outgoing[] = [];
  const prompt = await nextPrompt(ctx.db, community.id);
  if (prompt) {
    await recordPromptPost(ctx.db, community.id, prompt.key, slot);
    out.push({ to: { kind: 'channel', channelId }, message: copy.weeklyPrompt(prompt.text) });
  }
  out.push({ to: { kind: 'channel', channelId }, message: copy.digest(await digestView(ctx.db, community.id, slot)) });
  return out;
}

async function digestView(db: Kysely<Database>, communityId: string, slot: Date): Promise<copy.DigestView> {
  const since = new Date(slot.getTime() - WEEK);
  const offers = await newOffersSince(db, communityId, since, 15);
  const asks = await openIntroAsks(db, communityId, 10);
  const opportunities = await opportunitiesSince(db, communityId, since, 5);
  return {
    opportunities,
    offers: offers.map((o) => ({ topic: o.topic, name: o.display_name })),
    asks: asks.map((a) => ({ id: a.id, ref: a.ref, topic: a.topic, name: a.display_name, lengthMinutes: a.length_minutes ?? 20 })),
  };
}

/** The monthly nudge to reconnect with someone, posted in the prompt channel. */
export async function postReconnectInvite(ctx: HandlerContext, _community: CommunityRow): Promise<Outgoing[]> {
  const channelId = ctx.settings.promptChannelId;
  return channelId ? [{ to: { kind: 'channel', channelId }, message: copy.reconnectInvite() }] : [];
}
