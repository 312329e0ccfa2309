import { describe, expect, it } from 'vitest';
import type { CommunityRow } from '../../src/db/tables.ts';
import { defaultSettings, mergeSettings, settingsFor } from '../../src/settings.ts';
import { testConfig } from '../support/harness.ts';

/** Stored community settings are read field by field: one bad value costs only itself, and is logged. */
describe('stored community settings', () => {
  const config = testConfig();
  const community = (settings: object | string): CommunityRow => ({
    id: 'c-1',
    platform: 'slack',
    platform_id: 'T123',
    name: 'Library careers',
    settings: typeof settings === 'string' ? settings : JSON.stringify(settings),
    created_at: '2026-03-01T00:00:00.000Z',
    left_at: null,
  });
  const capture = () => {
    const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
    return { warnings, log: { warn: (obj: Record<string, unknown>, msg: string) => void warnings.push({ obj, msg }) } as never };
  };

  it('an invalid field falls back to its default alone; the valid ones are kept', () => {
    const { warnings, log } = capture();
    const stored = { timeZone: 'Europe/London', promptDay: 'friday', maxOpenAsks: 500, groupSize: 3, moderatorIds: ['U1'] };
    const settings = settingsFor(community(stored), config, log);
    expect(settings).toEqual({
      ...defaultSettings(config),
      timeZone: 'Europe/London',
      promptDay: 'friday',
      groupSize: 3,
      moderatorIds: ['U1'],
    });
    expect(settings.maxOpenAsks).toBe(config.MAX_OPEN_ASKS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toMatchObject({ community: 'c-1', platformId: 'T123', field: 'maxOpenAsks' });
    expect(warnings[0]!.msg).toMatch(/invalid/);
  });

  it('warns once per bad value, not on every command; a new bad value warns again', () => {
    const { warnings, log } = capture();
    const row = { ...community({ timeZone: 'Mars/Olympus', promptDay: 'monday' }), id: 'c-2' };
    for (let i = 0; i < 5; i++) expect(settingsFor(row, config, log).timeZone).toBe(config.DEFAULT_TIME_ZONE);
    expect(warnings.map((w) => w.obj.field)).toEqual(['timeZone']);
    settingsFor({ ...row, settings: JSON.stringify({ timeZone: 'Venus/Maxwell' }) }, config, log);
    expect(warnings.map((w) => w.obj.field)).toEqual(['timeZone', 'timeZone']);
  });

  it('settings that are not a JSON object are logged and take every default', () => {
    const { warnings, log } = capture();
    expect(settingsFor({ ...community('{"timeZone": "Europe/Lon'), id: 'c-3' }, config, log)).toEqual(defaultSettings(config));
    expect(warnings.map((w) => w.obj.field)).toEqual(['(all)']);
    expect(settingsFor({ ...community('{}'), id: 'c-4' }, config, log)).toEqual(defaultSettings(config));
    expect(warnings).toHaveLength(1);
  });

  it('a moderator can still change settings when a stored field is invalid; the bad field is dropped', () => {
    const result = mergeSettings(community({ maxOpenAsks: 'lots', promptDay: 'friday' }), { promptTime: '10:30' });
    expect(result).toEqual({ settings: JSON.stringify({ promptDay: 'friday', promptTime: '10:30' }) });
    expect(mergeSettings(community({}), { promptTime: '25:00' })).toHaveProperty('error');
  });
});
