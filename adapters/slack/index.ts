import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App as BoltApp, HTTPReceiver, SocketModeReceiver, type InstallationStore } from '@slack/bolt';
import type { App } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { registerListeners } from './app.ts';
import { createFrontDoor } from './front-door.ts';
import { DatabaseInstallationStore, parseEncryptionKey } from './installation-store.ts';
import { boltLogger } from './logger.ts';
import { createSlackPort, type SlackPort } from './port.ts';

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
}

/** The bot scopes the manifest asks for; OAuth installs request the same. */
export const BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'mpim:write', 'users:read', 'users:read.email', 'files:write'];

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
  };
}

/** True when the environment configures Slack at all (main.ts starts the adapter then). */
export function slackConfigured(options: Pick<SlackOptions, 'signingSecret' | 'botToken' | 'clientId' | 'appToken'>): boolean {
  return Boolean(options.signingSecret && (options.botToken || options.clientId));
}

/** A running Slack adapter. */
export interface SlackHandle {
  stop(): Promise<void>;
  /** The HTTP port (0 in Socket Mode). */
  port: number;
  bolt: BoltApp;
  slackPort: SlackPort;
  /** Resolves when the work queued after acknowledgements is done (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Starts Circulate on Slack: HTTP on `/slack/events` (commands, interactivity
 * and events on one URL) or Socket Mode when an app token is set, with OAuth
 * install routes when client id and secret are set. Over HTTP a front door
 * (front-door.ts) acknowledges commands, buttons and events as soon as they are
 * verified, before Bolt runs. Pass the `slackPort` you registered with
 * `createApp` so the outbox and the listeners share one user cache.
 */
export async function startSlack(args: {
  app: App;
  config: Config;
  log: Logger;
  options?: SlackOptions;
  slackPort?: SlackPort;
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
  const oauthOptions = oauth
    ? {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        stateSecret: options.stateSecret,
        scopes: BOT_SCOPES,
        installationStore: installationStore as InstallationStore,
        ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
        installerOptions: {
          directInstall: true,
          installPath: '/slack/install',
          redirectUriPath: '/slack/oauth_redirect',
          ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {}),
        },
      }
    : {};
  const receiver = options.appToken
    ? new SocketModeReceiver({ appToken: options.appToken, logger, ...oauthOptions })
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: '/slack/events',
        processBeforeResponse: false,
        logger,
        ...oauthOptions,
      });

  const bolt = new BoltApp({
    receiver,
    logger,
    ...(oauth ? {} : { token: options.botToken }),
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
  const work = registerListeners(bolt, { core: app.core, users: slackPort.users, log: slackLog });

  if (receiver instanceof SocketModeReceiver) {
    await bolt.start();
    slackLog.info('Slack adapter started in Socket Mode');
    return {
      port: 0,
      bolt,
      slackPort,
      idle: () => work.idle(),
      async stop() {
        await bolt.stop();
        await work.idle();
      },
    };
  }

  // Commands, buttons and events are acknowledged by the front door as soon as they are verified;
  // modal submissions, handshakes and OAuth routes go through Bolt's receiver as before.
  const front = createFrontDoor({
    signingSecret: options.signingSecret,
    bolt: receiver.requestListener,
    dispatch: (event) => bolt.processEvent(event),
    work,
    log: slackLog,
  });
  // Post-ack work waits (at most 1 s) while a burst of requests is still arriving or waiting for acks.
  work.deferWhile(() => front.busy());
  const server: Server = createServer(front.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  slackLog.info({ port, oauth }, 'Slack adapter listening on /slack/events');
  let stopped = false;
  return {
    port,
    bolt,
    slackPort,
    idle: () => work.idle(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await work.idle();
    },
  };
}
