import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/time.ts';
import { PRACTICE_QUESTIONS } from '../../src/messages/practice-questions.ts';
import { ROLE_FOCUSES } from '../../src/matching/types.ts';
import { testDatabases } from '../support/databases.ts';
import { useHarness } from '../support/fixture.ts';
import { textOf } from '../support/harness.ts';

describe.each(testDatabases)('interview practice flow on $name', (testDb) => {
  const f = useHarness(testDb);


  it('waits in the pool, pairs compatible partners at once and sends both the plan', async () => {
    const carol = f.h.member('Carol');
    const eve = f.h.member('Eve');
    const first = await carol.command('interview-practice', 'academic early weekday-evenings');
    expect(textOf(first)).toContain('You are in the practice pool for academic libraries');
    const second = await eve.command('interview-practice', 'academic mid evenings');
    expect(textOf(second)).toContain('You are paired with Carol');
    const plan = f.h.port.deliveries.find((d) => d.kind === 'conversation')!;
    expect(plan.audience.sort()).toEqual(['carol', 'eve']);
    const text = textOf(plan.message);
    expect(text).toContain('First half');
    expect(text).toContain('Second half');
    for (const q of PRACTICE_QUESTIONS.academic) expect(text).toContain(q);
    const statuses = await f.database.db.selectFrom('requests').select('status').execute();
    expect(statuses.map((s) => s.status)).toEqual(['matched', 'matched']);
  });

  it('does not pair people whose role focus does not fit, or whose availability never overlaps', async () => {
    await f.h.member('Carol').command('interview-practice', 'school weekday-mornings');
    const reply = await f.h.member('Eve').command('interview-practice', 'school weekend-evenings');
    expect(textOf(reply)).toContain('You are in the practice pool');
    expect(f.h.port.deliveries.filter((d) => d.kind === 'conversation')).toHaveLength(0);
  });

  it('lets a member leave the pool, and says so when they are not in it', async () => {
    const carol = f.h.member('Carol');
    expect(textOf(await carol.command('interview-practice', 'leave'))).toContain('not in the practice pool');
    await carol.command('interview-practice', 'archives');
    expect(textOf(await carol.command('interview-practice', 'archives'))).toContain('already in the practice pool');
    expect(textOf(await carol.command('interview-practice', 'leave'))).toContain('left the practice pool');
    const reply = await f.h.member('Eve').command('interview-practice', 'archives');
    expect(textOf(reply)).toContain('You are in the practice pool');
  });

  it('asks both for structured feedback after the session and passes it to the partner', async () => {
    const carol = f.h.member('Carol');
    const eve = f.h.member('Eve');
    await carol.command('interview-practice', 'management');
    await eve.command('interview-practice', 'management');
    await f.h.advance(3 * DAY);
    expect(carol.inbox().at(-1)).toContain('How did interview practice with Eve go?');
    const form = await eve.press('Give feedback');
    expect(form.form?.fields.map((f) => f.name)).toEqual(['went_well', 'to_practise']);
    const bad = await eve.submit(form.form!.formId, { went_well: 'x'.repeat(501), to_practise: 'ok' }, form.form!.payload);
    expect(bad.fieldErrors?.went_well).toContain('too long');
    await eve.submit(form.form!.formId, { went_well: 'Clear examples', to_practise: 'Pace' }, form.form!.payload);
    expect(carol.inbox().at(-1)).toContain('Clear examples');
    const again = await eve.submit(form.form!.formId, { went_well: 'Again', to_practise: 'Again' }, form.form!.payload);
    expect(textOf(again)).toContain('already sent feedback');
  });

  it('has at least eight questions for every role focus', () => {
    for (const focus of ROLE_FOCUSES) expect(PRACTICE_QUESTIONS[focus].length).toBeGreaterThanOrEqual(8);
  });
});
