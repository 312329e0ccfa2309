import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core.ts';
import { channelPostWithout, isAboutMember } from '../../src/flows/privacy.ts';
import { enqueue } from '../../src/outbox/outbox.ts';
import { p } from '../../src/messages/build.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

/**
 * Issue 12 item 5: erasing a member chose outbox rows by text, so a member called "e" wiped every
 * other member's pending introductions and delivered history. Rows are now chosen by ids only.
 */

const ASK = 'archives: How did you move from public libraries into archives? Which skills mattered most? 20 min';
const actorE: Actor = { platform: 'console', communityPlatformId: 'test-community', communityName: 'Test community', user: { platformUserId: 'e', displayName: 'e' } };

describe.each(testDatabases)('delete-my-data on $name', (testDb) => {
  const f = useHarness(testDb);

  it('a member called "e" erases their own messages and nobody else\'s', async () => {
    // Others' delivered history: an offer, an ask, an invitation, an introduction.
    await f.h.member('Dana').command('offer-help', 'archives: moving from public libraries into archives');
    await f.h.member('Ann').command('intro-request', ASK);
    await f.h.member('Dana').press('Accept');
    // e's own: an offer and an invitation to e for Bob's ask.
    await f.h.app.core.command(actorE, 'offer-help', 'reference: desk shifts, chat reference and e-resources');
    await f.h.app.core.flush();
    await f.h.member('Bob').command('intro-request', 'reference: How do you handle busy desk shifts? What surprised you? 15 min');
    // A pending message to Ann that even names e in passing stays: it is not about e by id.
    const communityId = (await f.database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow()).id;
    const ann = await f.database.db.selectFrom('members').select(['id', 'platform_user_id']).where('platform_user_id', '=', 'ann').executeTakeFirstOrThrow();
    await enqueue(f.database.db, communityId, [{ to: { kind: 'private', memberId: ann.id, platformUserId: ann.platform_user_id }, message: { blocks: [p('Reminder: e and everyone else are welcome at the meetup.')] } }], f.h.clock.now());

    const rows = () => f.database.db.selectFrom('outbox').select(['id', 'destination', 'message']).orderBy('seq').execute();
    const before = await rows();
    const toE = before.filter((r) => r.destination.includes('"e"'));
    expect(toE.length).toBeGreaterThan(0);
    const others = before.filter((r) => !r.destination.includes('"e"'));
    // Nearly every message has an "e" in it: the old text match would have taken them all.
    expect(others.filter((r) => r.message.includes('e')).length).toBe(others.length);

    await f.h.app.core.command(actorE, 'network', 'delete-my-data');
    const done = await f.h.app.core.action(actorE, 'privacy.confirm_delete', 'confirm');
    expect(textOf(done)).toContain('has been deleted');
    await f.h.app.core.flush();

    const after = await rows();
    const afterIds = new Set(after.map((r) => r.id));
    // Messages to e are gone; Bob's ask (and e's invitation about it) is about e's match, so its
    // invitation to e goes, while Ann's and Dana's introduction, invitation and Ann's pending reminder stay.
    for (const r of toE) expect(afterIds.has(r.id)).toBe(false);
    const kept = others.filter((r) => !/"e"/.test(r.message));
    for (const r of kept) expect(after.find((a) => a.id === r.id)?.message).toBe(r.message);
    const texts = after.map((r) => r.message).join('\n');
    expect(texts).toContain('Reminder: e and everyone else');
    expect(f.h.member('Ann').inbox().join('\n')).toContain('Reminder: e and everyone else');
    expect(after.filter((r) => r.destination.includes('"kind":"conversation"')).length).toBe(before.filter((r) => r.destination.includes('"kind":"conversation"')).length);
    // Ann's own intro history still works.
    expect(textOf(await f.h.member('Ann').command('network', 'matches'))).toContain('Dana');
  });
});

describe('isAboutMember', () => {
  const who = { memberId: 'm-e', platformUserId: 'e' };
  const row = (destination: unknown, message: unknown) => ({ destination: JSON.stringify(destination), message: JSON.stringify(message) });
  const toAnn = { kind: 'private', memberId: 'm-ann', platformUserId: 'ann' };

  it('chooses by ids, never by text', () => {
    expect(isAboutMember(row({ kind: 'private', memberId: 'm-e', platformUserId: 'e' }, { blocks: [] }), who, new Set())).toBe(true);
    expect(isAboutMember(row({ kind: 'conversation', memberIds: ['m-ann', 'm-e'], platformUserIds: ['ann', 'e'], title: 't' }, { blocks: [] }), who, new Set())).toBe(true);
    expect(isAboutMember(row(toAnn, { blocks: [{ kind: 'paragraph', spans: [{ kind: 'mention', platformUserId: 'e', name: 'e' }] }] }), who, new Set())).toBe(true);
    expect(isAboutMember(row(toAnn, { blocks: [{ kind: 'actions', buttons: [{ actionId: 'x', label: 'Yes', payload: 'match-1' }] }] }), who, new Set(['match-1']))).toBe(true);
    expect(isAboutMember(row(toAnn, { blocks: [{ kind: 'paragraph', spans: [{ kind: 'text', text: 'e' }, { kind: 'text', text: 'm-e is here' }] }] }), who, new Set(['match-1']))).toBe(false);
    expect(isAboutMember(row({ kind: 'channel', channelId: 'e' }, { blocks: [{ kind: 'heading', text: 'e' }] }), who, new Set())).toBe(false);
  });
});

describe('channel posts stay when a member erases their data', () => {
  const who = { memberId: 'm-e', platformUserId: 'e' };
  it('a weekly digest loses only the button for their ask and their mention', () => {
    const digest = {
      blocks: [
        { kind: 'heading', text: 'Weekly digest' },
        { kind: 'paragraph', spans: [{ kind: 'mention', platformUserId: 'e', name: 'e' }, { kind: 'text', text: ' and ' }, { kind: 'mention', platformUserId: 'ann', name: 'Ann' }] },
        { kind: 'actions', buttons: [{ actionId: 'digest.help', label: 'I can help with #1', payload: 'req-e' }, { actionId: 'digest.help', label: 'I can help with #2', payload: 'req-ann' }] },
        { kind: 'actions', buttons: [{ actionId: 'digest.help', label: 'I can help with #3', payload: 'req-e2' }] },
      ],
    };
    const row = { destination: JSON.stringify({ kind: 'channel', channelId: 'C1' }), message: JSON.stringify(digest) };
    expect(isAboutMember(row, who, new Set(['req-e', 'req-e2']))).toBe(true);
    const kept = JSON.parse(channelPostWithout(row, who, new Set(['req-e', 'req-e2']))!) as typeof digest;
    expect(kept.blocks).toEqual([
      digest.blocks[0],
      { kind: 'paragraph', spans: [{ kind: 'text', text: 'Former member' }, { kind: 'text', text: ' and ' }, { kind: 'mention', platformUserId: 'ann', name: 'Ann' }] },
      { kind: 'actions', buttons: [{ actionId: 'digest.help', label: 'I can help with #2', payload: 'req-ann' }] },
    ]);
    expect(channelPostWithout({ destination: JSON.stringify({ kind: 'private', memberId: 'm-ann', platformUserId: 'ann' }), message: row.message }, who, new Set())).toBeNull();
  });
});
