import { afterEach, expect, test } from 'vitest';
import { createSlackPort, startSlack, type SlackHandle } from '../../../adapters/slack/index.ts';
import { createApp, type App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { createLogger } from '../../../src/logger.ts';
import { FAKE_SIGNING_SECRET, startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack/index.ts';

/**
 * With OAuth configured, the install and redirect routes are served by the same
 * HTTP server through @slack/oauth's InstallProvider on the raw request.
 */

let fake: FakeSlackApi | undefined;
let app: App | undefined;
let slack: SlackHandle | undefined;

afterEach(async () => {
  await slack?.stop();
  await app?.close();
  await app?.database.close();
  await fake?.close();
  slack = undefined;
  app = undefined;
  fake = undefined;
});

test('OAuth: /slack/install redirects to Slack with our scopes and a state cookie; a forged redirect is refused; wrong methods 405', async () => {
  fake = await startFakeSlackApi({ rateLimits: false });
  const log = createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const port = createSlackPort({ log, apiUrl: fake.apiUrl });
  app = await createApp({ config, clock: new ManualClock(new Date('2026-01-05T09:00:00Z')), log, ports: [port], database: openDatabase(':memory:') });
  slack = await startSlack({
    app,
    config,
    log,
    slackPort: port,
    options: {
      signingSecret: FAKE_SIGNING_SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
      clientId: '111.222',
      clientSecret: 'client-secret',
      stateSecret: 'state-secret-state-secret',
      encryptionKey: '3f9c1e7a5b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e',
    },
  });
  expect(slack.connected()).toBe(true);
  const base = `http://127.0.0.1:${slack.port}`;

  const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  expect(install.status).toBe(302);
  const location = new URL(install.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
  expect(location.searchParams.get('client_id')).toBe('111.222');
  expect(location.searchParams.get('scope')).toContain('commands');
  expect(install.headers.get('set-cookie')).toMatch(/slack-app-oauth-state=/);

  const forged = await fetch(`${base}/slack/oauth_redirect?code=abc&state=forged`, { redirect: 'manual' });
  expect(forged.status).toBeGreaterThanOrEqual(400);
  expect(forged.status).toBeLessThan(500);
  await forged.text();

  expect((await fetch(`${base}/slack/install`, { method: 'POST' })).status).toBe(405);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});
