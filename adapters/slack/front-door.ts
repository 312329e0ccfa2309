import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';
import { ackableAtOnce, parseSlackBody, timestampOutOfWindow, verifySignature } from './verify.ts';
import type { WorkQueue } from './work-queue.ts';

/**
 * The HTTP request listener in front of Bolt. Slack wants every request
 * acknowledged within 3 seconds, and under a burst Bolt's own path to the ack
 * (buffering, verifying, its middleware chain, then our listener) makes later
 * requests wait behind earlier ones. So for requests whose ack is always an
 * empty 200 (slash commands, buttons, events) this listener verifies the
 * signature itself, answers at once, and hands the request to Bolt afterwards
 * with a no-op `ack`, through the work queue. Everything else (modal
 * submissions, whose ack carries inline errors; handshakes; OAuth routes;
 * requests that fail our checks) goes to Bolt's receiver exactly as before.
 */

/** What the front door needs. */
export interface FrontDoorDeps {
  signingSecret: string;
  /** Bolt's HTTP receiver listener: handles whatever the front door does not acknowledge itself. */
  bolt: (req: IncomingMessage, res: ServerResponse) => void;
  /** Dispatches an already-acknowledged request into Bolt (`app.processEvent`). */
  dispatch: (event: ReceiverEvent) => Promise<void>;
  /** Where dispatches run: after the acks of requests still in flight. */
  work: WorkQueue;
  log: Logger;
  /** The events endpoint path. */
  path?: string;
  /** How long after the last request arrived the burst counts as over (default 20 ms). */
  quietMs?: number;
  /** Larger bodies are refused with 413 (Slack's are a few kB). */
  maxBodyBytes?: number;
  now?: () => number;
}

/** The listener, and what the work queue asks before it starts post-ack work. */
export interface FrontDoor {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests read but not yet answered. */
  inFlight(): number;
  /**
   * True while requests are in flight or one arrived within the last
   * `quietMs`: a burst is still coming in, and its acks go first.
   */
  busy(): boolean;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/**
 * Builds the front-door listener. Wire `busy()` into `work.deferWhile`, so
 * post-ack work waits until a burst of requests has been acknowledged.
 */
export function createFrontDoor(deps: FrontDoorDeps): FrontDoor {
  const { log, work } = deps;
  const path = deps.path ?? '/slack/events';
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const now = deps.now ?? Date.now;
  const quietMs = deps.quietMs ?? 20;
  let inFlight = 0;
  let lastArrival = -Infinity;

  /** Answers now, then queues the Bolt dispatch; a failure there is logged, never thrown. */
  function ackThenDispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    res.writeHead(200, { 'Content-Length': '0' });
    res.end();
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      retryNum: retry === undefined ? undefined : Number.parseInt(retry, 10),
      retryReason: header(req, 'x-slack-retry-reason'),
      customProperties: {},
      ack: async (response?: unknown) => {
        if (response !== undefined) log.warn({ kind: kindOf(body) }, 'a listener acked with a body after the front door had answered; ignored');
      },
    };
    work.push(async () => {
      try {
        await deps.dispatch(event);
      } catch (error) {
        log.error({ err: error, kind: kindOf(body) }, 'Slack request failed after its acknowledgement');
      }
    });
  }

  async function handleEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, maxBody);
    if (raw === null) {
      res.writeHead(413, { 'Content-Type': 'text/plain' });
      res.end('');
      return;
    }
    if (verifySignature(deps.signingSecret, req.headers, raw, now())) {
      const body = parseSlackBody(header(req, 'content-type'), raw);
      if (body && ackableAtOnce(body)) return ackThenDispatch(req, res, body);
    }
    // Bolt re-reads a buffered body from `rawBody`, verifies it again and answers (401 when forged).
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    deps.bolt(req, res);
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    lastArrival = performance.now();
    res.once('close', () => {
      if (--inFlight === 0) work.kick();
    });
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    // Bolt rejects stale timestamps but not ones from the future; a replay window must be closed both ways.
    if (req.method === 'POST' && timestampOutOfWindow(req.headers, now())) {
      log.warn({ url: req.url }, 'request timestamp outside the 5-minute window; refused');
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('');
      return;
    }
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === path) {
      handleEvents(req, res).catch((error: unknown) => {
        log.warn({ err: error }, 'could not read a Slack request');
        if (!res.headersSent) res.writeHead(400).end();
        else res.destroy();
      });
      return;
    }
    deps.bolt(req, res);
  };
  return {
    listener,
    inFlight: () => inFlight,
    busy: () => inFlight > 0 || performance.now() - lastArrival < quietMs,
  };
}

function kindOf(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return `command ${body.command}`;
  const event = body.event as { type?: unknown } | undefined;
  return typeof event?.type === 'string' ? `event ${event.type}` : String(body.type ?? 'unknown');
}
