import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverEvent } from '@slack/bolt';
import { afterEach, describe, expect, test } from 'vitest';
import { createFrontDoor } from '../../../adapters/slack/front-door.ts';
import { WorkQueue } from '../../../adapters/slack/work-queue.ts';
import { createLogger } from '../../../src/logger.ts';
import { blockActions, botSender, FAKE_SIGNING_SECRET, slashCommand, viewSubmission } from '../../fakes/slack/index.ts';

/**
 * The front door on a real HTTP server, with Bolt replaced by recorders: what is
 * acknowledged at once and dispatched later, what is handed to Bolt's receiver,
 * and that a failure after the ack is logged without taking the server down.
 */

interface Rig {
  send: ReturnType<typeof botSender>;
  dispatched: ReceiverEvent[];
  toBolt: { body: string; url: string | undefined }[];
  logs: { level: number; msg: string; kind?: string }[];
  work: WorkQueue;
  front: ReturnType<typeof createFrontDoor>;
  /** When the server finished each answer, and when each dispatch started. */
  ackedAt: number[];
  dispatchedAt: number[];
  /** Set to make dispatch throw, or to make it wait. */
  dispatch: { fail?: Error; gate?: Promise<void> };
}

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function rig(quietMs = 20): Promise<Rig> {
  const logs: Rig['logs'] = [];
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const work = new WorkQueue(8, (err) => log.error({ err }, 'work failed'));
  const dispatched: ReceiverEvent[] = [];
  const toBolt: Rig['toBolt'] = [];
  const dispatch: Rig['dispatch'] = {};
  const ackedAt: number[] = [];
  const dispatchedAt: number[] = [];
  const front = createFrontDoor({
    signingSecret: FAKE_SIGNING_SECRET,
    quietMs,
    work,
    log,
    bolt: (req, res) => {
      toBolt.push({ body: (req as IncomingMessage & { rawBody?: Buffer }).rawBody?.toString() ?? '', url: req.url });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"response_action":"errors","errors":{"topic":"too short"}}');
    },
    dispatch: async (event) => {
      dispatchedAt.push(performance.now());
      await dispatch.gate;
      dispatched.push(event);
      if (dispatch.fail) throw dispatch.fail;
    },
  });
  work.deferWhile(() => front.busy(), 1);
  server = createServer(front.listener);
  server.on('request', (_req, res) => res.once('finish', () => ackedAt.push(performance.now())));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { send: botSender(url), dispatched, toBolt, logs, work, front, dispatch, ackedAt, dispatchedAt };
}

const command = (text = 'archives: happy to help') => slashCommand({ command: '/offer-help', text, user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1' });

describe('front door', () => {
  test('a slash command is acknowledged with an empty 200 before Bolt (and so the core) sees it', async () => {
    const r = await rig();
    let release!: () => void;
    r.dispatch.gate = new Promise((resolve) => (release = resolve));
    const res = await r.send(command(), { retryNum: 1, retryReason: 'http_timeout' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(r.dispatched).toHaveLength(0);
    release();
    await r.work.idle();
    expect(r.dispatched).toHaveLength(1);
    expect(r.dispatched[0]).toMatchObject({ body: { command: '/offer-help', text: 'archives: happy to help' }, retryNum: 1, retryReason: 'http_timeout' });
    // The listener's own ack is a no-op: the HTTP answer is already gone.
    await expect(r.dispatched[0]!.ack()).resolves.toBeUndefined();
    expect(r.toBolt).toHaveLength(0);
  });

  test('button presses are acknowledged at once too', async () => {
    const r = await rig();
    const res = await r.send(blockActions({ user: { id: 'U0ALICE01' }, actions: [{ action_id: 'intro.accept', value: '7' }] }));
    expect(res.status).toBe(200);
    await r.work.idle();
    expect(r.dispatched[0]?.body).toMatchObject({ type: 'block_actions', actions: [{ action_id: 'intro.accept', value: '7' }] });
  });

  test('a modal submission goes to Bolt with its body buffered, so inline errors come back in the ack', async () => {
    const r = await rig();
    const submission = viewSubmission({ user: { id: 'U0ALICE01' }, callback_id: 'circulate:offer-help' });
    const res = await r.send(submission);
    expect(res.json).toMatchObject({ response_action: 'errors' });
    expect(r.toBolt).toEqual([{ body: submission.body, url: '/slack/events' }]);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(0);
  });

  test('a forged request is never dispatched: Bolt gets it and answers (401 in the real receiver)', async () => {
    const r = await rig();
    await r.send(command(), { badSignature: true });
    await r.work.idle();
    expect(r.dispatched).toHaveLength(0);
    expect(r.toBolt).toHaveLength(1);
  });

  test('a timestamp from the future is refused with 401 before anything reads it', async () => {
    const r = await rig();
    const res = await r.send(command(), { timestampOverride: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(res.status).toBe(401);
    expect(r.toBolt).toHaveLength(0);
    expect(r.dispatched).toHaveLength(0);
  });

  test('a failure after the ack is logged and the server keeps answering', async () => {
    const r = await rig();
    r.dispatch.fail = new Error('core exploded');
    expect((await r.send(command())).status).toBe(200);
    await r.work.idle();
    const error = r.logs.find((l) => l.msg === 'Slack request failed after its acknowledgement');
    expect(error).toMatchObject({ level: 50, kind: 'command /offer-help' });
    r.dispatch.fail = undefined;
    expect((await r.send(command('metadata: happy to help'))).status).toBe(200);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(2);
  });

  test('post-ack work waits until a burst has been acknowledged', async () => {
    // A generous quiet period: the client shares this event loop, so its requests trickle in.
    const r = await rig(150);
    await Promise.all(Array.from({ length: 30 }, (_, i) => r.send(command(`topic${i}: happy to help`))));
    expect(r.front.busy()).toBe(true);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(30);
    // The server wrote every ack of the burst before it dispatched any of them.
    expect(Math.min(...r.dispatchedAt)).toBeGreaterThan(Math.max(...r.ackedAt));
    expect(r.front.busy()).toBe(false);
  });
});
