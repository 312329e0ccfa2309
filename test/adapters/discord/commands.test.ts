import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { suggestAvailability, suggestTopics } from '../../../adapters/discord/autocomplete.ts';
import {
  commandInput,
  commandPayloads,
  formPrefill,
  ADMIN_BOUNDS,
  interviewPracticeText,
  introRequestText,
  networkAdminText,
  networkText,
  offerHelpText,
  SETUP_KEYS,
} from '../../../adapters/discord/commands.ts';
import { meetupSchema, setupSchema } from '../../../src/commands/network-admin.ts';
import { parseKeyValues } from '../../../src/commands/text.ts';
import { parseIntroText } from '../../../src/commands/intro-request.ts';
import { parseOfferText } from '../../../src/commands/offer-help.ts';

describe('option → core text', () => {
  it('/offer-help', () => {
    expect(offerHelpText({ subcommand: 'add', values: { topic: 'cataloging', details: 'RDA and MARC basics', capacity: 3 } })).toBe('cataloging: RDA and MARC basics, 3/month');
    expect(offerHelpText({ subcommand: 'add', values: { topic: 'cataloging', details: 'RDA and MARC basics' } })).toBe('cataloging: RDA and MARC basics');
    expect(offerHelpText({ subcommand: 'add', values: { topic: 'cataloging' } })).toBe('');
    expect(offerHelpText({ subcommand: 'list', values: {} })).toBe('list');
    expect(offerHelpText({ subcommand: 'withdraw', values: { number: 3 } })).toBe('withdraw 3');
    // The core's own parser reads it back as given.
    expect(parseOfferText('cataloging: RDA and MARC basics, 3/month')).toEqual({ topic: 'cataloging', details: ' RDA and MARC basics', capacity: '3' });
  });

  it('/intro-request', () => {
    const text = introRequestText({ subcommand: 'ask', values: { topic: 'archives', questions: 'How did you move? What mattered?', length: 15, member: '123456789012345678' } });
    expect(text).toBe('<@123456789012345678> archives: How did you move? What mattered? 15 min');
    expect(parseIntroText(text.replace(/^<@\d+> /, ''))).toEqual({ topic: 'archives', questions: ' How did you move? What mattered?', length: '15' });
    expect(introRequestText({ subcommand: 'ask', values: { topic: 'archives', questions: 'Why?' } })).toBe('archives: Why?');
    expect(introRequestText({ subcommand: 'ask', values: { questions: 'Why?' } })).toBe('');
    expect(introRequestText({ subcommand: 'list', values: {} })).toBe('list');
    expect(introRequestText({ subcommand: 'cancel', values: { number: 4 } })).toBe('cancel 4');
  });

  it('/interview-practice', () => {
    expect(interviewPracticeText({ subcommand: 'join', values: { role: 'academic', level: 'early', availability: 'weekday-evenings weekends' } })).toBe(
      'academic early weekday-evenings weekends',
    );
    expect(interviewPracticeText({ subcommand: 'join', values: { role: 'archives' } })).toBe('archives');
    expect(interviewPracticeText({ subcommand: 'leave', values: {} })).toBe('leave');
  });

  it('/network', () => {
    expect(networkText({ subcommand: 'profile', values: {} })).toBe('profile');
    expect(networkText({ subcommand: 'profile', values: { edit: true, stage: 'early' } })).toBe('profile edit');
    const text = networkText({ subcommand: 'profile', values: { stage: 'early', tz: 'Europe/London', bio: 'Says "hi" \\ bye' } });
    expect(text).toBe('profile stage="early" tz="Europe/London" bio="Says \\"hi\\" \\\\ bye"');
    expect(parseKeyValues(text.slice('profile '.length))).toEqual({ stage: 'early', tz: 'Europe/London', bio: 'Says "hi" \\ bye' });
    expect(networkText({ subcommand: 'pause', values: { duration: '2w' } })).toBe('pause 2w');
    expect(networkText({ subcommand: 'pause', values: {} })).toBe('pause');
    for (const sub of ['resume', 'matches', 'reconnect', 'orgs', 'export-my-data', 'delete-my-data', 'help']) expect(networkText({ subcommand: sub, values: {} })).toBe(sub);
    expect(networkText({ subcommand: 'rounds', values: { state: 'on' } })).toBe('rounds on');
    expect(networkText({ subcommand: 'block', values: { member: '123456789012345678' } })).toBe('block <@123456789012345678>');
    expect(networkText({ subcommand: 'report', values: { member: '123456789012345678', reason: 'was rude in our intro' } })).toBe('report <@123456789012345678> was rude in our intro');
  });

  it('/network-admin', () => {
    const admin = (subcommand: string, values: Record<string, string | number> = {}, group?: string) => networkAdminText({ ...(group ? { group } : {}), subcommand, values });
    const setup = admin('setup', { cadence: 'weekly', group_size: 3, intro_channel: '123456789012345678', time_zone: 'Europe/London', rematch_weeks: 0 });
    expect(setup).toBe('setup time_zone="Europe/London" cadence="weekly" group_size="3" rematch_weeks="0" intro_channel="123456789012345678"');
    // The core's own parser and schema read it back as given.
    const parsed = setupSchema.parse(parseKeyValues(setup.slice('setup '.length)));
    expect(parsed).toEqual({ time_zone: 'Europe/London', cadence: 'weekly', group_size: 3, rematch_weeks: 0, intro_channel: '123456789012345678' });
    expect(admin('setup')).toBe('setup');

    const meetup = admin('meetup', { title: 'Spring "catch-up"', start: '2026-04-14 18:00', size: 4, link: 'https://meet.example.org/x' });
    expect(meetup).toBe('meetup title="Spring \\"catch-up\\"" start="2026-04-14 18:00" size="4" link="https://meet.example.org/x"');
    expect(meetupSchema.parse({ tz: 'UTC', length: '60', ...parseKeyValues(meetup.slice('meetup '.length)) })).toMatchObject({ title: 'Spring "catch-up"', size: 4, start: '2026-04-14 18:00' });

    expect(admin('list', {}, 'prompts')).toBe('prompts list');
    expect(admin('preview', {}, 'prompts')).toBe('prompts preview');
    expect(admin('add', { theme: 'share', text: 'What did you read this week?' }, 'prompts')).toBe('prompts add share: What did you read this week?');
    expect(admin('disable', { key: 'share-1' }, 'prompts')).toBe('prompts disable share-1');
    expect(admin('enable', { key: 'share-1' }, 'prompts')).toBe('prompts enable share-1');
    expect(admin('list', {}, 'reports')).toBe('reports');
    expect(admin('resolve', { number: 2 }, 'reports')).toBe('reports resolve 2');
    expect(admin('resolve', { number: 2, note: 'talked to both' }, 'reports')).toBe('reports resolve 2 talked to both');
    for (const sub of ['round', 'stats', 'export']) expect(admin(sub)).toBe(sub);
    expect(admin('remove', { member: '123456789012345678' })).toBe('remove <@123456789012345678>');
    expect(admin('opportunity', { org: 'ALA', title: 'Membership committee volunteer', link: 'https://ala.example.org/c' })).toBe(
      'opportunity ALA: Membership committee volunteer https://ala.example.org/c',
    );
    expect(admin('opportunity', { org: 'SAA: Midwest', title: 'Programme chair' })).toBe('opportunity SAA - Midwest: Programme chair');
  });

  it('keeps setup keys and numeric bounds in step with the core', () => {
    expect(SETUP_KEYS).toEqual(Object.keys(setupSchema.shape));
    for (const key of ['rematch_weeks', 'max_asks', 'response_hours'] as const) {
      const [min, max] = ADMIN_BOUNDS[key];
      expect(setupSchema.safeParse({ [key]: String(min) }).success).toBe(true);
      expect(setupSchema.safeParse({ [key]: String(max) }).success).toBe(true);
      expect(setupSchema.safeParse({ [key]: String(min - 1) }).success).toBe(false);
      expect(setupSchema.safeParse({ [key]: String(max + 1) }).success).toBe(false);
    }
    const [min, max] = ADMIN_BOUNDS.length;
    const meetup = { title: 'Meetup', start: '2026-04-14 18:00', tz: 'UTC', size: '3' };
    expect(meetupSchema.safeParse({ ...meetup, length: String(min) }).success).toBe(true);
    expect(meetupSchema.safeParse({ ...meetup, length: String(max) }).success).toBe(true);
    expect(meetupSchema.safeParse({ ...meetup, length: String(min - 1) }).success).toBe(false);
    expect(meetupSchema.safeParse({ ...meetup, length: String(max + 1) }).success).toBe(false);
  });

  it('flattens subcommand options and prefills forms from them', () => {
    const input = commandInput([
      {
        name: 'ask',
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          { name: 'topic', type: ApplicationCommandOptionType.String, value: 'archives' },
          { name: 'length', type: ApplicationCommandOptionType.Integer, value: 30 },
          { name: 'member', type: ApplicationCommandOptionType.User, value: '123456789012345678' },
        ],
      },
    ]);
    expect(input).toEqual({ subcommand: 'ask', values: { topic: 'archives', length: 30, member: '123456789012345678' } });
    expect(formPrefill(input, 'Bob')).toEqual({ topic: 'archives', length: '30', member: 'Bob' });
  });

  it('flattens a subcommand group', () => {
    const input = commandInput([
      {
        name: 'reports',
        type: ApplicationCommandOptionType.SubcommandGroup,
        options: [{ name: 'resolve', type: ApplicationCommandOptionType.Subcommand, options: [{ name: 'number', type: ApplicationCommandOptionType.Integer, value: 3 }] }],
      },
    ]);
    expect(input).toEqual({ group: 'reports', subcommand: 'resolve', values: { number: 3 } });
    expect(networkAdminText(input)).toBe('reports resolve 3');
  });
});

describe('command payloads', () => {
  it('registers every command with Discord-valid names, descriptions and options; /network-admin needs Manage Server by default', () => {
    const payloads = commandPayloads();
    expect(payloads.map((c) => c.name)).toEqual(['offer-help', 'intro-request', 'interview-practice', 'network', 'network-admin']);
    const admin = payloads.find((c) => c.name === 'network-admin')!;
    expect(admin.default_member_permissions).toBe('32');
    expect(payloads.filter((c) => c.default_member_permissions !== undefined && c.default_member_permissions !== null).map((c) => c.name)).toEqual(['network-admin']);
    const top = admin.options as { name: string; type: number; options?: { name: string; type: number; required?: boolean; choices?: { value: unknown }[] }[] }[];
    expect(top.map((o) => o.name)).toEqual(['setup', 'prompts', 'round', 'meetup', 'stats', 'export', 'remove', 'reports', 'opportunity']);
    const setup = top.find((o) => o.name === 'setup')!.options!;
    expect(setup.map((o) => o.name)).toEqual(SETUP_KEYS);
    expect(setup.every((o) => !o.required)).toBe(true);
    expect(setup.find((o) => o.name === 'intro_channel')!.type).toBe(ApplicationCommandOptionType.Channel);
    expect(setup.find((o) => o.name === 'cadence')!.choices!.map((c) => c.value)).toEqual(['weekly', 'biweekly', 'monthly', 'off']);
    expect(setup.find((o) => o.name === 'group_size')!.choices!.map((c) => c.value)).toEqual([2, 3]);
    const meetup = top.find((o) => o.name === 'meetup')!.options!;
    expect(meetup.filter((o) => o.required).map((o) => o.name)).toEqual(['title', 'start']);
    expect(meetup.find((o) => o.name === 'size')!.choices!.map((c) => c.value)).toEqual([2, 3, 4]);
    expect(top.find((o) => o.name === 'remove')!.options![0]).toMatchObject({ name: 'member', type: ApplicationCommandOptionType.User, required: true });
    const prompts = top.find((o) => o.name === 'prompts')!;
    expect(prompts.type).toBe(ApplicationCommandOptionType.SubcommandGroup);
    const add = (prompts.options as unknown as typeof top).find((o) => o.name === 'add')!.options!;
    expect(add.find((o) => o.name === 'theme')!.choices!.map((c) => c.value)).toEqual(['reconnect', 'share', 'offer', 'groups', 'etiquette', 'practice']);
    const walk = (options: { name: string; description: string; options?: unknown[]; choices?: unknown[] }[] = []): void => {
      for (const o of options) {
        expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
        expect(o.description.length).toBeGreaterThan(0);
        expect(o.description.length).toBeLessThanOrEqual(100);
        expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
        walk(o.options as typeof options);
      }
    };
    for (const c of payloads) {
      expect(c.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(c.description!.length).toBeLessThanOrEqual(100);
      walk(c.options as Parameters<typeof walk>[0]);
    }
  });
});

describe('autocomplete', () => {
  it('offers what was typed first, then built-in topics matching it', () => {
    const choices = suggestTopics('catalog');
    expect(choices[0]).toEqual({ name: 'catalog', value: 'catalog' });
    expect(choices.map((c) => c.value)).toContain('cataloguing and metadata');
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(suggestTopics('').length).toBe(25);
    expect(suggestTopics('x'.repeat(150))[0]!.value.length).toBe(100);
  });

  it('completes the last availability word', () => {
    const values = suggestAvailability('weekends week').map((c) => c.value);
    expect(values).toContain('weekends weekdays');
    expect(values).toContain('weekends weekday-evenings');
    expect(values).not.toContain('weekends weekends');
  });
});
