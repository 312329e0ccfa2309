import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_APP, FAKE_SIGNING_SECRET, FAKE_TEAM, makeTriggerId, stableId } from './defaults.ts';

/**
 * Builders for the HTTP requests Slack sends to a bot's Request URL (slash commands,
 * interactivity payloads, Events API callbacks) and a sender that signs them with the signing
 * secret exactly as Slack does. Bolt verifies every byte of that signature, so a test that uses
 * these talks to the real receiver code path, including its 401s for forged or stale requests.
 */

/** A request body ready to sign and send, plus the decoded payload for assertions. */
export interface SlackRequest {
  kind: 'slash_command' | 'block_actions' | 'view_submission' | 'view_closed' | 'event_callback' | 'url_verification';
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  body: string;
  payload: Record<string, unknown>;
}

/** A user as interactivity payloads describe them. */
export interface PayloadUser {
  id: string;
  username?: string;
  name?: string;
  team_id?: string;
}

/** Workspace/app context shared by every builder; defaults match the fake Web API's. */
export interface RequestContext {
  team_id?: string;
  team_domain?: string;
  api_app_id?: string;
  /** Deprecated verification token Slack still sends; Bolt ignores it. */
  token?: string;
  /** Clock (ms) for event_time, action_ts and trigger_ids (default Date.now). */
  now?: () => number;
}

const VERIFICATION_TOKEN = 'fake-verification-token';

function ctx(c: RequestContext = {}) {
  return {
    team_id: c.team_id ?? FAKE_TEAM.id,
    team_domain: c.team_domain ?? FAKE_TEAM.domain,
    api_app_id: c.api_app_id ?? FAKE_APP.appId,
    token: c.token ?? VERIFICATION_TOKEN,
    now: c.now ?? Date.now,
  };
}

function defaultResponseUrl(teamId: string): string {
  return `https://hooks.slack.com/commands/${teamId}/${Math.floor(Math.random() * 1e12)}/${randomBytes(12).toString('hex')}`;
}

function payloadUser(u: PayloadUser, teamId: string) {
  const username = u.username ?? u.name ?? `user_${u.id.toLowerCase()}`;
  return { id: u.id, username, name: u.name ?? username, team_id: u.team_id ?? teamId };
}

function formPayload(kind: SlackRequest['kind'], payload: Record<string, unknown>): SlackRequest {
  return {
    kind,
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    payload,
  };
}

/** Fields of a slash command POST; everything but command/user_id/channel_id defaults. */
export interface SlashCommandInput extends RequestContext {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  trigger_id?: string;
  response_url?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  is_enterprise_install?: boolean;
}

/**
 * A slash command as Slack posts it: form-encoded with every documented field (token, team_id,
 * team_domain, channel_id, channel_name, user_id, user_name, command, text, api_app_id,
 * is_enterprise_install, response_url, trigger_id). Pass `response_url: fake.responseUrl()` so the
 * bot's `respond()` lands on the fake.
 */
export function slashCommand(input: SlashCommandInput): SlackRequest {
  const c = ctx(input);
  const fields: Record<string, string> = {
    token: c.token,
    team_id: c.team_id,
    team_domain: c.team_domain,
    ...(input.enterprise_id ? { enterprise_id: input.enterprise_id, enterprise_name: input.enterprise_name ?? '' } : {}),
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? (input.channel_id.startsWith('D') ? 'directmessage' : 'general'),
    user_id: input.user_id,
    user_name: input.user_name ?? `user_${input.user_id.toLowerCase()}`,
    command: input.command,
    text: input.text ?? '',
    api_app_id: c.api_app_id,
    is_enterprise_install: String(input.is_enterprise_install ?? false),
    response_url: input.response_url ?? defaultResponseUrl(c.team_id),
    trigger_id: input.trigger_id ?? makeTriggerId(c.now()),
  };
  return {
    kind: 'slash_command',
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams(fields).toString(),
    payload: fields,
  };
}

/** One clicked element; buttons by default. */
export interface ActionInput {
  action_id: string;
  block_id?: string;
  value?: string;
  type?: string;
  /** Button label, echoed as `text` like Slack does. */
  text?: string;
  /** For selects: the chosen option. */
  selected_option?: { text: string; value: string };
  action_ts?: string;
}

/** Where the clicked element lives: a message (default) or a view (modal / App Home). */
export interface BlockActionsInput extends RequestContext {
  user: PayloadUser;
  actions: ActionInput[];
  trigger_id?: string;
  response_url?: string;
  /** Message container: the channel and the message that holds the button. */
  channel?: { id: string; name?: string };
  message?: Record<string, unknown> & { ts: string };
  is_ephemeral?: boolean;
  /** View container instead of a message (modal or App Home): the view object as Slack returns it. */
  view?: Record<string, unknown> & { id: string };
  /** state.values, as in view_submission (see {@link stateValues}). */
  state?: Record<string, Record<string, unknown>>;
}

function actionTs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

/**
 * A block_actions interactivity payload (form-encoded `payload=<json>`), for a button in a
 * message by default or in a view when `view` is given (then there is no response_url, as in
 * Slack).
 */
export function blockActions(input: BlockActionsInput): SlackRequest {
  const c = ctx(input);
  const inView = input.view !== undefined;
  const actions = input.actions.map((a) => {
    const type = a.type ?? 'button';
    return {
      type,
      action_id: a.action_id,
      block_id: a.block_id ?? randomBytes(3).toString('hex'),
      ...(type === 'button' ? { text: { type: 'plain_text', text: a.text ?? a.action_id, emoji: true } } : {}),
      ...(a.value !== undefined ? { value: a.value } : {}),
      ...(a.selected_option
        ? { selected_option: { text: { type: 'plain_text', text: a.selected_option.text, emoji: true }, value: a.selected_option.value } }
        : {}),
      action_ts: a.action_ts ?? actionTs(c.now()),
    };
  });
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: payloadUser(input.user, c.team_id),
    api_app_id: c.api_app_id,
    token: c.token,
    container: inView
      ? { type: 'view', view_id: input.view!.id }
      : {
          type: 'message',
          message_ts: input.message?.ts ?? '',
          channel_id: input.channel?.id ?? '',
          is_ephemeral: input.is_ephemeral ?? false,
        },
    trigger_id: input.trigger_id ?? makeTriggerId(c.now()),
    team: { id: c.team_id, domain: c.team_domain },
    enterprise: null,
    is_enterprise_install: false,
    ...(inView
      ? { view: { ...input.view, state: { values: input.state ?? {} } } }
      : {
          channel: { id: input.channel?.id ?? '', name: input.channel?.name ?? 'general' },
          message: input.message ?? {},
          response_url: input.response_url ?? defaultResponseUrl(c.team_id),
          state: { values: input.state ?? {} },
        }),
    actions,
  };
  return formPayload('block_actions', payload);
}

/**
 * Builds `view.state.values` from a short form: a string becomes a plain_text_input value,
 * anything else (e.g. `{type:'static_select', selected_option:{...}}`) is taken as is.
 */
export function stateValues(values: Record<string, Record<string, string | Record<string, unknown>>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    out[blockId] = {};
    for (const [actionId, v] of Object.entries(actions)) {
      out[blockId][actionId] = typeof v === 'string' ? { type: 'plain_text_input', value: v } : v;
    }
  }
  return out;
}

/** What a view_submission needs; `view` can be the object the fake returned from views.open. */
export interface ViewSubmissionInput extends RequestContext {
  user: PayloadUser;
  callback_id?: string;
  private_metadata?: string;
  /** state.values; strings are shorthand for plain_text_input values (see {@link stateValues}). */
  values?: Record<string, Record<string, string | Record<string, unknown>>>;
  view?: Record<string, unknown>;
  trigger_id?: string;
  response_urls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
}

function submittedView(input: ViewSubmissionInput, teamId: string, appId: string, nowMs: number): Record<string, unknown> {
  const base = input.view ?? {};
  const id = typeof base.id === 'string' ? base.id : `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    id,
    team_id: teamId,
    type: 'modal',
    blocks: [],
    title: { type: 'plain_text', text: 'Modal', emoji: true },
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    close: null,
    private_metadata: '',
    callback_id: '',
    external_id: '',
    hash: `${Math.floor(nowMs / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: false,
    notify_on_close: false,
    previous_view_id: null,
    root_view_id: id,
    app_id: appId,
    app_installed_team_id: teamId,
    bot_id: FAKE_APP.botId,
    ...base,
    ...(input.callback_id !== undefined ? { callback_id: input.callback_id } : {}),
    ...(input.private_metadata !== undefined ? { private_metadata: input.private_metadata } : {}),
    state: { values: stateValues(input.values ?? {}) },
  };
}

/** A view_submission payload (form-encoded `payload=<json>`) with view.state.values, callback_id, private_metadata, id and hash. */
export function viewSubmission(input: ViewSubmissionInput): SlackRequest {
  const c = ctx(input);
  const payload = {
    type: 'view_submission',
    team: { id: c.team_id, domain: c.team_domain },
    user: payloadUser(input.user, c.team_id),
    api_app_id: c.api_app_id,
    token: c.token,
    trigger_id: input.trigger_id ?? makeTriggerId(c.now()),
    view: submittedView(input, c.team_id, c.api_app_id, c.now()),
    response_urls: input.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return formPayload('view_submission', payload);
}

/** A view_closed payload, sent only for modals opened with notify_on_close: true. */
export function viewClosed(input: Omit<ViewSubmissionInput, 'trigger_id' | 'response_urls'>): SlackRequest {
  const c = ctx(input);
  return formPayload('view_closed', {
    type: 'view_closed',
    team: { id: c.team_id, domain: c.team_domain },
    user: payloadUser(input.user, c.team_id),
    api_app_id: c.api_app_id,
    token: c.token,
    view: submittedView(input, c.team_id, c.api_app_id, c.now()),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  });
}

/** Envelope fields of an Events API callback; all default. */
export interface EventEnvelopeInput extends RequestContext {
  event_id?: string;
  event_time?: number;
  /** The bot user the event is authorized for (defaults to the fake app's bot). */
  authorized_user_id?: string;
}

/**
 * An Events API `event_callback` (JSON) around `event`, with event_id, event_time,
 * authorizations and event_context. Reuse the same `event_id` with `sendToBot(..., {retryNum})`
 * to model Slack's redelivery of an event the bot did not ack in time.
 */
export function eventCallback(event: Record<string, unknown> & { type: string }, envelope: EventEnvelopeInput = {}): SlackRequest {
  const c = ctx(envelope);
  const eventTime = envelope.event_time ?? Math.floor(c.now() / 1000);
  const payload = {
    token: c.token,
    team_id: c.team_id,
    api_app_id: c.api_app_id,
    event: { event_ts: `${eventTime}.000100`, ...event },
    type: 'event_callback',
    event_id: envelope.event_id ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: c.team_id,
        user_id: envelope.authorized_user_id ?? FAKE_APP.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
  return { kind: 'event_callback', contentType: 'application/json', body: JSON.stringify(payload), payload };
}

/** The app_home_opened event (wrap it with {@link eventCallback}). */
export function appHomeOpened(input: {
  user: string;
  /** The bot's DM with the user; defaults to the ID the fake's conversations.open gives. */
  channel?: string;
  team_id?: string;
  tab?: 'home' | 'messages';
  view?: Record<string, unknown>;
}) {
  return {
    type: 'app_home_opened' as const,
    user: input.user,
    channel: input.channel ?? stableId('D', `${input.team_id ?? FAKE_TEAM.id}:im:${input.user}`),
    tab: input.tab ?? 'home',
    ...(input.view ? { view: input.view } : {}),
  };
}

/** The one-off url_verification handshake Slack sends when the Request URL is saved. */
export function urlVerification(challenge = randomBytes(16).toString('hex'), context: RequestContext = {}): SlackRequest {
  const payload = { token: ctx(context).token, challenge, type: 'url_verification' };
  return { kind: 'url_verification', contentType: 'application/json', body: JSON.stringify(payload), payload };
}

/** `v0=<hex>` — HMAC-SHA256 of `v0:${timestamp}:${rawBody}` keyed with the signing secret. */
export function signature(signingSecret: string, timestampSec: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

/** How to deliver a request; everything but the secret is for testing the bot's defences and retries. */
export interface SendOptions {
  signingSecret?: string;
  /** Clock in ms for X-Slack-Request-Timestamp (default Date.now). */
  now?: () => number;
  /** X-Slack-Retry-Num (1..3 in Slack). */
  retryNum?: number;
  /** X-Slack-Retry-Reason, e.g. 'http_timeout', 'http_error'. */
  retryReason?: string;
  /** Send this timestamp (seconds) instead of now — e.g. now - 6 minutes for a stale request. */
  timestampOverride?: number;
  /** Sign with a wrong secret so the signature does not verify. */
  badSignature?: boolean;
  headers?: Record<string, string>;
  /** Abort if the bot takes longer (Slack itself gives up after 3 s). Default 10 s. */
  timeoutMs?: number;
}

/** What the bot answered. `json` is set when the body parses as JSON. */
export interface BotResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  /** Wall time the bot took to answer, in ms (Slack requires < 3000). */
  elapsedMs: number;
}

/** The headers Slack would send for this request at this time. */
export function signedHeaders(req: SlackRequest, opts: SendOptions = {}): Record<string, string> {
  const secret = opts.signingSecret ?? FAKE_SIGNING_SECRET;
  const ts = opts.timestampOverride ?? Math.floor((opts.now ?? Date.now)() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': req.contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'X-Slack-Request-Timestamp': String(ts),
    'X-Slack-Signature': signature(opts.badSignature ? `${secret}-wrong` : secret, ts, req.body),
    ...(opts.retryNum !== undefined ? { 'X-Slack-Retry-Num': String(opts.retryNum) } : {}),
    ...(opts.retryReason !== undefined ? { 'X-Slack-Retry-Reason': opts.retryReason } : {}),
    ...opts.headers,
  };
  return headers;
}

/** POSTs a built request to the bot's Request URL with Slack's headers and signature. */
export async function sendToBot(url: string, req: SlackRequest, opts: SendOptions = {}): Promise<BotResponse> {
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: signedHeaders(req, opts),
    body: req.body,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const body = await res.text();
  let json: unknown;
  try {
    json = body === '' ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), body, json, elapsedMs: Date.now() - started };
}

/** Binds a Request URL and secret once, for tests that send many requests to one bot. */
export function botSender(url: string, base: SendOptions = {}): (req: SlackRequest, opts?: SendOptions) => Promise<BotResponse> {
  return (req, opts = {}) => sendToBot(url, req, { ...base, ...opts });
}
