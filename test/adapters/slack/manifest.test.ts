import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BOT_SCOPES } from '../../../adapters/slack/index.ts';
import { commands } from '../../../src/commands/registry.ts';

const manifest = JSON.parse(readFileSync(new URL('../../../adapters/slack/manifest.json', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; url: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] }; redirect_urls: string[] };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
};

test('the manifest registers every core command on /slack/events', () => {
  expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(commands.map((c) => `/${c.name}`).sort());
  for (const c of manifest.features.slash_commands) expect(c.url).toBe('https://YOUR-HOST/slack/events');
});

test('the manifest asks for the scopes, events and interactivity the adapter uses', () => {
  expect(manifest.oauth_config.scopes.bot.sort()).toEqual([...BOT_SCOPES].sort());
  // files.getUploadURLExternal / files.completeUploadExternal: charts, CSV and data exports.
  expect(BOT_SCOPES).toContain('files:write');
  expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  expect(manifest.settings.event_subscriptions.request_url).toBe('https://YOUR-HOST/slack/events');
  expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  expect(manifest.oauth_config.redirect_urls).toEqual(['https://YOUR-HOST/slack/oauth_redirect']);
});
