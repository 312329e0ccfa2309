import { DAY } from '../time.ts';
import type { HandlerContext } from '../handler.ts';
import type { CommunityRow } from '../db/tables.ts';
import { postPromptAndDigest, postReconnectInvite } from '../flows/prompts.ts';
import { announceRound, runRound } from '../flows/rounds.ts';
import type { Outgoing } from '../outbox/outbox.ts';
import type { CommunitySettings } from '../settings.ts';
import { cadenceSlots, weeklySlots } from './slots.ts';


/**
 * A recurring job of a community: when its slots fall, and what it does in one.
 * Jobs return the messages they cause; the rhythm writes them to the outbox in
 * the same transaction that claims the slot.
 */
export interface RecurringJob {
  name: string;
  slots(settings: CommunitySettings, from: Date, to: Date): Date[];
  run(ctx: HandlerContext, community: CommunityRow, slot: Date): Promise<Outgoing[]>;
}

const promptSchedule = (s: CommunitySettings) => ({ day: s.promptDay, time: s.promptTime, zone: s.timeZone });
const roundSlots = (s: CommunitySettings, from: Date, to: Date): Date[] =>
  cadenceSlots(s.pairingCadence, weeklySlots(promptSchedule(s), from, to), s.timeZone);

/** The pairing round's job name (the app warms the matching thread up before its slots). */
export const ROUND_JOB = 'round';

export const JOBS: readonly RecurringJob[] = [
  {
    name: 'prompt',
    slots: (s, from, to) => weeklySlots(promptSchedule(s), from, to),
    run: (ctx, community, slot) => postPromptAndDigest(ctx, community, slot),
  },
  {
    name: 'reconnect.invite',
    slots: (s, from, to) => cadenceSlots('monthly', weeklySlots(promptSchedule(s), from, to), s.timeZone),
    run: (ctx, community) => postReconnectInvite(ctx, community),
  },
  {
    // The day before each round: warn the opted-in, invite the rest.
    name: 'round.notice',
    slots: (s, from, to) =>
      roundSlots(s, new Date(from.getTime() + DAY), new Date(to.getTime() + DAY)).map((d) => new Date(d.getTime() - DAY)),
    run: (ctx, community, slot) => announceRound(ctx, community, new Date(slot.getTime() + DAY)),
  },
  {
    name: ROUND_JOB,
    slots: roundSlots,
    run: (ctx, community, slot) => runRound(ctx, community, slot),
  },
];
