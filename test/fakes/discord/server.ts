/**
 * A faithful, in-process fake of Discord (REST API v10 + Gateway v10) that the
 * REAL discord.js 14 client can log into. Circulate's Discord adapter is tested
 * end-to-end against it: the adapter runs unmodified, and tests drive it by
 * dispatching gateway events (interactions, guild joins/leaves) and asserting
 * on the REST calls it made (what was posted, to whom, who would be pinged).
 *
 * Point discord.js at it with:
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restBase } });
 * await client.login(fake.token);
 * ```
 * `GET /gateway/bot` tells @discordjs/ws to connect to `fake.gatewayUrl`.
 *
 * Fidelity choices (see README.md): payload limits, error codes/shapes,
 * interaction acknowledgement rules, 429 headers and allowed_mentions
 * semantics follow Discord's docs. Not modelled: real rate-limit buckets
 * (only injected 429s), per-channel permission overwrites, ETF encoding.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  modalSubmitInteraction,
  stringSelectInteraction,
} from './builders.ts';
import { computePings, type Pings } from './mentions.ts';
import { RestRouter } from './rest.ts';
import { CALLBACK_ROUTE } from './routes/common.ts';
import { repliedAuthor } from './routes/messages.ts';
import type {
  FakeDiscordOptions,
  FakeGuildInit,
  FakeInteraction,
  IdentifyRecord,
  InteractionInit,
  OptionsInit,
  OptionValue,
  RecordedCall,
} from './types.ts';
import { isObj, type Obj } from './validation.ts';
import { DiscordWorld } from './world.ts';

export { snowflake, Perm, ALL_PERMISSIONS } from './fixtures.ts';
export { computePings, hasMentionSyntax, parseMentionSyntax, type Pings } from './mentions.ts';
export type { DiscordErrorBody, Obj } from './validation.ts';
export type * from './types.ts';

/**
 * A running fake Discord. Emits `call` (RecordedCall), `identify`
 * (IdentifyRecord), `resume`, `heartbeat` and `connection` events for tests
 * that want to observe the protocol directly.
 *
 * The world (users, guilds, channels, messages, lookups) comes from {@link DiscordWorld};
 * REST is answered by {@link RestRouter} from the route groups in routes/, the gateway by
 * `this.gateway`. This class adds what tests drive and inspect.
 */
export class FakeDiscord extends DiscordWorld {
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly rest: RestRouter;

  /** @internal use {@link startFakeDiscord} */
  constructor(server: http.Server, wss: WebSocketServer, port: number, options: FakeDiscordOptions) {
    super(port, options);
    this.server = server;
    this.wss = wss;
    this.rest = new RestRouter(this);
    server.on('request', (req, res) => void this.rest.handleHttp(req, res));
    wss.on('connection', (ws, req) => this.gateway.handleConnection(ws, req));
  }

  /** Client options that point discord.js at this fake: spread into `new Client({...})`. */
  clientOptions(): { rest: { api: string } } {
    return { rest: { api: this.restBase } };
  }

  // -------------------------------------------------------------------------
  // Call log helpers
  // -------------------------------------------------------------------------

  /** Calls with this method whose path matches `route` (regex on the path after `/api/v10`). */
  callsTo(method: string, route: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method.toUpperCase() && route.test(c.path));
  }

  /** Calls no route handled: the adapter used an endpoint the fake lacks (or a wrong path). */
  unhandledCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.unhandled);
  }

  /** Calls that created a message (channel messages, follow-ups, type-4 callbacks), with pings. */
  messageCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.pings !== undefined);
  }

  /**
   * Who a message-creating call would notify, following allowed_mentions
   * rules; computed from the call's body when it was not a message call.
   */
  pingsOf(call: RecordedCall): Pings {
    if (call.pings) return call.pings;
    const body = isObj(call.body) ? (isObj(call.body.data) ? call.body.data : call.body) : {};
    return computePings(body, repliedAuthor(this, body));
  }

  /** Forgets recorded calls, identifies, heartbeats and pending injections (world state — users, guilds, messages, commands — stays). */
  reset(): void {
    this.calls.length = 0;
    this.identifies.length = 0;
    this.heartbeats = 0;
    this.rest.reset();
  }

  /**
   * Resolves with the first call (already recorded or future) matching
   * `predicate`, after the fake has answered it. Rejects after `timeoutMs`.
   */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall): void => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(new Error(`FakeDiscord.waitForCall: no matching call within ${timeoutMs}ms; calls: ${this.calls.map((c) => `${c.method} ${c.path} → ${c.status}`).join(', ') || '(none)'}`));
      }, timeoutMs);
      this.on('call', onCall);
    });
  }

  /** Resolves with the bot's (first) interaction callback for `interactionId`. */
  waitForCallback(interactionId: string, timeoutMs = 5000): Promise<RecordedCall> {
    return this.waitForCall((c) => c.route === CALLBACK_ROUTE && c.params.interaction === interactionId, timeoutMs);
  }

  /** Resolves with the next accepted IDENTIFY (or the latest one if already received). */
  waitForIdentify(timeoutMs = 5000): Promise<IdentifyRecord> {
    const last = this.identifies.at(-1);
    if (last) return Promise.resolve(last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('FakeDiscord.waitForIdentify timed out')), timeoutMs);
      this.once('identify', (r: IdentifyRecord) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  // -------------------------------------------------------------------------
  // Fault injection
  // -------------------------------------------------------------------------

  /**
   * Answers the next `times` matching requests with 429, Discord-style: body
   * `{message, retry_after, global}` and headers `Retry-After` (whole seconds,
   * rounded up, as Discord sends), `X-RateLimit-Limit/Remaining(0)/Reset/
   * Reset-After/Bucket/Scope` (+ `X-RateLimit-Global` when global).
   * @discordjs/rest waits for Reset-After (sequential buckets) or Retry-After
   * (interaction callbacks) and retries transparently.
   */
  injectRateLimit(opts: { route: RegExp; method?: string; times?: number; retryAfter?: number; global?: boolean; scope?: 'user' | 'global' | 'shared' }): void {
    this.rest.injectRateLimit(opts);
  }

  /**
   * Answers the next `times` matching requests with `status` (default 500).
   * Note @discordjs/rest retries 5xx up to `retries` (3) times before throwing
   * HTTPError, so `times <= 3` is invisible to the bot except for latency.
   */
  injectError(opts: { route: RegExp; method?: string; times?: number; status?: number; body?: unknown }): void {
    this.rest.injectError(opts);
  }

  /**
   * Answers matching calls `ms` late, after they took effect: a slow Discord whose message
   * exists while the caller still waits. `ms` 0 removes the rule for that route.
   */
  setLatency(opts: { route: RegExp; method?: string; ms: number }): void {
    this.rest.setLatency(opts);
  }

  // -------------------------------------------------------------------------
  // Gateway: dispatching
  // -------------------------------------------------------------------------

  /** Registers and dispatches INTERACTION_CREATE; returns the raw interaction for assertions. */
  sendInteraction<T extends Obj>(interaction: T): T {
    const id = interaction.id as string;
    this.interactions.set(id, {
      id,
      token: interaction.token as string,
      type: interaction.type as number,
      raw: interaction,
      dispatchedAt: Date.now(),
      acknowledged: false,
      responseType: null,
      callbacks: [],
      originalMessageId: null,
      followupIds: [],
      modal: null,
    });
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }


  /** Adds (if new) and dispatches GUILD_CREATE: the bot joined a guild, or a guild became available. */
  guildCreate(guild: FakeGuildInit | string): Obj {
    const id = typeof guild === 'string' ? this.guild(guild).id : this.addGuild(guild).id;
    return this.gateway.guildCreate(id);
  }

  /** Sends op 7 RECONNECT: clients should reconnect and RESUME. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Closes every gateway connection with `code` (4000 = resumable unknown error). Sessions stay resumable. */
  dropConnections(code = 4000, reason = 'fake: dropped'): void {
    this.gateway.dropConnections(code, reason);
  }

  /** Sends op 9 INVALID_SESSION to all; non-resumable sessions are forgotten. */
  invalidateSessions(resumable = false): void {
    this.gateway.invalidateSessions(resumable);
  }

  /** Number of open gateway connections. */
  get connectionCount(): number {
    return this.gateway.connectionCount;
  }

  // -------------------------------------------------------------------------
  // Interaction builders (builders.ts)
  // -------------------------------------------------------------------------

  /** An APPLICATION_COMMAND (type 2) CHAT_INPUT interaction for `/name`. */
  chatInputInteraction(init: InteractionInit & { name: string; command_id?: string; options?: OptionsInit; subcommand?: string; subcommandGroup?: string }): FakeInteraction {
    return chatInputInteraction(this, init);
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction; `focused` names the option being typed. */
  autocompleteInteraction(init: InteractionInit & { name: string; focused: string; options?: Record<string, OptionValue>; subcommand?: string }): FakeInteraction {
    return autocompleteInteraction(this, init);
  }

  /**
   * A MESSAGE_COMPONENT (type 3) button click. `message` defaults to the most
   * recent stored message carrying a component with this custom_id (i.e. the
   * bot's own message), else a synthesized bot message.
   */
  buttonInteraction(init: InteractionInit & { custom_id: string; message?: Obj | string }): FakeInteraction {
    return buttonInteraction(this, init);
  }

  /** A MESSAGE_COMPONENT (type 3) string-select submission. */
  stringSelectInteraction(init: InteractionInit & { custom_id: string; values: string[]; message?: Obj | string }): FakeInteraction {
    return stringSelectInteraction(this, init);
  }

  /**
   * A MODAL_SUBMIT (type 5) interaction. Give `fields` (custom_id → value):
   * components mirror the modal the bot last showed with this custom_id
   * (action rows or Label components), falling back to action rows.
   */
  modalSubmitInteraction(init: InteractionInit & { custom_id: string; fields?: Record<string, string>; components?: Obj[]; message?: Obj }): FakeInteraction {
    return modalSubmitInteraction(this, init);
  }

  // -------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------

  /** Closes gateway connections and the HTTP server; safe to call twice. */
  async close(): Promise<void> {
    this.gateway.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.removeAllListeners();
  }
}

/**
 * Starts a fake Discord on 127.0.0.1 (random port): REST under `/api/v10`
 * and the gateway (WebSocket upgrade) on the same port.
 */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = http.createServer();
  server.keepAliveTimeout = 1000;
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('FakeDiscord: no port');
  return new FakeDiscord(server, wss, address.port, options);
}
