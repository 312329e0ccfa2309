import { createHash } from 'node:crypto';
import type { App as BoltApp, BlockAction, RespondFn, webApi } from '@slack/bolt';
import type { Actor, Core, Form, Logger, Message, Reply } from '../../src/index.ts';
import * as copy from './copy.ts';
import { dmChannel, prepareFiles, shareFiles } from './files.ts';
import { errorsForView, formIdOf, formToModal, metadataOf, replyView, valuesOf } from './forms.ts';
import { homeView } from './home.ts';
import { renderMessage } from './render.ts';
import { MODERATOR_RECHECK_MS, UnknownSlackUser, type UserDirectory } from './users.ts';
import { WorkQueue } from './work-queue.ts';

type WebClient = webApi.WebClient;

/**
 * Bolt listeners for every Slack entry point: slash commands, buttons, modal
 * submissions and App Home. Each one acknowledges first (Slack gives 3 s),
 * turns the request into a core call with a semantic idempotency key, and
 * delivers what comes back. No product rules live here.
 */

/** What the listeners need from the rest of the process. */
export interface ListenerDeps {
  core: Core;
  users: UserDirectory;
  log: Logger;
  /** How long a modal submission may take before we ack without waiting (Slack allows 3 s). */
  submitBudgetMs?: number;
  /** Where post-ack work runs; one is made when not given. */
  work?: WorkQueue;
}

/** Hashes the parts of a key that may be long or carry secrets (trigger ids). */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
}

/** A small first-in-first-out set for de-duplicating read-only events in this process. */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly max = 5000) {}

  /** True the first time a key is seen. */
  claim(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }
}

/** Registers every Circulate listener on a Bolt app. */
export function registerListeners(bolt: BoltApp, deps: ListenerDeps): WorkQueue {
  const { core, users, log } = deps;
  const work = deps.work ?? new WorkQueue(8, (err) => log.error({ err }, 'Slack work failed'));
  const teamNames = new Map<string, string>();
  const seenEvents = new RecentKeys();

  /** The workspace's name for the community row; auth.test needs no extra scope. */
  async function communityName(client: WebClient, teamId: string, fallback: string | undefined): Promise<string> {
    const known = teamNames.get(teamId);
    if (known) return known;
    try {
      const res = await client.auth.test();
      const name = typeof res.team === 'string' && res.team ? res.team : (fallback ?? teamId);
      teamNames.set(teamId, name);
      return name;
    } catch {
      return fallback ?? teamId;
    }
  }

  /**
   * The actor for a Slack user, creating nothing itself: the core creates the
   * member on first contact from what users.info says. Null for bots and
   * deactivated users, who Circulate never serves.
   */
  async function actorFor(
    client: WebClient,
    teamId: string,
    userId: string,
    hints: { userName?: string; teamName?: string },
  ): Promise<Actor | null> {
    let displayName = hints.userName ?? userId;
    let timeZone: string | null = null;
    // Unknown (users.info failing) is not "not a moderator": the core then neither grants nor revokes.
    let isModerator: boolean | undefined;
    let email: string | null = null;
    try {
      const user = await users.get(client, undefined, teamId, userId, undefined, MODERATOR_RECHECK_MS);
      if (user.isBot || user.deleted) return null;
      displayName = user.displayName;
      timeZone = user.timeZone;
      isModerator = user.isAdmin;
      email = user.email;
    } catch (error) {
      if (error instanceof UnknownSlackUser) return null;
      // A rate-limited or failing users.info must not stop the member: use what the payload says.
      log.warn({ method: 'users.info', code: slackCode(error), team: teamId }, 'users.info failed; using the payload name');
    }
    return {
      platform: 'slack',
      communityPlatformId: teamId,
      communityName: await communityName(client, teamId, hints.teamName),
      user: { platformUserId: userId, displayName, timeZone, email },
      ...(isModerator === undefined ? {} : { isModerator }),
    };
  }

  async function openForm(client: WebClient, triggerId: string | undefined, form: Form, fallback: (m: Message) => Promise<void>): Promise<void> {
    try {
      if (!triggerId) throw new Error('no trigger_id');
      await client.views.open({ trigger_id: triggerId, view: formToModal(form) as never });
    } catch (error) {
      log.warn({ method: 'views.open', code: slackCode(error), form: form.formId }, 'could not open a modal');
      await fallback(copy.formDidNotOpen());
    }
  }

  /**
   * An ephemeral answer through response_url, or a DM when the interaction has none (App Home).
   * Ephemeral messages cannot carry files, so a reply's files go to the member's DM with the
   * bot, followed by a short ephemeral note saying so.
   */
  function privateReply(client: WebClient, respond: RespondFn | undefined, userId: string) {
    return async (msg: Message): Promise<void> => {
      if (msg.blocks.length > 0) {
        try {
          if (respond) await respond({ response_type: 'ephemeral', replace_original: false, ...renderMessage(msg) });
          else await client.chat.postMessage({ channel: userId, ...renderMessage(msg) });
        } catch (error) {
          log.warn({ method: respond ? 'response_url' : 'chat.postMessage', code: slackCode(error) }, 'could not answer privately');
        }
      }
      if (msg.files?.length) await filesToDm(client, respond, userId, msg.files);
    };
  }

  /** Uploads files into the member's DM with the bot; with a response_url, an ephemeral note says where they went. */
  async function filesToDm(client: WebClient, respond: RespondFn | undefined, userId: string, files: NonNullable<Message['files']>): Promise<void> {
    const names = files.map((f) => f.name);
    let sent = false;
    try {
      const prepared = await prepareFiles(client, files);
      await shareFiles(client, await dmChannel(client, userId), prepared);
      sent = true;
    } catch (error) {
      log.warn({ method: 'files upload', code: slackCode(error), err: error }, 'could not send files to the DM');
    }
    if (!respond) return;
    try {
      const note = sent ? copy.filesSentToDm(names) : copy.filesNotSent(names);
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderMessage(note) });
    } catch (error) {
      log.warn({ method: 'response_url', code: slackCode(error) }, 'could not say where the files went');
    }
  }

  async function deliver(reply: Reply, client: WebClient, triggerId: string | undefined, say: (m: Message) => Promise<void>): Promise<void> {
    if (reply.duplicate) return;
    if (reply.reply) await say(reply.reply);
    if (reply.form) await openForm(client, triggerId, reply.form, say);
  }

  bolt.command(/^\/[\w-]+$/, async ({ command, ack, respond, client }) => {
    await ack();
    work.push(async () => {
      try {
        const actor = await actorFor(client, command.team_id, command.user_id, { userName: command.user_name, teamName: command.team_domain });
        if (!actor) return;
        // Slash commands carry no id; the trigger id is unique per invocation, so a duplicate delivery has the same key.
        const key = `command:${command.team_id}:${digest(command.team_id, command.user_id, command.trigger_id)}`;
        const reply = await core.command(actor, command.command, command.text ?? '', key);
        await deliver(reply, client, command.trigger_id, privateReply(client, respond, command.user_id));
      } catch (error) {
        log.error({ err: error, command: command.command, team: command.team_id }, 'slash command failed');
      }
    });
  });

  bolt.action({ type: 'block_actions' }, async ({ ack, body, action, respond, client }) => {
    await ack();
    const b = body as BlockAction;
    const a = action as { action_id: string; action_ts?: string; value?: string; selected_option?: { value?: string } };
    const teamId = b.team?.id ?? b.user.team_id ?? '';
    work.push(async () => {
      try {
        if (b.view && formIdOf(b.view.callback_id ?? '') !== null) return; // inputs inside our own modals
        const actor = await actorFor(client, teamId, b.user.id, { userName: b.user.name ?? b.user.username, teamName: b.team?.domain });
        if (!actor) return;
        const container = b.container as { type?: string; message_ts?: string; channel_id?: string; view_id?: string; is_ephemeral?: boolean };
        const where = container.message_ts ?? container.view_id ?? '';
        // One click is one action_ts: a duplicate delivery repeats it, a deliberate second click does not.
        const key = `action:${teamId}:${where}:${a.action_id}:${a.action_ts ?? digest(b.trigger_id)}:${b.user.id}`;
        const reply = await core.action(actor, a.action_id, a.value ?? a.selected_option?.value ?? '', key);
        if (reply.duplicate) return;
        if (reply.update) await replaceOriginal(client, respond, container, reply.update);
        const hasResponseUrl = container.type === 'message' && Boolean((b as { response_url?: string }).response_url);
        await deliver(reply, client, b.trigger_id, privateReply(client, hasResponseUrl ? respond : undefined, b.user.id));
      } catch (error) {
        log.error({ err: error, actionId: a.action_id, team: teamId }, 'button press failed');
      }
    });
  });

  /** Replaces the message that carried the button, so it cannot be pressed again to effect. */
  async function replaceOriginal(
    client: WebClient,
    respond: RespondFn | undefined,
    container: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean },
    update: Message,
  ): Promise<void> {
    try {
      if (container.type === 'message' && !container.is_ephemeral && container.channel_id && container.message_ts) {
        await client.chat.update({ channel: container.channel_id, ts: container.message_ts, ...renderMessage(update) });
      } else if (container.type === 'message' && respond) {
        await respond({ replace_original: true, ...renderMessage(update) });
      }
    } catch (error) {
      log.warn({ method: 'chat.update', code: slackCode(error) }, 'could not replace the original message');
    }
  }

  bolt.view({ type: 'view_submission', callback_id: /^circulate:/ }, async ({ ack, body, view, client }) => {
    const formId = formIdOf(view.callback_id)!;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    let acked = false;
    const safeAck = async (response?: Parameters<typeof ack>[0]): Promise<void> => {
      if (acked) return;
      acked = true;
      await ack(response as never);
    };
    const budget = setTimeout(() => void safeAck({ response_action: 'update', view: replyView(view.title.text, copy.stillWorking()) } as never), deps.submitBudgetMs ?? 2500);
    try {
      const actor = await actorFor(client, teamId, body.user.id, { userName: body.user.name, teamName: body.team?.domain });
      if (!actor) return await safeAck();
      const key = `view:${teamId}:${view.id}:${digest((body as { trigger_id?: string }).trigger_id ?? view.hash ?? '')}`;
      const reply = await core.submitForm(actor, formId, valuesOf(view.state.values as Parameters<typeof valuesOf>[0]), metadataOf(view.private_metadata).payload, key);
      const blockIds = (view.blocks as { block_id?: string; type?: string }[]).filter((bl) => bl.type === 'input').map((bl) => bl.block_id ?? '');
      if (acked) {
        // Too slow for Slack's window: the modal is gone, so the outcome comes as a DM.
        const say = privateReply(client, undefined, body.user.id);
        if (reply.reply) await say(reply.reply);
        return;
      }
      if (reply.duplicate) return await safeAck();
      if (reply.fieldErrors) return await safeAck({ response_action: 'errors', errors: errorsForView(reply.fieldErrors, blockIds) });
      if (reply.form) return await safeAck({ response_action: 'update', view: formToModal(reply.form) as never });
      const files = reply.reply?.files;
      if (files?.length) work.push(() => filesToDm(client, undefined, body.user.id, files));
      if (reply.reply && reply.reply.blocks.length) {
        return await safeAck({ response_action: 'update', view: replyView(view.title.text, reply.reply) as never });
      }
      await safeAck();
    } catch (error) {
      log.error({ err: error, form: formId, team: teamId }, 'modal submission failed');
      await safeAck().catch(() => undefined);
    } finally {
      clearTimeout(budget);
    }
  });

  bolt.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const envelope = body as { event_id?: string; team_id?: string };
    const teamId = envelope.team_id ?? '';
    // Opening Home changes nothing, so an in-process guard is enough to answer each event (and its retries) once.
    if (envelope.event_id && !seenEvents.claim(`${teamId}:${envelope.event_id}`)) return;
    work.push(async () => {
      try {
        const actor = await actorFor(client, teamId, event.user, {});
        if (!actor) return;
        const home = await core.home(actor);
        await client.views.publish({ user_id: event.user, view: homeView(home) as never });
      } catch (error) {
        log.error({ err: error, event: 'app_home_opened', code: slackCode(error), team: teamId }, 'App Home failed');
      }
    });
  });
  return work;
}

/** The Slack error code of a Web API failure, for logs. */
export function slackCode(error: unknown): string | undefined {
  const e = error as { data?: { error?: string }; code?: string };
  return e?.data?.error ?? e?.code;
}
