import type { IncomingHttpHeaders } from 'node:http';
import type { App as BoltApp, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type { InstallProvider, InstallURLOptions } from '@slack/oauth';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../src/index.ts';
import { ackableAtOnce, parseSlackBody, timestampOutOfWindow, verifySignature } from './verify.ts';
import type { WorkQueue } from './work-queue.ts';

/**
 * Bolt's receiver on Circulate's own HTTP server (adapters/http/server.ts):
 * Slack's requests arrive at `/slack/events` as Fastify routes, are verified
 * here (verify.ts) and handed to Bolt with `app.processEvent`.
 *
 * Slack wants every request acknowledged within 3 seconds. Requests whose ack
 * is always an empty 200 (slash commands, buttons, events) are answered as soon
 * as they are verified, and dispatched afterwards through the work queue with a
 * no-op `ack`. Modal submissions and anything else wait for the listener's ack,
 * whose body (e.g. `response_action: errors`) becomes the HTTP response.
 * `url_verification` and `ssl_check` are answered here.
 *
 * The server has read the whole body (within its size and time limits) before
 * a route runs, so a slow or unverified client never reaches this code: only
 * verified requests waiting for their ack count as {@link SlackFrontDoor.busy}.
 */

/** A verified request as it is handed to Bolt, less the `customProperties` and `ack` each dispatch adds. */
interface Incoming {
  body: Record<string, unknown>;
  retryNum: number | undefined;
  retryReason: string | undefined;
}

/** What the gate decides for a verified request: serve it, answer it with nothing, or refuse for now (503). */
export type GateDecision = 'accept' | 'ignore' | 'unavailable';

export interface FrontDoorOptions {
  signingSecret: string;
  /** Where dispatches of already-answered requests run: after the acks of requests still in flight. */
  work: WorkQueue;
  log: Logger;
  /** The events endpoint path (default /slack/events). */
  path?: string;
  /** How long after the last verified request arrived the burst counts as over (default 5 ms: requests of a burst arrive microseconds apart, while a steady stream of commands must not hold every answer back). */
  quietMs?: number;
  /** Decides per verified request, before Bolt sees it (single-workspace mode: the team must be ours). */
  gate?: (body: Record<string, unknown>) => GateDecision;
  /** OAuth install routes, when OAuth is configured. */
  oauth?: {
    installer: InstallProvider;
    installUrlOptions: InstallURLOptions;
    installPath?: string;
    redirectUriPath?: string;
  };
  /** Replaces `app.processEvent` (tests). */
  dispatch?: (event: ReceiverEvent) => Promise<void>;
  /** How long a listener may take to ack before the request is answered with an empty 200 (default 3 s: Slack has given up by then). */
  ackTimeoutMs?: number;
  now?: () => number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** The workspace a Slack request comes from, wherever its kind keeps it. */
export function teamOf(body: Record<string, unknown>): string | undefined {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const team = body.team as { id?: unknown } | null | undefined;
  const user = body.user as { team_id?: unknown } | null | undefined;
  const view = body.view as { team_id?: unknown } | null | undefined;
  const auth = Array.isArray(body.authorizations) ? (body.authorizations[0] as { team_id?: unknown } | undefined) : undefined;
  return str(body.team_id) ?? str(team?.id) ?? str(auth?.team_id) ?? str(user?.team_id) ?? str(view?.team_id);
}

/** Interactivity payload types; Bolt reads `user.id` (and `view` for views) from every one of them. */
const INTERACTIVE = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
  'workflow_step_edit',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a verified body cannot be a request Slack sends (Bolt would throw on it),
 * or null when its shape is fine. Slack never sends these; a client holding the
 * signing secret might, and gets a 400 instead of a 500.
 */
export function malformed(body: Record<string, unknown>): string | null {
  if (typeof body.command === 'string') return typeof body.user_id === 'string' ? null : 'a command without user_id';
  const type = body.type;
  if (type === 'event_callback') return isObject(body.event) && typeof body.event.type === 'string' ? null : 'an event_callback without an event';
  if (typeof type !== 'string' || !INTERACTIVE.has(type)) return null;
  if (!isObject(body.user) || typeof body.user.id !== 'string') return `${type} without a user`;
  if (type.startsWith('view_')) {
    const view = body.view;
    if (!isObject(view) || typeof view.callback_id !== 'string') return `${type} without a view and its callback_id`;
    if (type === 'view_submission' && (!isObject(view.state) || !isObject(view.state.values) || !Array.isArray(view.blocks))) {
      return 'view_submission without state values or blocks';
    }
  }
  if (type === 'block_actions') {
    const actions = body.actions;
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => isObject(a) && typeof a.action_id === 'string')) {
      return 'block_actions without actions';
    }
    if (!isObject(body.container)) return 'block_actions without a container';
  }
  return null;
}

export function kindOf(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return `command ${body.command}`;
  const event = body.event as { type?: unknown } | undefined;
  return typeof event?.type === 'string' ? `event ${event.type}` : String(body.type ?? 'unknown');
}

/** The Bolt receiver; register its routes on the HTTP server with {@link SlackFrontDoor.register}. */
export class SlackFrontDoor implements Receiver {
  private app: BoltApp | undefined;
  private awaitingAck = 0;
  private lastArrival = -Infinity;
  private readonly path: string;
  private readonly quietMs: number;
  private readonly now: () => number;

  constructor(private readonly options: FrontDoorOptions) {
    this.path = options.path ?? '/slack/events';
    this.quietMs = options.quietMs ?? 5;
    this.now = options.now ?? Date.now;
  }

  init(app: BoltApp): void {
    this.app = app;
  }

  /** The shared HTTP server listens; nothing to start here. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Verified requests whose answer waits for a listener's ack. */
  inFlight(): number {
    return this.awaitingAck;
  }

  /**
   * True while verified requests wait for their ack or one arrived within the
   * last `quietMs`: a burst is still coming in, and its acks go first. Wire it
   * into `work.deferWhile`.
   */
  busy(): boolean {
    return this.awaitingAck > 0 || performance.now() - this.lastArrival < this.quietMs;
  }

  /** Registers the Slack routes, in their own scope so the raw-body parsers stay Slack's. */
  async register(fastify: FastifyInstance): Promise<void> {
    await fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      // The signature covers the raw bytes: keep them, parse after verifying.
      scope.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json'], { parseAs: 'buffer' }, (_req, body, done) => {
        done(null, body);
      });
      scope.post(this.path, {
        // Refused before the body is read: no signature at all, or a timestamp outside the 5-minute window (either way).
        onRequest: async (request, reply) => {
          if (!header(request.headers, 'x-slack-signature') || timestampOutOfWindow(request.headers, this.now())) {
            if (timestampOutOfWindow(request.headers, this.now())) this.options.log.warn({ path: this.path }, 'request timestamp outside the 5-minute window; refused');
            // Closing the connection spares reading a body nobody will use.
            return reply.code(401).header('Connection', 'close').send();
          }
        },
        handler: (request, reply) => this.handleEvents(request, reply),
      });
      const oauth = this.options.oauth;
      if (oauth) {
        scope.get(oauth.installPath ?? '/slack/install', (request, reply) => {
          reply.hijack();
          oauth.installer.handleInstallPath(request.raw, reply.raw, {}, oauth.installUrlOptions).catch((error: unknown) => this.oauthFailed(error, reply));
        });
        scope.get(oauth.redirectUriPath ?? '/slack/oauth_redirect', (request, reply) => {
          reply.hijack();
          oauth.installer.handleCallback(request.raw, reply.raw, {}).catch((error: unknown) => this.oauthFailed(error, reply));
        });
      }
    });
  }

  private oauthFailed(error: unknown, reply: FastifyReply): void {
    this.options.log.error({ err: error }, 'Slack OAuth request failed');
    if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
    else reply.raw.end();
  }

  private async handleEvents(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const contentType = header(request.headers, 'content-type');
    if (!verifySignature(this.options.signingSecret, request.headers, raw, this.now())) {
      // Slack's ssl_check is answered whatever it carries (it reveals nothing); everything else unsigned is refused.
      if (parseSlackBody(contentType, raw)?.ssl_check !== undefined) return reply.code(200).send();
      return reply.code(401).send();
    }
    const body = parseSlackBody(contentType, raw);
    if (!body) return reply.code(400).type('text/plain').send('Bad Request');
    if (body.ssl_check !== undefined) return reply.code(200).send();
    if (body.type === 'url_verification') return reply.code(200).send({ challenge: body.challenge });
    const problem = malformed(body);
    if (problem) {
      this.options.log.warn({ problem }, 'a signed Slack request of an impossible shape; refused');
      return reply.code(400).type('text/plain').send('Bad Request');
    }

    this.lastArrival = performance.now();
    const decision = this.options.gate?.(body) ?? 'accept';
    if (decision === 'ignore') return reply.code(200).send();
    if (decision === 'unavailable') return reply.code(503).header('Retry-After', '5').send();

    const retry = header(request.headers, 'x-slack-retry-num');
    const retryNum = retry === undefined ? undefined : Number.parseInt(retry, 10);
    const retryReason = header(request.headers, 'x-slack-retry-reason');
    if (ackableAtOnce(body)) {
      reply.code(200).send();
      this.dispatchAfterAck({ body, retryNum, retryReason });
      return reply;
    }
    return this.dispatchAwaitingAck(reply, { body, retryNum, retryReason });
  }

  private dispatch(event: ReceiverEvent): Promise<void> {
    if (this.options.dispatch) return this.options.dispatch(event);
    if (!this.app) return Promise.reject(new Error('the Slack receiver was not initialised by a Bolt app'));
    return this.app.processEvent(event);
  }

  /** Queues the Bolt dispatch of an answered request; a failure there is logged, never thrown. */
  private dispatchAfterAck(incoming: Incoming): void {
    const { log, work } = this.options;
    const { body } = incoming;
    const event: ReceiverEvent = {
      ...incoming,
      customProperties: {},
      ack: async (response?: unknown) => {
        if (response !== undefined) log.warn({ kind: kindOf(body) }, 'a listener acked with a body after the front door had answered; ignored');
      },
    };
    work.push(async () => {
      try {
        await this.dispatch(event);
      } catch (error) {
        log.error({ err: error, kind: kindOf(body) }, 'Slack request failed after its acknowledgement');
      }
    });
  }

  /** Runs the listeners now and answers with whatever they ack (modal submissions: inline errors, the next view). */
  private async dispatchAwaitingAck(reply: FastifyReply, incoming: Incoming): Promise<FastifyReply> {
    const { log, work } = this.options;
    const { body } = incoming;
    this.awaitingAck++;
    let acked = false;
    let settle!: (response: { body?: unknown; failed?: boolean }) => void;
    const answer = new Promise<{ body?: unknown; failed?: boolean }>((resolve) => (settle = resolve));
    const event: ReceiverEvent = {
      ...incoming,
      customProperties: {},
      ack: async (response?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        settle({ body: response });
      },
    };
    const timer = setTimeout(() => {
      if (!acked) log.warn({ kind: kindOf(body) }, 'a Slack request was not acknowledged in time; answered empty');
      settle({});
    }, this.options.ackTimeoutMs ?? 3000);
    this.dispatch(event).then(
      () => settle({}),
      (error: unknown) => {
        log.error({ err: error, kind: kindOf(body) }, 'Slack request failed');
        settle({ failed: !acked });
      },
    );
    try {
      const result = await answer;
      if (result.failed) return reply.code(500).send();
      if (result.body === undefined || result.body === null || result.body === '') return reply.code(200).send();
      if (typeof result.body === 'string') return reply.code(200).type('text/plain').send(result.body);
      return reply.code(200).type('application/json').send(JSON.stringify(result.body));
    } finally {
      clearTimeout(timer);
      if (--this.awaitingAck === 0) work.kick();
    }
  }
}
