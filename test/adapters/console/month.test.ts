import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A simulated month on the console (examples/month.txt), as `npm run demo:month` plays it. */
describe('a month of a community on the console', () => {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bin/circulate.ts', '--seed', '7', '--start', '2026-01-05T10:00:00Z', '--database', ':memory:', '--moderator', 'Mia'],
    {
      cwd: ROOT,
      input: readFileSync(join(ROOT, 'examples', 'month.txt')),
      encoding: 'utf8',
      env: { ...process.env, LOG_FORMAT: 'json', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', DISCORD_TOKEN: '' },
      timeout: 90_000,
    },
  );
  const out = run.stdout;
  /** Splits the output into [clock step, printed block] pairs so each post can be checked for its time. */
  const blocks = out.split('\n[').map((b) => `[${b}`);
  const at = (pattern: RegExp) => {
    const times: string[] = [];
    let now = '2026-01-05T10:00:00.000Z';
    for (const line of out.split('\n')) {
      const step = /^ {2}-- (\S+)$/.exec(line);
      if (step) now = step[1]!;
      if (pattern.test(line)) times.push(now);
    }
    return times;
  };

  it('runs to the end', () => {
    expect(run.status).toBe(0);
  });

  it('posts each weekly prompt and digest once, on Mondays at 09:00 London time, never repeating a prompt', () => {
    const prompts = at(/== This week in Circulate ==/);
    expect(prompts).toEqual(['2026-01-12T09:00:00.000Z', '2026-01-19T09:00:00.000Z', '2026-01-26T09:00:00.000Z', '2026-02-02T09:00:00.000Z']);
    expect(at(/== Weekly digest ==/)).toEqual(prompts);
    const texts = blocks.filter((b) => b.includes('== This week in Circulate ==')).map((b) => b.split('\n')[2]);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('warns the day before each weekly round and runs each round once', () => {
    const notices = at(/== Pairing round tomorrow ==/);
    expect(notices).toEqual(['2026-01-11T09:00:00.000Z', '2026-01-18T09:00:00.000Z', '2026-01-25T09:00:00.000Z', '2026-02-01T09:00:00.000Z']);
    // Each round either pairs people or tells each one why not (with five members, everyone has
    // met everyone inside the 12-week rematch window by the fourth week).
    const outcomes = at(/== Your pairing for this round ==|We could not pair you this round/);
    expect(new Set(outcomes)).toEqual(new Set(['2026-01-12T09:00:00.000Z', '2026-01-19T09:00:00.000Z', '2026-01-26T09:00:00.000Z', '2026-02-02T09:00:00.000Z']));
    expect(at(/We could not pair you this round/).filter((t) => t === '2026-02-02T09:00:00.000Z')).toHaveLength(5);
  });

  it('asks "Did you meet?" once per person and match, and reminds once', () => {
    const asks = blocks.filter((b) => b.includes('Did you get to meet'));
    expect(asks.length).toBeGreaterThan(0);
    const keys = asks.map((b) => b.split('\n').slice(0, 2).join('|'));
    // The same person may be asked about different matches, never twice about one in the same step.
    expect(keys.length).toBe(asks.length);
  });

  it('runs the meetup: reminders at 24 hours and 1 hour, breakout groups with the CSV, follow-ups', () => {
    expect(at(/starts tomorrow/)).toEqual(Array(6).fill('2026-01-21T18:00:00.000Z'));
    expect(at(/starts in an hour/)).toEqual(Array(6).fill('2026-01-22T17:00:00.000Z'));
    expect(out).toContain('== Breakout groups: Spring meetup ==');
    expect(out).toContain('| room,email,display_name');
    expect(at(/Thanks for joining \*Spring meetup\*/).every((t) => t === '2026-01-22T19:00:00.000Z')).toBe(true);
  });

  it('handles a report privately and shows stats with the chart and a CSV', () => {
    expect(out).toContain('#1: *Bob* reported *Sam*');
    expect(out).toContain('Report #1 is resolved.');
    expect(out).toMatch(/\[file circulate-12-weeks\.png, image\/png, \d+ bytes\]/);
    expect(out).toContain('| week_start,introductions,accepted,met,thanked');
  });
});
