import { connect, type Socket } from 'node:net';
import type { ReceiverEvent } from '@slack/bolt';
import { afterEach, describe, expect, test } from 'vitest';
import { createHttpServer, type HttpServer } from '../../../adapters/http/server.ts';
import { SlackFrontDoor, type GateDecision } from '../../../adapters/slack/front-door.ts';
import { WorkQueue } from '../../../adapters/slack/work-queue.ts';
import { createLogger } from '../../../src/logger.ts';
import {
  FAKE_SIGNING_SECRET,
  blockActions,
  botSender,
  signedHeaders,
  slashCommand,
  urlVerification,
  viewSubmission,
} from '../../fakes/slack/index.ts';

/**
 * The front door (Bolt's receiver) on the real HTTP server, with Bolt's
 * `processEvent` replaced by a recorder: what is acknowledged at once and
 * dispatched later, what waits for the listener's ack and carries its body,
 * what is refused, and that a failure after the ack is logged without taking
 * the server down.
 */

interface Rig {
  send: ReturnType<typeof botSender>;
  url: string;
  port: number;
  dispatched: ReceiverEvent[];
  logs: { level: number; msg: string; kind?: string; team?: string }[];
  work: WorkQueue;
  front: SlackFrontDoor;
  /** When the server finished each answer, and when each dispatch started. */
  ackedAt: number[];
  dispatchedAt: number[];
  /** Set to make dispatch throw, wait, or ack with a body (as a modal listener does). */
  dispatch: { fail?: Error; gate?: Promise<void>; ackWith?: unknown };
  /** What the gate says for the next requests. */
  gate: { decision: GateDecision };
}

let http: HttpServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await http?.close();
  http = undefined;
});

async function rig(opts: { quietMs?: number; maxDeferMs?: number } = {}): Promise<Rig> {
  const logs: Rig['logs'] = [];
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const work = new WorkQueue(8, (err) => log.error({ err }, 'work failed'), opts.maxDeferMs ?? 1000);
  const dispatched: ReceiverEvent[] = [];
  const dispatch: Rig['dispatch'] = {};
  const gate: Rig['gate'] = { decision: 'accept' };
  const ackedAt: number[] = [];
  const dispatchedAt: number[] = [];
  const front = new SlackFrontDoor({
    signingSecret: FAKE_SIGNING_SECRET,
    quietMs: opts.quietMs ?? 20,
    work,
    log,
    gate: () => gate.decision,
    dispatch: async (event) => {
      dispatchedAt.push(performance.now());
      await dispatch.gate;
      dispatched.push(event);
      if (dispatch.fail) throw dispatch.fail;
      if (dispatch.ackWith !== undefined) await event.ack(dispatch.ackWith);
    },
  });
  work.deferWhile(() => front.busy(), 1);
  http = createHttpServer({ log, port: 0, host: '127.0.0.1' });
  await front.register(http.fastify);
  http.fastify.addHook('onResponse', async () => void ackedAt.push(performance.now()));
  const port = await http.listen();
  const url = `http://127.0.0.1:${port}/slack/events`;
  return { send: botSender(url), url, port, dispatched, logs, work, front, dispatch, gate, ackedAt, dispatchedAt };
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
  });

  test('button presses are acknowledged at once too', async () => {
    const r = await rig();
    const res = await r.send(blockActions({ user: { id: 'U0ALICE01' }, actions: [{ action_id: 'intro.accept', value: '7' }] }));
    expect(res.status).toBe(200);
    await r.work.idle();
    expect(r.dispatched[0]?.body).toMatchObject({ type: 'block_actions', actions: [{ action_id: 'intro.accept', value: '7' }] });
  });

  test("a modal submission waits for the listener's ack, whose body (inline errors) is the HTTP answer", async () => {
    const r = await rig();
    r.dispatch.ackWith = { response_action: 'errors', errors: { topic: 'too short' } };
    const submission = viewSubmission({ user: { id: 'U0ALICE01' }, callback_id: 'circulate:offer-help' });
    const res = await r.send(submission);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { topic: 'too short' } });
    expect(r.dispatched).toHaveLength(1);
    expect(r.dispatched[0]!.body).toMatchObject({ type: 'view_submission' });
    // A second ack is a listener bug, reported as Bolt's receivers do.
    await expect(r.dispatched[0]!.ack()).rejects.toThrow();
  });

  test('a modal submission nobody acks is answered empty once its listeners are done', async () => {
    const r = await rig();
    const res = await r.send(viewSubmission({ user: { id: 'U0ALICE01' }, callback_id: 'circulate:offer-help' }));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });

  test('the url_verification handshake is answered with its challenge; ssl_check with an empty 200', async () => {
    const r = await rig();
    const res = await r.send(urlVerification('the-challenge'));
    expect(res.json).toEqual({ challenge: 'the-challenge' });
    const ssl = await fetch(r.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Signature': 'v0=00', 'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)) },
      body: 'ssl_check=1&token=x',
    });
    expect(ssl.status).toBe(200);
    expect(await ssl.text()).toBe('');
    expect(r.dispatched).toHaveLength(0);
  });

  test('a forged request is refused with 401 and never dispatched', async () => {
    const r = await rig();
    expect((await r.send(command(), { badSignature: true })).status).toBe(401);
    const unsigned = await fetch(r.url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: command().body });
    expect(unsigned.status).toBe(401);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(0);
  });

  test('signed payloads of shapes Slack never sends are 400 and never dispatched', async () => {
    const r = await rig();
    const team = { id: 'T0FAKETEAM1' };
    const user = { id: 'U0ALICE01' };
    const shapes = [
      { type: 'shortcut', team },
      { type: 'view_submission', team, user, view: {} },
      { type: 'view_submission', team, user, view: { callback_id: 'circulate:offer-help' } },
      { type: 'view_closed', team, user, view: { callback_id: 3 } },
      { type: 'block_actions', team, user, actions: [{}], container: {} },
      { type: 'block_actions', team, user, actions: [{ action_id: 'x' }] },
    ];
    const statuses: number[] = [];
    for (const shape of shapes) {
      const body = `payload=${encodeURIComponent(JSON.stringify(shape))}`;
      statuses.push((await r.send({ kind: 'block_actions', contentType: 'application/x-www-form-urlencoded', body, payload: {} })).status);
    }
    expect(statuses).toEqual(shapes.map(() => 400));
    await r.work.idle();
    expect(r.dispatched).toHaveLength(0);
  });

  test('a timestamp from the future or the past is refused with 401 before anything reads it', async () => {
    const r = await rig();
    expect((await r.send(command(), { timestampOverride: Math.floor(Date.now() / 1000) + 6 * 60 })).status).toBe(401);
    expect((await r.send(command(), { timestampOverride: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(0);
  });

  test('the gate: an ignored request gets an empty 200 and is never dispatched; while unavailable, 503', async () => {
    const r = await rig();
    r.gate.decision = 'ignore';
    const ignored = await r.send(command());
    expect([ignored.status, ignored.body]).toEqual([200, '']);
    r.gate.decision = 'unavailable';
    expect((await r.send(command())).status).toBe(503);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(0);
    r.gate.decision = 'accept';
    expect((await r.send(command())).status).toBe(200);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(1);
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
    const r = await rig({ quietMs: 150 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => r.send(command(`topic${i}: happy to help`))));
    expect(r.front.busy()).toBe(true);
    await r.work.idle();
    expect(r.dispatched).toHaveLength(30);
    // The server wrote every ack of the burst before it dispatched any of them.
    expect(Math.min(...r.dispatchedAt)).toBeGreaterThan(Math.max(...r.ackedAt));
    expect(r.front.busy()).toBe(false);
  });

  test('a slow-body client is not "busy": a verified command behind it is dispatched without waiting', async () => {
    // Deferral long enough that a wrongly busy front door would hold the dispatch past the test's timeout.
    const r = await rig({ quietMs: 0, maxDeferMs: 10 * 60_000 });
    const slow = connect(r.port, '127.0.0.1');
    sockets.push(slow);
    slow.on('error', () => undefined);
    const req = command();
    const headers = signedHeaders(req);
    await new Promise<void>((resolve) =>
      slow.write(
        `POST /slack/events HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\nContent-Length: ${req.body.length}\r\n\r\n${req.body.slice(0, 10)}`,
        () => resolve(),
      ),
    );
    // Another client's forged request, complete, is refused and counts for nothing either.
    expect((await r.send(command(), { badSignature: true })).status).toBe(401);
    expect(r.front.busy()).toBe(false);
    expect((await r.send(command('metadata: happy to help'))).status).toBe(200);
    await r.work.idle();
    expect(r.dispatched.map((e) => e.body.text)).toEqual(['metadata: happy to help']);
    expect(slow.destroyed).toBe(false);
  });
});
