import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Plays examples/demo.txt through the real entry point, exactly as `npm run demo` does. */
function runDemo(): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bin/circulate.ts', '--seed', '42', '--start', '2026-01-05T09:00:00Z', '--database', ':memory:'],
    {
      cwd: ROOT,
      input: readFileSync(join(ROOT, 'examples', 'demo.txt')),
      encoding: 'utf8',
      env: { ...process.env, LOG_FORMAT: 'json', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', DISCORD_TOKEN: '' },
      timeout: 60_000,
    },
  );
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('console demo', () => {
  const first = runDemo();

  it('exits cleanly and logs that the console adapter started', () => {
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('starting the console adapter');
  });

  it('shows an offer, a double opt-in introduction and a practice pairing', () => {
    const out = first.stdout;
    expect(out).toContain('Offer #1 is live: *archives*');
    expect(out).toMatch(/\[DM to Dana\]\n {2}== Would you take an informational interview\? ==/);
    expect(out).toContain('[Accept] [Decline] [Not now]');
    expect(out).toContain('[conversation between Alice and Dana]');
    expect(out).toContain('agreed to a 20-minute informational interview about *archives*');
    expect(out).toContain('There is no "Accept" button on your recent messages.');
    expect(out).toContain('Dana* says thank you for your time'.replace('Dana', 'Alice'));
    expect(out).toMatch(/\[conversation between (Eve and Carol|Carol and Eve)\]/);
    expect(out).toContain('Interview practice partners');
    expect(out).toContain('Shorter answer on assessment');
    expect(out).toContain('The length must be 15, 20 or 30 minutes');
  });

  it('gives the same output on every run with the same seed and start', () => {
    expect(runDemo().stdout).toBe(first.stdout);
  });
});
