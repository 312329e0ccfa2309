import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

/**
 * Bolt's logger interface over Circulate's pino logger, so Bolt's own messages
 * (signature failures, listener errors) land in the same structured log with
 * the same secret redaction.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack-bolt' });
  const text = (parts: unknown[]): string => parts.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
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
