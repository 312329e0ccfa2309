import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import { commandTextTooLong } from './commands/text.ts';
import type { CommandDefinition } from './commands/types.ts';
import type { ActionHandler, FormHandler, HandlerContext, Invocation, Result, TimerHandler } from './handler.ts';
import type { Config } from './config.ts';
import { ensureCommunity, findCommunity, getCommunity, markCommunityLeft } from './db/communities.ts';
import { claimEvent } from './db/events.ts';
import { DatabaseOutage, isDatabaseUnavailable } from './db/faults.ts';
import { ensureMember, isKnownOnPlatform, rememberedModerators, setModerator, type PlatformUser } from './db/members.ts';
import { takePendingNotices } from './db/notices.ts';
import type { Database } from './db/tables.ts';
import { UserError } from './errors.ts';
import type { Logger } from './logger.ts';
import * as common from './messages/copy/common.ts';
import { dmRefused } from './messages/copy/network.ts';
import type { Form, Message } from './messages/model.ts';
import type { Dispatcher } from './outbox/dispatcher.ts';
import { enqueue } from './outbox/outbox.ts';
import { homeFor } from './flows/home.ts';
import { TIMER_MEETUP_START } from './flows/meetups.ts';
import { ROUND_JOB } from './scheduler/jobs.ts';
import type { PlatformPort } from './platform.ts';
import type { RecurringJobRunner } from './scheduler/recurring-jobs.ts';
import { cancelFailedTimer, claimTimer, dueTimers, nextTimerDueAfter } from './db/timers.ts';
import { settingsFor } from './settings.ts';

/** Who is acting, as an adapter reports it. */
export interface Actor {
  platform: string;
  communityPlatformId: string;
  communityName: string;
  user: PlatformUser;
  /**
   * The platform says so (Slack admin or owner, Discord Manage Server or the moderator role, console --moderator).
   * Leave it out when the platform could not tell: an explicit `false` revokes a remembered moderator.
   */
  isModerator?: boolean;
  /** Members of the channel the command was used in, when the adapter can tell. */
  channelMemberIds?: string[];
}

/** What the adapter shows the actor; everything else goes through the outbox. */
export interface Reply {
  reply?: Message;
  form?: Form;
  update?: Message;
  fieldErrors?: Record<string, string>;
  /** The event was already handled (retry or duplicate); the adapter should do nothing. */
  duplicate?: boolean;
}

/**
 * The routing tables the core dispatches by: command name, form id, a button's
 * action id and a durable timer kind. Composed in src/routes.ts and handed in by
 * the composition root (app.ts); the core imports no registry.
 */
export interface Routes {
  commands: ReadonlyMap<string, CommandDefinition>;
  forms: ReadonlyMap<string, FormHandler>;
  actions: ReadonlyMap<string, ActionHandler>;
  timers: ReadonlyMap<string, TimerHandler>;
}

/**
 * The platform-neutral core. Each entry point runs its handler in one
 * transaction that also writes the outgoing messages to the outbox, so a state
 * change and its messages commit together or not at all.
 */
export class Core {
  constructor(
    readonly db: Kysely<Database>,
    readonly config: Config,
    readonly clock: Clock,
    readonly log: Logger,
    readonly dispatcher: Dispatcher,
    readonly recurringJobs: RecurringJobRunner,
    private readonly routes: Routes,
  ) {}

  private outage: DatabaseOutage | undefined;

  /** Database outages as commands meet them: logged once when one starts and once when it ends. */
  get databaseOutage(): DatabaseOutage {
    return (this.outage ??= new DatabaseOutage(this.log));
  }

  /** A slash command with its raw text. Unknown commands and bad input get a private explanation. */
  command(actor: Actor, name: string, text: string, eventKey?: string): Promise<Reply> {
    const command = this.routes.commands.get(name.replace(/^\//, '').toLowerCase());
    if (!command) {
      return Promise.resolve({ reply: common.problem(`"/${name.replace(/^\//, '').slice(0, 40)}" is not a Circulate command. Try /network help.`) });
    }
    const tooLong = commandTextTooLong(text);
    if (tooLong) return Promise.resolve({ reply: common.problem(tooLong, command.usage) });
    return this.run(actor, eventKey, async (ctx, inv) => {
      if (command.moderatorOnly && !inv.isModerator) return { reply: common.moderatorsOnly() };
      if (command.moderatorOnly) await markModerator(ctx, inv);
      try {
        return await command.run(ctx, inv, text);
      } catch (error) {
        // Add the usage to input errors so the member sees how to get it right.
        if (error instanceof UserError && (error.code === 'invalid_input' || error.code === 'unknown_command')) {
          throw new UserError(error.code, error.message, { ...error.fieldErrors, _usage: command.usage.join('\n') });
        }
        throw error;
      }
    });
  }

  /** A button press, routed by its stable action id. `eventKey` makes repeats no-ops. */
  action(actor: Actor, actionId: string, payload: string, eventKey?: string): Promise<Reply> {
    const handler = this.routes.actions.get(actionId);
    if (!handler) return Promise.resolve({ reply: common.problem('That button is no longer supported.') });
    return this.run(actor, eventKey, async (ctx, inv) => {
      if (handler.moderatorOnly && !inv.isModerator) return { reply: common.moderatorsOnly() };
      return handler.run(ctx, inv, payload);
    });
  }

  /** A form submission; field problems come back as `fieldErrors` and nothing changes. */
  submitForm(actor: Actor, formId: string, values: Record<string, string>, payload = '', eventKey?: string): Promise<Reply> {
    const handler = this.routes.forms.get(formId);
    if (!handler) return Promise.resolve({ reply: common.problem('That form has expired. Please run the command again.') });
    return this.run(
      actor,
      eventKey,
      async (ctx, inv) => {
        if (handler.moderatorOnly && !inv.isModerator) return { reply: common.moderatorsOnly() };
        return handler.submit(ctx, inv, values, payload);
      },
      true,
    );
  }

  /** The member's home view (Slack App Home); read-only, but creates the member on first contact. */
  async home(actor: Actor): Promise<Message> {
    const reply = await this.run(actor, undefined, async (ctx, inv) => ({ reply: await homeFor(ctx, inv) }));
    return reply.reply ?? { blocks: [] };
  }

  /** A workspace or server the bot joined becomes a community (or one that left comes back). */
  async communityJoined(platform: string, platformId: string, name: string): Promise<void> {
    await ensureCommunity(this.db, platform, platformId, name, this.clock.now());
  }

  /** The bot was removed from a workspace or server: its community stops. */
  async communityLeft(platform: string, platformId: string): Promise<void> {
    const community = await findCommunity(this.db, platform, platformId);
    if (community && !community.left_at) await markCommunityLeft(this.db, community.id, this.clock.now());
  }

  /** The community's intros channel as configured (`/network-admin setup intro_channel:`), or null. */
  async introChannelOf(platform: string, platformId: string): Promise<string | null> {
    const community = await findCommunity(this.db, platform, platformId);
    return community ? settingsFor(community, this.config).introChannelId : null;
  }

  /** True when Circulate knows this user as a member of the community with that platform id. */
  async isKnownMember(platform: string, communityPlatformId: string, platformUserId: string): Promise<boolean> {
    return isKnownOnPlatform(this.db, platform, communityPlatformId, platformUserId);
  }

  /**
   * Runs every durable timer due by now, each in its own transaction, claiming it
   * first so two instances (or two calls) never run one timer twice.
   */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await dueTimers(this.db, now);
      if (due.length === 0) return ran;
      for (const timer of due) {
        const handler = this.routes.timers.get(timer.kind);
        try {
          const done = await this.db.transaction().execute(async (trx) => {
            if (!(await claimTimer(trx, timer, now))) return false;
            const community = await getCommunity(trx, timer.community_id);
            if (!community || community.left_at || !handler) return true;
            const ctx = this.context(trx, community);
            const outgoing = await handler(ctx, community, timer.subject_id, now);
            await enqueue(trx, community.id, outgoing, now);
            return true;
          });
          if (done) ran++;
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            // Nothing was committed and the timer is still pending: it runs once the database is back.
            this.databaseOutage.failed(error, now, { timer: timer.kind });
            return ran;
          }
          this.log.error({ err: error, timer: timer.kind, timerId: timer.id }, 'timer failed; it will not be retried');
          await cancelFailedTimer(this.db, timer, now);
        }
      }
    }
  }

  /** Runs the recurring jobs whose slots are due, then the durable timers, then delivers. */
  async tick(): Promise<void> {
    await this.recurringJobs.tick(this.clock.now());
    await this.runDue();
    await this.flush();
  }

  /**
   * Asks each platform whether the moderators a community remembers still
   * are ones, and forgets those it says are not, so a demoted moderator who
   * never uses Circulate again stops receiving reports. Moderators the
   * community lists stay; an unanswered question changes nothing. Returns how
   * many were forgotten.
   */
  async recheckModerators(ports: ReadonlyMap<string, PlatformPort>): Promise<number> {
    const remembered = await rememberedModerators(this.db);
    // Each community's listed moderators, read once however many it remembers.
    const listedIn = new Map<string, Promise<string[] | undefined>>();
    const listedOf = (communityId: string) => {
      let listed = listedIn.get(communityId);
      if (!listed) {
        listed = getCommunity(this.db, communityId).then((c) => (c ? settingsFor(c, this.config, this.log).moderatorIds : undefined));
        listedIn.set(communityId, listed);
      }
      return listed;
    };
    let forgotten = 0;
    for (const member of remembered) {
      const port = ports.get(member.platform);
      if (!port?.moderatorStatus) continue;
      const listed = await listedOf(member.community_id);
      if (!listed) continue;
      const platformSays = await port.moderatorStatus(member.platform_id, member.platform_user_id);
      if (await forgetDemotedModerator(this.db, member.community_id, member, platformSays, listed)) forgotten++;
    }
    if (forgotten) this.log.info({ forgotten }, 'moderators the platform no longer lists were forgotten');
    return forgotten;
  }

  /** The next moment anything is due (a job slot or a timer); lets the console step through time. */
  async nextEventAfter(now: Date): Promise<Date | null> {
    return earliest(await this.recurringJobs.nextDue(now), await this.nextTimerAfter(now));
  }

  /**
   * The next round slot or meetup start after `now`: the work that needs the matching
   * thread, which the app warms up shortly before it (App.prewarmMatching).
   */
  async nextMatchingWorkAfter(now: Date): Promise<Date | null> {
    return earliest(await this.recurringJobs.nextDue(now, [ROUND_JOB]), await this.nextTimerAfter(now, TIMER_MEETUP_START));
  }

  private async nextTimerAfter(now: Date, kind?: string): Promise<Date | null> {
    return nextTimerDueAfter(this.db, now, kind);
  }

  /** Delivers whatever the outbox holds; adapters call it after replying. */
  flush(): Promise<number> {
    return this.dispatcher.drain();
  }

  private context(db: Kysely<Database>, community: Parameters<typeof settingsFor>[0]): HandlerContext {
    return { db, config: this.config, settings: settingsFor(community, this.config, this.log), log: this.log };
  }

  private async run(
    actor: Actor,
    eventKey: string | undefined,
    body: (ctx: HandlerContext, inv: Invocation) => Promise<Result>,
    isForm = false,
  ): Promise<Reply> {
    const now = this.clock.now();
    try {
      const reply = await this.db.transaction().execute(async (trx) => {
        const community = await ensureCommunity(trx, actor.platform, actor.communityPlatformId, actor.communityName, now);
        if (eventKey && !(await claimEvent(trx, community.id, `${actor.platform}:${eventKey}`, now))) return { duplicate: true };
        const member = await ensureMember(trx, community.id, actor.user, now);
        const ctx = this.context(trx, community);
        if (member.removed_at) return { reply: common.removedMember() };
        await forgetDemotedModerator(trx, community.id, member, actor.isModerator, ctx.settings.moderatorIds);
        const inv: Invocation = {
          community,
          member,
          now,
          isModerator: Boolean(actor.isModerator) || ctx.settings.moderatorIds.includes(member.platform_user_id),
          ...(actor.channelMemberIds ? { channelMemberIds: actor.channelMemberIds } : {}),
        };
        const result = await body(ctx, inv);
        await enqueue(trx, community.id, result.outgoing ?? [], now);
        const notices = await this.takeNotices(trx, community.id, member.id);
        const out: Reply = {};
        if (result.reply || notices.length) out.reply = withNotices(result.reply, notices);
        if (result.form) out.form = result.form;
        if (result.update) out.update = result.update;
        if (result.fieldErrors) out.fieldErrors = result.fieldErrors;
        return out;
      });
      this.databaseOutage.recovered(this.clock.now());
      if (!reply.duplicate) void this.flush().catch((err: unknown) => this.log.error({ err }, 'outbox drain failed'));
      return reply;
    } catch (error) {
      if (error instanceof UserError) {
        const { _usage, ...fieldErrors } = error.fieldErrors;
        const usage = _usage ? _usage.split('\n') : [];
        const reply: Reply = { reply: common.problem(error.message, usage) };
        if (isForm) reply.fieldErrors = Object.keys(fieldErrors).length ? fieldErrors : { _form: error.message };
        return reply;
      }
      if (isDatabaseUnavailable(error)) {
        // Nothing was committed; say so plainly, and log the outage once rather than per command.
        this.databaseOutage.failed(error, this.clock.now(), { platform: actor.platform, community: actor.communityPlatformId });
        return { reply: common.temporarilyUnavailable() };
      }
      this.log.error({ err: error, platform: actor.platform, community: actor.communityPlatformId }, 'handler failed');
      return { reply: common.unexpected() };
    }
  }

  private async takeNotices(db: Kysely<Database>, communityId: string, memberId: string): Promise<Message[]> {
    const texts = await takePendingNotices(db, communityId, memberId);
    return texts.map((text) => (text === 'dm_refused' ? dmRefused() : { blocks: [] }));
  }
}

/** The earliest of the known dates, or null when none is known. */
function earliest(...dates: (Date | null)[]): Date | null {
  const known = dates.filter((d): d is Date => d !== null);
  return known.length ? new Date(Math.min(...known.map((d) => d.getTime()))) : null;
}

/** Remembers who moderates, so reports reach them privately. */
async function markModerator(ctx: HandlerContext, inv: Invocation): Promise<void> {
  if (inv.member.is_moderator !== 1) {
    await setModerator(ctx.db, inv.community.id, inv.member.id, true);
  }
}

/**
 * A remembered moderator whom the platform now says is not one (and whom the
 * community does not list) stops being one here too, so reports stop reaching them.
 * True when it did.
 */
async function forgetDemotedModerator(
  db: Kysely<Database>,
  communityId: string,
  member: { id: string; is_moderator: number; platform_user_id: string },
  platformSays: boolean | undefined,
  listed: string[],
): Promise<boolean> {
  if (platformSays !== false || member.is_moderator !== 1 || listed.includes(member.platform_user_id)) return false;
  await setModerator(db, communityId, member.id, false);
  return true;
}

function withNotices(reply: Message | undefined, notices: Message[]): Message {
  if (notices.length === 0 && reply) return reply;
  return { ...reply, blocks: [...(reply?.blocks ?? []), ...notices.flatMap((n) => n.blocks)] };
}
