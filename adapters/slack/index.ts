import { setTimeout as sleep } from 'node:timers/promises';
import { App as BoltApp, SocketModeReceiver, webApi, type Authorize, type InstallationStore } from '@slack/bolt';
import { InstallProvider } from '@slack/oauth';
import { createHttpServer, parseTrustProxy, type HttpServer, type HttpServerOptions } from '../http/server.ts';
import type { App, Config, Logger } from '../../src/index.ts';
import { registerListeners } from './app.ts';
import { SlackFrontDoor, teamOf, type GateDecision } from './front-door.ts';
import { DatabaseInstallationStore, parseEncryptionKey } from './installation-store.ts';
import { boltLogger } from './logger.ts';
import { createSlackPort, type SlackPort } from './port.ts';
import { WorkQueue } from './work-queue.ts';

export { createSlackPort, SlackPort, classifySlackError } from './port.ts';
export { renderMessage } from './render.ts';

/**
 * Everything the Slack adapter reads from the environment, parsed by the
 * composition root. Until `src/config.ts` has them all, {@link slackOptionsFromEnv}
 * reads the missing ones.
 */
export interface SlackOptions {
  /** SLACK_BOT_TOKEN: one workspace. Leave unset for OAuth installs. */
  botToken?: string;
  /** SLACK_SIGNING_SECRET: verifies every HTTP request from Slack. */
  signingSecret: string;
  /** SLACK_APP_TOKEN (xapp-…): when set, Socket Mode instead of HTTP. */
  appToken?: string;
  /** SLACK_API_URL: Web API base URL, e.g. a local fake or a proxy (must end in `/api/`). */
  apiUrl?: string;
  /** PORT: the HTTP port; 0 picks a free one (tests). */
  port: number;
  /** Interface to listen on (default all). */
  host?: string;
  /** SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: OAuth install for many workspaces. */
  clientId?: string;
  clientSecret?: string;
  stateSecret?: string;
  /** SLACK_ENCRYPTION_KEY: 32 bytes (hex or base64) sealing OAuth tokens at rest. */
  encryptionKey?: string;
  /** SLACK_REDIRECT_URI: the OAuth redirect, e.g. https://YOUR-HOST/slack/oauth_redirect. */
  redirectUri?: string;
  /** Limits of the HTTP server startSlack makes when it is not given one (HTTP_* variables). */
  http?: Pick<HttpServerOptions, 'requestTimeoutMs' | 'maxConnections' | 'trustProxy' | 'bodyLimit'>;
}

/** The bot scopes the manifest asks for; OAuth installs request the same. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'mpim:write',
  'users:read',
  'users:read.email',
  'files:write',
  // Only to look for a message whose delivery a restart left unconfirmed (the outbox key in its metadata).
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
];

/** Reads the Slack options from the parsed config plus the variables config.ts does not know yet. */
export function slackOptionsFromEnv(config: Config, env: Record<string, string | undefined> = process.env): SlackOptions {
  const opt = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: opt('SLACK_API_URL'),
    port: config.PORT,
    clientId: opt('SLACK_CLIENT_ID'),
    clientSecret: opt('SLACK_CLIENT_SECRET'),
    stateSecret: opt('SLACK_STATE_SECRET'),
    encryptionKey: opt('SLACK_ENCRYPTION_KEY'),
    redirectUri: opt('SLACK_REDIRECT_URI'),
    http: {
      maxConnections: config.HTTP_MAX_CONNECTIONS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      trustProxy: parseTrustProxy(config.TRUST_PROXY),
    },
  };
}

/** True when the environment configures Slack at all (bin/circulate.ts starts the adapter then). */
export function slackConfigured(options: Pick<SlackOptions, 'signingSecret' | 'botToken' | 'clientId' | 'appToken'>): boolean {
  return Boolean(options.signingSecret && (options.botToken || options.clientId));
}

/** A running Slack adapter. */
export interface SlackHandle {
  stop(): Promise<void>;
  /** The HTTP port (0 in Socket Mode, and before a shared server listens). */
  readonly port: number;
  bolt: BoltApp;
  slackPort: SlackPort;
  /** True once the bot token's workspace is known (always with OAuth). */
  connected(): boolean;
  /** Resolves when the work queued after acknowledgements is done (tests, shutdown). */
  idle(): Promise<void>;
}

/** The first retry after a failed connection, and the longest wait between two. */
export const CONNECT_BACKOFF = { firstMs: 1000, maxMs: 30_000 } as const;

/** Who the bot token belongs to, from auth.test. */
interface Identity {
  teamId: string;
  teamName: string | undefined;
  botUserId: string | undefined;
  botId: string | undefined;
}

/**
 * Starts Circulate on Slack: HTTP on `/slack/events` (commands, interactivity
 * and events on one URL) or Socket Mode when an app token is set, with OAuth
 * install routes when client id and secret are set. Over HTTP, Bolt is attached
 * to the shared HTTP server (`args.http`, or one made and started here) through
 * the front door (front-door.ts), which acknowledges commands, buttons and
 * events as soon as they are verified. Pass the `slackPort` you registered with
 * `createApp` so the outbox and the listeners share one user cache.
 *
 * With a single bot token the workspace is learnt with auth.test: the first
 * attempt is awaited, and if Slack cannot be reached the adapter keeps retrying
 * in the background (1 s, 2 s, 4 s… at most 30 s apart) while the HTTP server
 * answers /healthz, and /readyz says Slack is not connected. Requests from any
 * other workspace are answered with an empty 200 and never reach the core.
 */
export async function startSlack(args: {
  app: App;
  config: Config;
  log: Logger;
  options?: SlackOptions;
  slackPort?: SlackPort;
  /** The process's HTTP server, not yet listening: routes are registered on it and the caller starts it. */
  http?: HttpServer;
  /** How long start-up waits for the first auth.test before carrying on while it completes (default 3 s). */
  firstAttemptMs?: number;
  /** Backoff between connection attempts (tests shorten it). */
  backoff?: { firstMs: number; maxMs: number };
}): Promise<SlackHandle> {
  const { app, config, log } = args;
  const options = args.options ?? slackOptionsFromEnv(config);
  const slackLog = log.child({ platform: 'slack' });
  const oauth = Boolean(options.clientId && options.clientSecret);
  if (!options.appToken && !options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack over HTTP');
  if (!oauth && !options.botToken) throw new Error('set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth)');

  const slackPort = args.slackPort ?? createSlackPort({ log: slackLog, botToken: options.botToken, apiUrl: options.apiUrl });
  let installationStore: DatabaseInstallationStore | undefined;
  if (oauth) {
    if (!options.encryptionKey) throw new Error('SLACK_ENCRYPTION_KEY is required with OAuth: installation tokens are encrypted at rest');
    if (!options.stateSecret) throw new Error('SLACK_STATE_SECRET is required with OAuth');
    installationStore = new DatabaseInstallationStore(app.database.db, parseEncryptionKey(options.encryptionKey));
    const store = installationStore;
    slackPort.useTokens((teamId) => store.botToken(teamId));
  }

  const logger = boltLogger(slackLog);
  const installerOptions = {
    directInstall: true,
    installPath: '/slack/install',
    redirectUriPath: '/slack/oauth_redirect',
    ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {}),
  };
  const installUrlOptions = { scopes: BOT_SCOPES, ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}) };
  const installer =
    oauth && !options.appToken
      ? new InstallProvider({
          clientId: options.clientId!,
          clientSecret: options.clientSecret!,
          stateSecret: options.stateSecret,
          installationStore: installationStore as InstallationStore,
          logger,
          directInstall: true,
          ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {}),
        })
      : undefined;

  // Single-token mode: which workspace the token belongs to, learnt with auth.test (see connect below).
  let identity: Identity | null = null;
  const strangers = new Set<string>();
  const warnStranger = (teamId: string | undefined): void => {
    const key = teamId ?? '(none)';
    if (strangers.has(key) || strangers.size >= 1000) return;
    strangers.add(key);
    slackLog.warn({ team: key, ourTeam: identity?.teamId }, 'ignoring requests from a workspace this bot token does not belong to');
  };
  const gate = (body: Record<string, unknown>): GateDecision => {
    if (oauth) return 'accept';
    if (!identity) return 'unavailable';
    const team = teamOf(body);
    if (team === identity.teamId) return 'accept';
    warnStranger(team);
    return 'ignore';
  };
  // Bolt would call auth.test in its constructor and leave a failure unhandled; ours is retried and checked.
  const singleAuthorize: Authorize<boolean> = async (source) => {
    if (!identity) throw new Error('not connected to Slack yet');
    if (source.teamId !== identity.teamId) {
      warnStranger(source.teamId);
      throw new Error('request from another workspace');
    }
    return { botToken: options.botToken, botId: identity.botId, botUserId: identity.botUserId, teamId: identity.teamId };
  };

  const work = new WorkQueue(8, (err) => slackLog.error({ err }, 'Slack work failed'));
  const front = options.appToken
    ? undefined
    : new SlackFrontDoor({
        signingSecret: options.signingSecret,
        work,
        log: slackLog,
        gate,
        ...(installer ? { oauth: { installer, installUrlOptions } } : {}),
      });
  const receiver =
    front ??
    new SocketModeReceiver({
      appToken: options.appToken!,
      logger,
      ...(oauth
        ? {
            clientId: options.clientId,
            clientSecret: options.clientSecret,
            stateSecret: options.stateSecret,
            scopes: BOT_SCOPES,
            installationStore: installationStore as InstallationStore,
            ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
            installerOptions,
          }
        : {}),
    });

  const bolt = new BoltApp({
    receiver,
    logger,
    ...(oauth ? (installer ? { authorize: installer.authorize.bind(installer) } : {}) : { authorize: singleAuthorize }),
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      // Interactive calls (views.open, respond) are useless after Slack's 3-second window: fail fast.
      retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
      timeout: 5000,
    },
  });
  bolt.error(async (error) => {
    slackLog.error({ err: error }, 'Slack listener error');
  });
  registerListeners(bolt, { core: app.core, users: slackPort.users, log: slackLog, work });

  // Learn the token's workspace; while Slack is unreachable, one line per attempt and a growing wait.
  let stopped = false;
  const stopWaiting = new AbortController();
  const backoff = args.backoff ?? CONNECT_BACKOFF;
  // Its own client: no retries of its own and no per-request warnings, so each attempt is one log line.
  const probe = new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    logLevel: webApi.LogLevel.ERROR,
    retryConfig: { retries: 0 },
    timeout: 5000,
  });
  /** One auth.test; on failure one line saying why and when the next attempt is. */
  const connectOnce = async (nextInMs: number): Promise<boolean> => {
    try {
      const res = await probe.auth.test();
      if (!res.team_id) throw new Error('auth.test named no workspace');
      identity = { teamId: res.team_id, teamName: res.team, botUserId: res.user_id, botId: res.bot_id };
      slackLog.info({ team: identity.teamId, teamName: identity.teamName }, 'connected to Slack');
      return true;
    } catch (error) {
      const e = error as { data?: { error?: string }; original?: { message?: string }; message?: string };
      if (e?.data?.error) {
        // Slack answered, and said no: a wrong or revoked token, worth more than a warning.
        slackLog.error({ reason: e.data.error, retryInMs: nextInMs }, `Slack refused SLACK_BOT_TOKEN (auth.test: ${e.data.error}); retrying in ${nextInMs / 1000} s`);
        return false;
      }
      const reason = e?.original?.message ?? e?.message ?? String(error);
      slackLog.warn({ reason, retryInMs: nextInMs }, `Slack unreachable (auth.test: ${reason}); retrying in ${nextInMs / 1000} s`);
      return false;
    }
  };
  const keepConnecting = async (): Promise<void> => {
    let delay = backoff.firstMs;
    while (!stopped) {
      try {
        await sleep(delay, undefined, { signal: stopWaiting.signal });
      } catch {
        return;
      }
      delay = Math.min(delay * 2, backoff.maxMs);
      if (stopped || (await connectOnce(delay))) return;
    }
  };
  // The first attempt is awaited (at most firstAttemptMs), so a reachable Slack is connected when this returns.
  const connecting = oauth
    ? Promise.resolve(true)
    : connectOnce(backoff.firstMs).then((ok) => {
        if (!ok) void keepConnecting();
        return ok;
      });
  await Promise.race([connecting, sleep(args.firstAttemptMs ?? 3000, undefined, { ref: false })]);
  const connected = (): boolean => oauth || identity !== null;
  args.http?.addReadinessCheck('slack', async () => (connected() ? 'ok' : 'not connected'));

  if (!front) {
    await bolt.start();
    slackLog.info('Slack adapter started in Socket Mode');
    return {
      port: 0,
      bolt,
      slackPort,
      connected,
      idle: () => work.idle(),
      async stop() {
        stopped = true;
        stopWaiting.abort();
        await bolt.stop();
        await work.idle();
      },
    };
  }

  // Post-ack work waits (at most 1 s) while verified requests are still arriving or waiting for acks.
  work.deferWhile(() => front.busy());
  const own = args.http === undefined;
  const http =
    args.http ??
    createHttpServer({ log: slackLog, port: options.port, host: options.host, ...options.http, checks: { slack: async () => (connected() ? 'ok' : 'not connected') } });
  await front.register(http.fastify);
  if (own) await http.listen();
  slackLog.info({ oauth, port: http.port || undefined }, 'Slack adapter attached at /slack/events');
  return {
    get port() {
      return http.port;
    },
    bolt,
    slackPort,
    connected,
    idle: () => work.idle(),
    async stop() {
      if (stopped) return;
      stopped = true;
      stopWaiting.abort();
      if (own) await http.close();
      await work.idle();
    },
  };
}
