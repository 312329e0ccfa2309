import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

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

/** Readable lines in a terminal, JSON for log collectors; secrets are redacted either way. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, destination?: pino.DestinationStream): Logger {
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stderr.isTTY === true);
  const options: pino.LoggerOptions = { level: config.LOG_LEVEL, redact: { paths: REDACT, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(options, pino.destination(2));
}
