import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { CommunityRow, Database, MemberRow } from './db/tables.ts';
import type { Logger } from './logger.ts';
import type { Form, Message } from './messages/model.ts';
import type { Outgoing } from './outbox/outbox.ts';
import type { CommunitySettings } from './settings.ts';

/*
 * The handler's contract, shared by commands, flows, forms, buttons and timers:
 * who is acting (Invocation), what a handler has at hand (HandlerContext) and
 * what it returns (Result). It lives below both commands/ and flows/ so that
 * flows never import commands.
 */

/** Who is acting, where, and when; built by the core from what an adapter reports. */
export interface Invocation {
  community: CommunityRow;
  member: MemberRow;
  now: Date;
  isModerator: boolean;
  /** Platform user ids in the channel the command came from, when the adapter knows them. */
  channelMemberIds?: string[];
}

/**
 * What a handler has at hand: the database inside the transaction that will also
 * hold the outgoing messages, the config and the community's settings. No transport.
 */
export interface HandlerContext {
  db: Kysely<Database>;
  config: Config;
  settings: CommunitySettings;
  log: Logger;
}

/** What a handler returns; the core writes `outgoing` to the outbox in the same transaction. */
export interface Result {
  /** Shown only to the caller (ephemeral). */
  reply?: Message;
  /** Open this form for the caller instead of (or after) replying. */
  form?: Form;
  /** For button presses: replace the message that carried the button. */
  update?: Message;
  /** For form submissions: problems to show beside each field; nothing was changed. */
  fieldErrors?: Record<string, string>;
  outgoing?: Outgoing[];
}

/** A form's submission handler; values are raw strings keyed by field name. */
export interface FormHandler {
  formId: string;
  /** True for forms only moderators may submit. */
  moderatorOnly?: boolean;
  submit(ctx: HandlerContext, inv: Invocation, values: Record<string, string>, payload: string): Promise<Result>;
}

/** A button's handler, routed by the button's stable action id. */
export interface ActionHandler {
  actionId: string;
  /** True for buttons only moderators may press. */
  moderatorOnly?: boolean;
  run(ctx: HandlerContext, inv: Invocation, payload: string): Promise<Result>;
}

/** What a durable timer kind does when it comes due; returns the messages it causes. */
export type TimerHandler = (ctx: HandlerContext, community: CommunityRow, subjectId: string, now: Date) => Promise<Outgoing[]>;

/** What a flow contributes to the routing tables (src/routes.ts): its buttons and its timer kinds. */
export interface FlowRoutes {
  actions?: readonly ActionHandler[];
  timers?: Readonly<Record<string, TimerHandler>>;
}
