/**
 * Cost of keeping secrets out of logs (issue 12 item 2), per written line, on a null sink:
 * pino with the redaction paths Circulate had before, against createLogger (the same paths plus
 * the error serializer and the streamWrite scrub of secret shapes and configured values).
 *   npx tsx bench/log-scrub.ts
 */
import pino from 'pino';
import { createLogger } from '../src/logger.ts';

const sink = { write: (_: string) => undefined };
const N = 200_000;
const OLD_REDACT = ['token', 'botToken', 'signingSecret', 'clientSecret', '*.token', '*.botToken', '*.signingSecret', '*.clientSecret', 'headers.authorization', '*.headers.authorization'];
const config = { LOG_LEVEL: 'info', LOG_FORMAT: 'json', SLACK_SIGNING_SECRET: 'f1e2d3c4b5a6978800112233', SLACK_BOT_TOKEN: 'xoxb-1-2-3-abcdef' } as const;

function perLine(log: pino.Logger, line: (log: pino.Logger, i: number) => void): number {
  for (let i = 0; i < 20_000; i++) line(log, i);
  const start = performance.now();
  for (let i = 0; i < N; i++) line(log, i);
  return ((performance.now() - start) / N) * 1000;
}

const info = (log: pino.Logger, i: number) => log.info({ outboxId: '5a1c0f3e-1111-2222-3333-444455556666', team: 'T0123', channel: 'C0LIBRARY1', i }, 'Slack call failed; the outbox will retry');
const err = Object.assign(new Error('A request error occurred: connect ECONNREFUSED'), { code: 'slack_webapi_request_error' });
const warn = (log: pino.Logger) => log.warn({ err, method: 'files upload' }, 'could not send files to the DM');

const rows: [string, number, number][] = [];
for (let round = 0; round < 3; round++) {
  const old = pino({ level: 'info', redact: { paths: OLD_REDACT, censor: '[redacted]' } }, sink);
  const now = createLogger(config, sink);
  rows.push([`round ${round + 1}`, perLine(old, info), perLine(now, info)]);
  rows.push([`round ${round + 1} (error line)`, perLine(old, warn), perLine(now, warn)]);
}
console.log('line                     before µs  after µs');
for (const [name, before, after] of rows) console.log(`${name.padEnd(24)} ${before.toFixed(2).padStart(9)} ${after.toFixed(2).padStart(9)}`);
