import pino, { type Logger } from 'pino';
import { SECRET_VARIABLES, type Config } from './config.ts';

export type { Logger };

/**
 * Secrets never reach a log line. Three layers:
 *  1. `serializeError`, the one error serializer (pino's `err` and `error` keys, the Bolt logger,
 *     anything that logs an error under another name): it keeps only name, message, code, the
 *     platform's error name, the HTTP status and the stack, all scrubbed; never request config,
 *     headers, response bodies or URLs, which is where platform clients keep tokens.
 *  2. `redact` paths for the usual secret-bearing keys.
 *  3. A last line of defence over every written line (`hooks.streamWrite`): known secret shapes
 *     (Slack `xox…-`/`xapp-` tokens, Discord bot tokens, interaction and webhook tokens in URLs,
 *     `Bearer …`, `Bot …`) and the configured secret values are replaced, whatever key or message
 *     they arrived in.
 */

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  'token',
  'botToken',
  'signingSecret',
  'clientSecret',
  '*.token',
  '*.botToken',
  '*.signingSecret',
  '*.clientSecret',
  'headers.authorization',
  '*.headers.authorization',
];

const REDACTED = '[redacted]';

/**
 * Secret shapes in one linear pattern (no nested quantifiers; one pass over the line), never
 * matching `"` or `\`, so a replacement inside a JSON line keeps it valid JSON:
 *  - Slack bot/user/refresh tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xoxe.xoxp-) and app tokens (xapp-);
 *  - Discord interaction and webhook tokens in URLs and routes: /interactions/<id>/<token>, /webhooks/<app>/<token>;
 *  - Authorization header values wherever they were copied: `Bearer …`, `Bot <discord token>`;
 *  - a Discord bot token on its own: base64 user id, timestamp and HMAC separated by dots.
 */
const SECRET_SHAPE =
  /\b(xox[a-z](?:\.xox[a-z])?-|xapp-)[A-Za-z0-9-]+|(\/(?:interactions|webhooks)\/\d+\/)[^/\s?#"'\\]+|\b(Bearer\s+)[^\s"'\\,;]{8,}|\b(Bot\s+)[A-Za-z0-9_-]{16,}\.[A-Za-z0-9._-]+|\b[MNO][A-Za-z0-9_-]{22,30}\.[A-Za-z0-9_-]{5,7}\.[A-Za-z0-9_-]{26,}/gi;

function replaceShape(_match: string, token?: string, route?: string, bearer?: string, bot?: string): string {
  if (token) return `${token.startsWith('xapp') ? 'xapp-' : 'xox-'}${REDACTED}`;
  return `${route ?? bearer ?? bot ?? ''}${REDACTED}`;
}

/** Replaces every known secret shape (and each of `values`, when given) in a string. */
export function scrubSecrets(text: string, values: readonly string[] = []): string {
  let out = text.replace(SECRET_SHAPE, replaceShape);
  for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

/** What a logged error becomes: enough to act on, nothing that carries a credential. */
export interface SerializedError {
  type: string;
  message: string;
  code?: string | number;
  /** The platform's own name for the failure: Slack `data.error`, Discord's JSON error code. */
  platformError?: string | number;
  status?: number;
  stack?: string;
  cause?: SerializedError;
}

const MAX_CAUSES = 3;

/**
 * The one error serializer. Picks the few fields worth logging off any thrown value (Error,
 * Slack WebAPI error, Axios-style error, DiscordAPIError, a string) and scrubs them; everything
 * else on the object (config, request, response, headers, url) is left behind.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (error === null || typeof error !== 'object') {
    return { type: typeof error, message: scrubSecrets(String(error)) };
  }
  const e = error as Record<string, unknown>;
  const type = typeof e.name === 'string' ? e.name : (error.constructor?.name ?? 'Error');
  const out: SerializedError = { type: scrubSecrets(type), message: scrubSecrets(typeof e.message === 'string' ? e.message : safeString(error)) };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = typeof e.code === 'string' ? scrubSecrets(e.code) : e.code;
  const data = e.data as { error?: unknown } | undefined;
  const raw = e.rawError as { code?: unknown } | undefined;
  if (data && typeof data === 'object' && typeof data.error === 'string') out.platformError = scrubSecrets(data.error);
  else if (raw && typeof raw === 'object' && (typeof raw.code === 'number' || typeof raw.code === 'string')) out.platformError = raw.code;
  const response = e.response as { status?: unknown } | undefined;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : response && typeof response.status === 'number' ? response.status : undefined;
  if (status !== undefined) out.status = status;
  if (typeof e.stack === 'string') out.stack = scrubSecrets(e.stack);
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unprintable error';
  }
}

const serializeLogged = (e: unknown): SerializedError | string => (typeof e === 'string' ? scrubSecrets(e) : serializeError(e));

/** The configured secret values worth searching for (short values would match ordinary text). */
function secretValues(config: Partial<Record<(typeof SECRET_VARIABLES)[number], unknown>>): string[] {
  return SECRET_VARIABLES.map((name) => config[name]).filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

type LoggerConfig = Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'> & Partial<Pick<Config, (typeof SECRET_VARIABLES)[number]>>;

/** Pino options every Circulate logger uses: the error serializer, redaction and the line scrub. */
export function loggerOptions(config: LoggerConfig): pino.LoggerOptions {
  const values = secretValues(config);
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT, censor: REDACTED },
    // A string under err/error (some callers log String(error)) stays a string, scrubbed.
    serializers: { err: serializeLogged, error: serializeLogged },
    hooks: { streamWrite: (line: string) => scrubSecrets(line, values) },
  };
}

/** Readable lines in a terminal, JSON for log collectors; secrets are kept out either way. */
export function createLogger(config: LoggerConfig, destination?: pino.DestinationStream): Logger {
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stderr.isTTY === true);
  const options = loggerOptions(config);
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(options, pino.destination(2));
}
