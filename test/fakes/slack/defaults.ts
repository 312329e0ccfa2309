import { createHash, randomBytes } from 'node:crypto';

/**
 * Identities shared by the fake Web API and the request builders, so a payload built by
 * `signing.ts` names the same workspace, app and bot that `web-api.ts` answers for, and a
 * test never has to thread IDs between the two by hand.
 */
export const FAKE_TEAM = { id: 'T0FAKETEAM1', name: 'Circulate Test', domain: 'circulate-test' } as const;

/** The fake app's IDs as Slack reports them in auth.test, views and event envelopes. */
export const FAKE_APP = { appId: 'A0FAKEAPP01', botId: 'B0FAKEBOT01', botUserId: 'U0FAKEBOT01', botName: 'circulate' } as const;

/** Default bot token; any string works, this one just looks like the real thing. */
export const FAKE_BOT_TOKEN = 'xoxb-fake-0001-circulate';

/** Default signing secret for tests that do not care which one is used. */
export const FAKE_SIGNING_SECRET = 'fake-signing-secret-0123456789abcdef';

/**
 * A trigger_id in the form Slack documents ("12345.98765.abcd2358fdea"): the fake's views.open
 * rejects anything else with `invalid_trigger_id`, as Slack does.
 */
export function makeTriggerId(nowMs: number = Date.now()): string {
  const seconds = Math.floor(nowMs / 1000);
  const serial = Math.floor(Math.random() * 1e10);
  return `${seconds}.${serial}.${randomBytes(16).toString('hex')}`;
}

/** Matches the documented trigger_id format. */
export const TRIGGER_ID_PATTERN = /^\d+\.\d+\.[0-9a-f]+$/;

/**
 * A Slack-looking ID (prefix + uppercase alphanumerics) derived from a seed, so the same
 * input always yields the same ID (e.g. one DM channel per user set) across runs.
 */
export function stableId(prefix: string, seed: string, length = 10): string {
  const digest = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return prefix + digest.slice(0, length);
}

/** Formats microseconds since the epoch as a message `ts` ("seconds.micros"), as Slack writes it. */
export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
}
