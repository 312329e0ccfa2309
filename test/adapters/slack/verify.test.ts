import { describe, expect, test } from 'vitest';
import { ackableAtOnce, parseSlackBody, timestampOutOfWindow, verifySignature } from '../../../adapters/slack/verify.ts';
import { blockActions, eventCallback, appHomeOpened, FAKE_SIGNING_SECRET, signedHeaders, slashCommand, urlVerification, viewSubmission } from '../../fakes/slack/index.ts';

/** The front door's own checks must be exactly as strict as Bolt's: these are the cases Slack documents. */

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const command = slashCommand({ command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1' });

/** Node lower-cases incoming header names; the builders use Slack's capitalisation. */
function incoming(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('verifySignature', () => {
  const at = (opts: Parameters<typeof signedHeaders>[1] = {}) => incoming(signedHeaders(command, { now: () => NOW, ...opts }));

  test('accepts a request signed with the secret within the window', () => {
    expect(verifySignature(FAKE_SIGNING_SECRET, at(), Buffer.from(command.body), NOW)).toBe(true);
    expect(verifySignature(FAKE_SIGNING_SECRET, at(), Buffer.from(command.body), NOW + 4 * 60_000)).toBe(true);
  });

  test('refuses a wrong secret, a changed body, a changed timestamp and a missing or malformed signature', () => {
    const body = Buffer.from(command.body);
    expect(verifySignature(FAKE_SIGNING_SECRET, at({ badSignature: true }), body, NOW)).toBe(false);
    expect(verifySignature(FAKE_SIGNING_SECRET, at(), Buffer.from(`${command.body}&x=1`), NOW)).toBe(false);
    expect(verifySignature(FAKE_SIGNING_SECRET, { ...at(), 'x-slack-request-timestamp': String(NOW / 1000 + 1) }, body, NOW)).toBe(false);
    const { 'x-slack-signature': _sig, ...unsigned } = at();
    expect(verifySignature(FAKE_SIGNING_SECRET, unsigned, body, NOW)).toBe(false);
    expect(verifySignature(FAKE_SIGNING_SECRET, { ...at(), 'x-slack-signature': 'v0=abc' }, body, NOW)).toBe(false);
    expect(verifySignature('', at(), body, NOW)).toBe(false);
  });

  test('refuses timestamps more than 5 minutes old or ahead, even when correctly signed', () => {
    const body = Buffer.from(command.body);
    expect(verifySignature(FAKE_SIGNING_SECRET, at({ timestampOverride: NOW / 1000 - 6 * 60 }), body, NOW)).toBe(false);
    expect(verifySignature(FAKE_SIGNING_SECRET, at({ timestampOverride: NOW / 1000 + 6 * 60 }), body, NOW)).toBe(false);
    expect(timestampOutOfWindow(at({ timestampOverride: NOW / 1000 - 6 * 60 }), NOW)).toBe(true);
    expect(timestampOutOfWindow(at({ timestampOverride: NOW / 1000 + 6 * 60 }), NOW)).toBe(true);
    expect(timestampOutOfWindow(at(), NOW)).toBe(false);
  });
});

describe('parseSlackBody and ackableAtOnce', () => {
  const parse = (req: { contentType: string; body: string }) => parseSlackBody(req.contentType, Buffer.from(req.body));

  test('slash commands, button presses and events are acknowledged at once', () => {
    const parsed = parse(command);
    expect(parsed).toMatchObject({ command: '/offer-help', user_id: 'U0ALICE01', text: 'archives: happy to help' });
    expect(ackableAtOnce(parsed!)).toBe(true);
    const press = parse(blockActions({ user: { id: 'U0ALICE01' }, actions: [{ action_id: 'intro.accept', value: '1' }] }));
    expect(press).toMatchObject({ type: 'block_actions', actions: [{ action_id: 'intro.accept' }] });
    expect(ackableAtOnce(press!)).toBe(true);
    expect(ackableAtOnce(parse(eventCallback(appHomeOpened({ user: 'U0ALICE01' })))!)).toBe(true);
  });

  test('modal submissions, handshakes and unknown bodies stay with Bolt', () => {
    expect(ackableAtOnce(parse(viewSubmission({ user: { id: 'U0ALICE01' }, callback_id: 'circulate:offer-help' }))!)).toBe(false);
    expect(ackableAtOnce(parse(urlVerification())!)).toBe(false);
    expect(ackableAtOnce(parse({ contentType: 'application/x-www-form-urlencoded', body: 'ssl_check=1&command=%2Fx' })!)).toBe(false);
    expect(ackableAtOnce(parse({ contentType: 'application/json', body: '{"type":"shortcut"}' })!)).toBe(false);
    expect(parse({ contentType: 'application/json', body: 'not json' })).toBeNull();
    expect(parse({ contentType: 'application/json', body: '[1,2]' })).toBeNull();
  });
});
