import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('config', () => {
  it('has sensible defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('./data/circulate.db');
    expect(config.MAX_OPEN_ASKS).toBe(3);
    expect(config.RESPONSE_WINDOW_HOURS).toBe(72);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable and what is expected when a value is bad', () => {
    expect(() => loadConfig({ MAX_OPEN_ASKS: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAX_OPEN_ASKS: 'lots' })).toThrow(/MAX_OPEN_ASKS: .*number.*"lots"/);
    expect(() => loadConfig({ DEFAULT_TIME_ZONE: 'Mars/Base' })).toThrow(/DEFAULT_TIME_ZONE: expected an IANA time zone/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('reads the matching warm-up switch as a boolean', () => {
    expect(loadConfig({}).MATCHING_WARM_UP).toBe(true);
    expect(loadConfig({ MATCHING_WARM_UP: 'false' }).MATCHING_WARM_UP).toBe(false);
    expect(() => loadConfig({ MATCHING_WARM_UP: 'sometimes' })).toThrow(/MATCHING_WARM_UP: expected true or false/);
  });

  it('treats empty platform tokens as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '' }).SLACK_BOT_TOKEN).toBeUndefined();
  });
});

describe('.env.example', () => {
  it('parses as a valid configuration and names every variable the schema knows', async () => {
    const { readFileSync } = await import('node:fs');
    const dotenv = await import('dotenv');
    const { configSchema } = await import('../../src/config.ts');
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = dotenv.parse(text);
    expect(() => loadConfig(env)).not.toThrow();
    for (const name of Object.keys(configSchema.shape)) expect(env).toHaveProperty(name);
  });
});
