import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ARGS = ['--seed', '42', '--start', '2026-01-05T09:00:00Z', '--database', ':memory:'];
const env = { ...process.env, LOG_FORMAT: 'json', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', DISCORD_TOKEN: '' };

/**
 * `npm start` runs the compiled build (`npm run build`, then node on dist/). This
 * builds it and plays the demo through it: the output must match the source run.
 */
describe('the compiled build that npm start runs', () => {
  it('builds and plays the demo exactly as the TypeScript source does', { timeout: 240_000 }, () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 200_000 });
    const input = readFileSync(join(ROOT, 'examples', 'demo.txt'));
    const compiled = spawnSync(process.execPath, ['--max-semi-space-size=4', 'dist/bin/circulate.js', ...ARGS], { cwd: ROOT, input, encoding: 'utf8', env, timeout: 60_000 });
    const source = spawnSync(process.execPath, ['--import', 'tsx', 'bin/circulate.ts', ...ARGS], { cwd: ROOT, input, encoding: 'utf8', env, timeout: 60_000 });
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toContain('== Introduction ==');
    expect(compiled.stdout).toBe(source.stdout);
  });
});
