import { DAY, HOUR } from '../time.ts';
import type { Kysely } from 'kysely';
import type { HandlerContext } from '../handler.ts';
import type { Config } from '../config.ts';
import type { CommunityRow, Database } from '../db/tables.ts';
import type { Logger } from '../logger.ts';
import { enqueue } from '../outbox/outbox.ts';
import { settingsFor } from '../settings.ts';
import { JOBS, type RecurringJob } from './jobs.ts';

/** How far back a tick looks for unclaimed slots: a little over the longest cadence. */
const LOOKBACK_MS = 36 * DAY;

/**
 * Runs each community's recurring jobs exactly once per slot. A run first claims
 * (community, job, slot) under a unique key in the same transaction as its
 * effects, so a restart or a second instance on the same database never runs a
 * slot twice, and a crash before commit leaves it to be run again. Slots missed
 * by more than the grace window are recorded as skipped and logged, not run late.
 */
export class RecurringJobRunner {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly instanceId: string,
    private readonly jobs: readonly RecurringJob[] = JOBS,
  ) {}

  /** Runs every slot due by `now`; returns how many ran. Safe to call from any instance at any time. */
  async tick(now: Date): Promise<number> {
    let ran = 0;
    const communities = await this.db.selectFrom('communities').selectAll().where('left_at', 'is', null).execute();
    for (const community of communities) ran += await this.tickCommunity(community, now);
    return ran;
  }

  /** The next time any job (or, with `only`, any of those jobs) of any active community falls due after `now`. */
  async nextDue(now: Date, only?: readonly string[]): Promise<Date | null> {
    const communities = await this.db.selectFrom('communities').selectAll().where('left_at', 'is', null).execute();
    let best: Date | null = null;
    const horizon = new Date(now.getTime() + 40 * DAY);
    for (const community of communities) {
      const settings = settingsFor(community, this.config, this.log);
      for (const job of this.jobs) {
        if (only && !only.includes(job.name)) continue;
        const next = job.slots(settings, now, horizon)[0];
        if (next && (!best || next < best)) best = next;
      }
    }
    return best;
  }

  private async tickCommunity(community: CommunityRow, now: Date): Promise<number> {
    const settings = settingsFor(community, this.config, this.log);
    const from = new Date(Math.max(Date.parse(community.created_at), now.getTime() - LOOKBACK_MS));
    const claimed = await this.db
      .selectFrom('job_runs')
      .select(['job', 'slot_at'])
      .where('community_id', '=', community.id)
      .where('slot_at', '>', from.toISOString())
      .execute();
    const done = new Set(claimed.map((r) => `${r.job}@${r.slot_at}`));
    const graceMs = this.config.SCHEDULE_GRACE_HOURS * HOUR;
    let ran = 0;
    const due = this.jobs
      .flatMap((job) => job.slots(settings, from, now).map((slot) => ({ job, slot })))
      .sort((a, b) => a.slot.getTime() - b.slot.getTime() || this.jobs.indexOf(a.job) - this.jobs.indexOf(b.job));
    for (const { job, slot } of due) {
      const slotIso = slot.toISOString();
      if (done.has(`${job.name}@${slotIso}`)) continue;
      if (now.getTime() - slot.getTime() > graceMs) {
        if (await this.claim(this.db, community.id, job.name, slotIso, 'skipped', now)) {
          this.log.warn({ community: community.id, job: job.name, slot: slotIso }, 'missed slot outside the grace window; skipped');
        }
        continue;
      }
      try {
        const didRun = await this.db.transaction().execute(async (trx) => {
          if (!(await this.claim(trx, community.id, job.name, slotIso, 'ran', now))) return false;
          const ctx: HandlerContext = { db: trx, config: this.config, settings, log: this.log };
          await enqueue(trx, community.id, await job.run(ctx, community, slot), now);
          return true;
        });
        if (didRun) {
          ran++;
          this.log.info({ community: community.id, job: job.name, slot: slotIso }, 'recurring job ran');
        }
      } catch (error) {
        this.log.error({ err: error, community: community.id, job: job.name, slot: slotIso }, 'recurring job failed; will retry next tick');
      }
    }
    return ran;
  }

  /** Inserts the slot's claim; false when another run (or instance) already has it. */
  private async claim(db: Kysely<Database>, communityId: string, job: string, slotAt: string, status: 'ran' | 'skipped', now: Date): Promise<boolean> {
    const result = await db
      .insertInto('job_runs')
      .values({ community_id: communityId, job, slot_at: slotAt, status, ran_at: now.toISOString(), instance_id: this.instanceId })
      .onConflict((oc) => oc.columns(['community_id', 'job', 'slot_at']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
