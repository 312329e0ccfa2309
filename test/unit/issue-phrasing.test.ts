import { describe, expect, it } from 'vitest';
import { meetupSchema } from '../../src/commands/network-admin.ts';
import { describeIssues, fieldIssues } from '../../src/commands/text.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/** Found by the command fuzzer: a missing key=value field answered "Invalid input: expected string, received undefined". */
describe('missing fields are named', () => {
  it('in the message and inline', () => {
    const parsed = meetupSchema.safeParse({ start: '2026-03-10 18:00', tz: 'Europe/London', length: '60', size: '3' });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toBe('title is missing: add title=….');
    expect(fieldIssues(parsed.error!)).toEqual({ title: 'title is missing: add title=….' });
  });

  describe.each(testDatabases)('through the core on $name', (testDb) => {
    const f = useHarness(testDb);

    it('/network-admin meetup with no fields', async () => {
      const reply = await f.h.app.core.command(
        { platform: 'console', communityPlatformId: 'test-community', communityName: 'Test', user: { platformUserId: 'mia', displayName: 'Mia' }, isModerator: true },
        'network-admin',
        'meetup stage=',
      );
      const text = textOf(reply);
      expect(text).toContain('title is missing: add title=….');
      expect(text).not.toMatch(/received undefined|Invalid input/);
    });
  });
});
