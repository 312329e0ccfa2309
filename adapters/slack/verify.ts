import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/**
 * Slack request verification and parsing for the front door, so a request can
 * be acknowledged without going through Bolt first. Bolt does the same checks
 * on the requests we still hand to it; these must never be weaker than Bolt's.
 */

/** Slack refuses requests older than 5 minutes; we also refuse ones from further than that in the future. */
export const MAX_SKEW_SECONDS = 5 * 60;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/**
 * True when the request carries a timestamp further than 5 minutes from now,
 * either way. Checked before the body is read: a replay is refused cheaply.
 * A missing timestamp is not "out of window" here; {@link verifySignature} refuses it.
 */
export function timestampOutOfWindow(headers: IncomingHttpHeaders, nowMs: number): boolean {
  const ts = Number(header(headers, 'x-slack-request-timestamp'));
  return Number.isFinite(ts) && Math.abs(Math.floor(nowMs / 1000) - ts) > MAX_SKEW_SECONDS;
}

/**
 * Checks `X-Slack-Signature` (`v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>`
 * keyed with the signing secret) in constant time, and that the timestamp is
 * within {@link MAX_SKEW_SECONDS} of now. True only when both hold.
 */
export function verifySignature(signingSecret: string, headers: IncomingHttpHeaders, rawBody: Buffer, nowMs: number): boolean {
  const signature = header(headers, 'x-slack-signature');
  const timestamp = header(headers, 'x-slack-request-timestamp');
  if (!signingSecret || !signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The request body as Bolt would parse it: form-encoded bodies are either an
 * interactivity `payload=<json>` or a slash command's fields; anything else is
 * JSON (Events API). Null when it does not parse.
 */
export function parseSlackBody(contentType: string | undefined, rawBody: Buffer): Record<string, unknown> | null {
  try {
    const text = rawBody.toString('utf8');
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const fields = parseQuery(text);
      if (typeof fields.payload === 'string') return asObject(JSON.parse(fields.payload));
      return { ...fields };
    }
    return asObject(JSON.parse(text));
  } catch {
    return null;
  }
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * True for requests whose acknowledgement never carries a body in Circulate:
 * slash commands, button presses (`block_actions`) and Events API callbacks.
 * These can be answered with an empty 200 as soon as they are verified.
 * Modal submissions are not: their ack carries inline field errors or the next
 * view, so they wait for the core. Handshakes (`url_verification`,
 * `ssl_check`), shortcuts and anything unknown also stay with Bolt.
 */
export function ackableAtOnce(body: Record<string, unknown>): boolean {
  if (typeof body.command === 'string' && body.ssl_check === undefined) return true;
  return body.type === 'block_actions' || body.type === 'event_callback';
}
