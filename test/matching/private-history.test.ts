import { describe, expect, it } from 'vitest';
import { breakoutGroups, pairRound } from '../../src/matching/index.ts';
import { context, daysAgo, member } from './support.ts';

/**
 * Issue 14, finding 3: an unanswered invitation (declined, not now, expired) keeps the pair apart
 * like a recent meeting, but it is not a meeting and no explanation may hint at it.
 */
describe('unanswered invitations in the history', () => {
  const alice = member('alice');
  const dana = member('dana');
  const history = [{ a: 'alice', b: 'dana', at: daysAgo(3), unanswered: true }];

  it('keep a round from pairing the two inside the rematch window', () => {
    expect(pairRound([alice, dana], context({ history })).groups).toEqual([]);
  });

  it('seated together at a meetup (where the window is only a preference), they are never told they talked', () => {
    const rooms = breakoutGroups([alice, dana], context({ history }), 2);
    expect(rooms.groups).toHaveLength(1);
    for (const why of Object.values(rooms.groups[0]!.explanations)) {
      expect(why).not.toMatch(/since you and .* talked/i);
      expect(why).toMatch(/you have not met yet/);
    }
  });

  it('a real meeting still reads as one', () => {
    const rooms = breakoutGroups([alice, dana], context({ history: [{ a: 'alice', b: 'dana', at: daysAgo(3) }] }), 2);
    expect(rooms.groups[0]!.explanations['alice']).toMatch(/it has been a while since you and Dana talked/i);
  });
});
