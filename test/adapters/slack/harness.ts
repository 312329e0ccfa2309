import { createApp, type App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';
import { createSlackPort, startSlack, type SlackHandle } from '../../../adapters/slack/index.ts';
import type { SlackPort } from '../../../adapters/slack/port.ts';
import {
  FAKE_SIGNING_SECRET,
  botSender,
  slashCommand,
  startFakeSlackApi,
  type BotResponse,
  type FakeSlackApi,
  type FakeSlackApiOptions,
  type ResponseUrlPost,
  type SendOptions,
  type SlackRequest,
} from '../../fakes/slack/index.ts';

/**
 * One Circulate process on Slack for end-to-end tests: the real Bolt app on a
 * local port, the fake Web API behind it, an in-memory database and a manual
 * clock. Everything is torn down by `close()`.
 */
export interface SlackHarness {
  fake: FakeSlackApi;
  app: App;
  slack: SlackHandle;
  port: SlackPort;
  clock: ManualClock;
  url: string;
  send(req: SlackRequest, opts?: SendOptions): Promise<BotResponse>;
  /** Runs a slash command and waits for the ephemeral answer on its response_url. */
  slash(user: string, command: string, text: string): Promise<{ res: BotResponse; answer: ResponseUrlPost }>;
  /** Runs a slash command without waiting for any answer. */
  slashOnly(user: string, command: string, text: string, opts?: SendOptions): Promise<BotResponse>;
  /** Waits until the outbox has nothing left it can deliver now. */
  settle(): Promise<void>;
  count(table: 'offers' | 'requests' | 'members' | 'processed_events' | 'outbox' | 'matches'): Promise<number>;
  close(): Promise<void>;
}

export const USERS = {
  alice: { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Archivist', display_name: 'Alice', tz: 'Europe/London' },
  bob: { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Cataloger', display_name: 'Bob', tz: 'America/Chicago' },
  carol: { id: 'U0CAROL01', name: 'carol', real_name: 'Carol Reference', display_name: 'Carol', tz: 'America/New_York' },
} as const;

export const CHANNEL = 'C0LIBRARY1';

export function silentLogger(): Logger {
  return createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });
}

export async function startHarness(fakeOptions: FakeSlackApiOptions = {}): Promise<SlackHarness> {
  const fake = await startFakeSlackApi({ rateLimits: false, ...fakeOptions, users: [...Object.values(USERS), ...(fakeOptions.users ?? [])] });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const log = silentLogger();
  const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
  const port = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
  const app = await createApp({ config, clock, log, ports: [port], database: openDatabase(':memory:') });
  const slack = await startSlack({
    app,
    config,
    log,
    slackPort: port,
    options: { botToken: fake.token, signingSecret: FAKE_SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
  });
  const url = `http://127.0.0.1:${slack.port}/slack/events`;
  const send = botSender(url);
  let counter = 0;
  const slashOnly = (user: string, command: string, text: string, opts?: SendOptions) =>
    send(
      slashCommand({
        command,
        text,
        user_id: user,
        channel_id: CHANNEL,
        trigger_id: fake.issueTriggerId(user),
        response_url: fake.responseUrl(`cmd-${++counter}`),
      }),
      opts,
    );
  return {
    fake,
    app,
    slack,
    port,
    clock,
    url,
    send,
    slashOnly,
    async slash(user, command, text) {
      const id = `cmd-${++counter}`;
      const res = await send(
        slashCommand({ command, text, user_id: user, channel_id: CHANNEL, trigger_id: fake.issueTriggerId(user), response_url: fake.responseUrl(id) }),
      );
      const answer = await fake.waitForResponsePost((p) => p.id === id);
      return { res, answer };
    },
    async settle() {
      await slack.idle();
      await app.core.flush();
      await app.core.flush();
    },
    async count(table) {
      const row = await app.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await slack.stop();
      await app.close();
      await app.database.close();
      await fake.close();
    },
  };
}

/** What Slack shows of a message or view: every text object inside the blocks, in order; the top-level `text` only when there are none. */
export function blockKitText(body: { text?: unknown; blocks?: unknown }): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  const blocks = Array.isArray(body.blocks) ? body.blocks : [];
  walk(blocks);
  return blocks.length ? texts.join('\n') : String(body.text ?? '');
}

/** All the text Slack would show or parse for a message: fallback plus every text object in the blocks. */
export function allText(body: { text?: unknown; blocks?: unknown }): string {
  const parts: string[] = [typeof body.text === 'string' ? body.text : ''];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(body.blocks);
  return parts.join('\n');
}

