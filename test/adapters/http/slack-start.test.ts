import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { slashCommand, viewSubmission } from '../../fakes/slack/index.ts';
import { startHttpBot, type HttpBot } from './bot.ts';

/**
 * Single-token Slack: the workspace the token belongs to is learnt with
 * auth.test at start (retried with backoff while Slack is unreachable, with
 * /readyz saying so), and requests from any other workspace never reach the core.
 */

let bot: HttpBot | undefined;
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => void crashes.push(error);

beforeEach(() => {
  crashes.length = 0;
  process.on('unhandledRejection', onCrash);
});

afterEach(async () => {
  process.off('unhandledRejection', onCrash);
  await bot?.close();
  bot = undefined;
});

async function communities(b: HttpBot): Promise<string[]> {
  const rows = await b.app.database.db.selectFrom('communities').selectAll().execute();
  return rows.map((r) => r.platform_id);
}

test('Slack unreachable at start: one line per attempt, retries with backoff, /healthz up and /readyz 503 until connected', async () => {
  bot = await startHttpBot({
    beforeStart: (fake) => fake.failNext('auth.test', { status: 503, count: 5 }),
    backoff: { firstMs: 20, maxMs: 40 },
  });
  const b = bot;
  expect(b.slack.connected()).toBe(false);
  expect((await fetch(`${b.base}/healthz`)).status).toBe(200);
  const notReady = await fetch(`${b.base}/readyz`);
  expect(notReady.status).toBe(503);
  expect(await notReady.json()).toMatchObject({ ready: false, checks: { slack: 'not connected', database: 'ok' } });
  // Until the workspace is known nothing is served: Slack is told to come back.
  const early = await b.send(slashCommand({ command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1' }));
  expect(early.status).toBe(503);

  while (!b.slack.connected()) await sleep(5);
  expect((await fetch(`${b.base}/readyz`)).status).toBe(200);
  const unreachable = b.logs.filter((l) => l.msg.startsWith('Slack unreachable'));
  expect(unreachable.length).toBeGreaterThanOrEqual(2);
  // One line each, without a stack.
  expect(unreachable.every((l) => l.err === undefined && l.stack === undefined && /; retrying in \d/.test(l.msg))).toBe(true);
  // Nothing else: no per-request warnings from the Web API client, no errors.
  expect(b.logs.filter((l) => l.level >= 40 && !l.msg.startsWith('Slack unreachable')).map((l) => l.msg)).toEqual([]);
  expect(b.logs.some((l) => l.msg === 'connected to Slack')).toBe(true);
  const id = 'after-connect';
  const res = await b.send(
    slashCommand({ command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1', response_url: b.fake.responseUrl(id) }),
  );
  expect(res.status).toBe(200);
  await b.fake.waitForResponsePost((p) => p.id === id);
  expect(crashes).toEqual([]);
});

test('single-token mode: another workspace gets an empty 200, never a community; one warning per workspace', async () => {
  bot = await startHttpBot();
  const b = bot;
  const stranger = { team_id: 'T0STRANGER', team_domain: 'elsewhere' };
  for (let i = 0; i < 3; i++) {
    const res = await b.send(
      slashCommand({ ...stranger, command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1', response_url: b.fake.responseUrl(`s${i}`) }),
    );
    expect([res.status, res.body]).toEqual([200, '']);
  }
  const modal = await b.send(viewSubmission({ ...stranger, user: { id: 'U0ALICE01' }, callback_id: 'circulate:offer-help' }));
  expect([modal.status, modal.body]).toEqual([200, '']);
  await b.slack.idle();
  expect(await communities(b)).toEqual([]);
  expect(b.fake.responsePosts).toEqual([]);
  expect(b.logs.filter((l) => l.msg === 'ignoring requests from a workspace this bot token does not belong to')).toEqual([
    expect.objectContaining({ team: 'T0STRANGER', ourTeam: b.fake.team.id }),
  ]);

  // The token's own workspace is served as before.
  const res = await b.send(
    slashCommand({ command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1', response_url: b.fake.responseUrl('own') }),
  );
  expect(res.status).toBe(200);
  await b.fake.waitForResponsePost((p) => p.id === 'own');
  expect(await communities(b)).toHaveLength(1);
});
