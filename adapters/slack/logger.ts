import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { type Logger, scrubSecrets, serializeError } from '../../src/index.ts';

/**
 * Bolt's logger interface over Circulate's pino logger, so Bolt's own messages
 * (signature failures, listener errors) land in the same structured log with
 * the same secret redaction.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack-bolt' });
  // Errors go through the one serializer (never their request config or headers); other objects
  // are stringified defensively, and every line is scrubbed again on its way out.
  const one = (m: unknown): string => {
    if (typeof m === 'string') return scrubSecrets(m);
    if (m instanceof Error) {
      const e = serializeError(m);
      return [`${e.type}: ${e.message}`, e.code !== undefined ? `code=${e.code}` : '', e.platformError !== undefined ? `error=${e.platformError}` : ''].filter(Boolean).join(' ');
    }
    try {
      return scrubSecrets(JSON.stringify(m) ?? String(m));
    } catch {
      return '[unprintable]';
    }
  };
  const text = (parts: unknown[]): string => parts.map(one).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(text(m)),
    info: (...m: unknown[]) => child.info(text(m)),
    warn: (...m: unknown[]) => child.warn(text(m)),
    error: (...m: unknown[]) => child.error(text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
