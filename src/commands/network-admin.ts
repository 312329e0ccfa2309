import { z } from 'zod';
import { isTimeZone } from '../config.ts';
import { updateCommunitySettings } from '../db/communities.ts';
import { UserError } from '../errors.ts';
import { audit, listReports, postOpportunity, removeMember, resolveReport } from '../flows/moderation.ts';
import { createMeetup } from '../flows/meetups.ts';
import { addPrompt, nextPrompt, promptsFor, setPromptDisabled } from '../flows/prompts.ts';
import { runRound } from '../flows/rounds.ts';
import { computeStats, statsCsv } from '../flows/stats.ts';
import * as copy from '../messages/copy/admin.ts';
import type { Form } from '../messages/model.ts';
import type { PromptTheme } from '../messages/prompts.ts';
import { WEEKDAYS, type CommunitySettings } from '../settings.ts';
import { renderChart } from '../stats/chart.ts';
import { takeMemberRef } from './member-ref.ts';
import { describeIssues, fieldIssues, firstWord, memberText, parseKeyValues } from './text.ts';
import type { FormHandler, HandlerContext, Invocation, Result } from '../handler.ts';
import type { CommandDefinition } from './types.ts';

/** `/network-admin`: the moderators' tools. The core refuses non-moderators before any of this runs. */

const THEMES = ['reconnect', 'share', 'offer', 'groups', 'etiquette', 'practice'] as const;
const channelRef = z
  .string()
  .trim()
  .transform((s) => s.replace(/^<#([A-Z0-9]+)(\|[^>]*)?>$/i, '$1').replace(/^#/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'A channel is its id or #name, e.g. C0123ABC or #general.'));
const intText = (label: string, min: number, max: number) =>
  z.coerce.number({ message: `${label} must be a number.` }).int(`${label} must be a whole number.`).min(min, `${label} must be at least ${min}.`).max(max, `${label} can be at most ${max}.`);

/** Setup fields as moderators type them, mapped onto the community's settings. */
export const setupSchema = z
  .object({
    prompt_channel: channelRef,
    prompt_day: z.enum(WEEKDAYS, { message: `The prompt day must be one of: ${WEEKDAYS.join(', ')}.` }),
    prompt_time: z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'The prompt time must be 24-hour HH:MM, e.g. 09:00.'),
    time_zone: z.string().trim().refine(isTimeZone, 'The time zone must be an IANA name such as Europe/London.'),
    cadence: z.enum(['weekly', 'biweekly', 'monthly', 'off'], { message: 'The pairing cadence must be weekly, biweekly, monthly or off.' }),
    group_size: z.enum(['2', '3'], { message: 'The group size must be 2 or 3.' }).transform((v) => Number(v) as 2 | 3),
    rematch_weeks: intText('The rematch window', 0, 104),
    max_asks: intText('Maximum open asks', 1, 20),
    response_hours: intText('The response window', 1, 336),
    intro_channel: channelRef,
  })
  .partial();

type SetupInput = z.infer<typeof setupSchema>;

function toSettings(d: SetupInput): Partial<CommunitySettings> {
  const s: Partial<CommunitySettings> = {};
  if (d.prompt_channel !== undefined) s.promptChannelId = d.prompt_channel;
  if (d.prompt_day !== undefined) s.promptDay = d.prompt_day;
  if (d.prompt_time !== undefined) s.promptTime = d.prompt_time;
  if (d.time_zone !== undefined) s.timeZone = d.time_zone;
  if (d.cadence !== undefined) s.pairingCadence = d.cadence;
  if (d.group_size !== undefined) s.groupSize = d.group_size;
  if (d.rematch_weeks !== undefined) s.rematchWindowWeeks = d.rematch_weeks;
  if (d.max_asks !== undefined) s.maxOpenAsks = d.max_asks;
  if (d.response_hours !== undefined) s.responseWindowHours = d.response_hours;
  if (d.intro_channel !== undefined) s.introChannelId = d.intro_channel;
  return s;
}

export function setupForm(s: CommunitySettings): Form {
  return {
    formId: copy.SETUP_FORM,
    title: 'Community setup',
    submitLabel: 'Save',
    fields: [
      { name: 'prompt_channel', label: 'Prompt channel (id or #name)', kind: 'short', required: false, maxLength: 80, initial: s.promptChannelId ?? undefined },
      { name: 'prompt_day', label: 'Prompt day', kind: 'select', required: false, initial: s.promptDay, options: WEEKDAYS.map((d) => ({ value: d, label: d })) },
      { name: 'prompt_time', label: 'Prompt time (HH:MM)', kind: 'short', required: false, maxLength: 5, initial: s.promptTime },
      { name: 'time_zone', label: 'Time zone', kind: 'short', required: false, maxLength: 60, initial: s.timeZone },
      { name: 'cadence', label: 'Pairing rounds', kind: 'select', required: false, initial: s.pairingCadence, options: ['weekly', 'biweekly', 'monthly', 'off'].map((v) => ({ value: v, label: v })) },
      { name: 'group_size', label: 'Group size', kind: 'select', required: false, initial: String(s.groupSize), options: ['2', '3'].map((v) => ({ value: v, label: v })) },
      { name: 'rematch_weeks', label: 'Rematch window (weeks)', kind: 'short', required: false, maxLength: 3, initial: String(s.rematchWindowWeeks) },
      { name: 'max_asks', label: 'Maximum open asks per member', kind: 'short', required: false, maxLength: 2, initial: String(s.maxOpenAsks) },
      { name: 'response_hours', label: 'Response window (hours)', kind: 'short', required: false, maxLength: 3, initial: String(s.responseWindowHours) },
      { name: 'intro_channel', label: 'Intros channel (id or #name)', kind: 'short', required: false, maxLength: 80, initial: s.introChannelId ?? undefined },
    ],
  };
}

async function saveSetup(ctx: HandlerContext, inv: Invocation, raw: Record<string, string>): Promise<Result> {
  const unknown = Object.keys(raw).filter((k) => !(k in setupSchema.shape));
  if (unknown.length) throw new UserError('invalid_input', `Unknown setting "${unknown[0]!.slice(0, 30)}". Settings: ${Object.keys(setupSchema.shape).join(', ')}.`);
  // Empty form fields mean "leave as it is".
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v.trim() !== ''));
  const parsed = setupSchema.safeParse(given);
  if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
  const problem = await updateCommunitySettings(ctx.db, inv.community, toSettings(parsed.data));
  if (problem) throw new UserError('invalid_input', problem);
  await audit(ctx, inv, 'settings.update', '', parsed.data);
  return { reply: copy.settingsSaved(Object.keys(parsed.data)) };
}

export const MEETUP_SIZES = ['2', '3', '4'] as const;
export const meetupSchema = z.object({
  title: memberText('The title', { min: 3, max: 100 }),
  start: z.string().trim().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d$/, 'Start must look like 2026-03-10 18:00.'),
  tz: z.string().trim().refine(isTimeZone, 'The time zone must be an IANA name such as Europe/London.'),
  length: intText('The length in minutes', 15, 240),
  link: z.union([z.literal(''), z.url({ message: 'The video link must be a full https:// address.' })]).optional(),
  size: z.enum(MEETUP_SIZES, { message: 'Breakout groups must have 2, 3 or 4 people.' }).transform((v) => Number(v) as 2 | 3 | 4),
});

export function meetupForm(s: CommunitySettings): Form {
  return {
    formId: copy.MEETUP_FORM,
    title: 'New meetup',
    submitLabel: 'Announce',
    fields: [
      { name: 'title', label: 'Title', kind: 'short', required: true, maxLength: 100 },
      { name: 'start', label: 'Start (YYYY-MM-DD HH:MM, local)', kind: 'short', required: true, maxLength: 16, placeholder: '2026-03-10 18:00' },
      { name: 'tz', label: 'Time zone', kind: 'short', required: true, maxLength: 60, initial: s.timeZone },
      { name: 'length', label: 'Length (minutes)', kind: 'short', required: true, maxLength: 3, initial: '60' },
      { name: 'link', label: 'Video link', kind: 'short', required: false, maxLength: 300 },
      { name: 'size', label: 'Breakout group size', kind: 'select', required: true, initial: '3', options: MEETUP_SIZES.map((v) => ({ value: v, label: v })) },
    ],
  };
}

async function saveMeetup(ctx: HandlerContext, inv: Invocation, raw: Record<string, string>): Promise<Result> {
  const parsed = meetupSchema.safeParse({ size: '3', length: '60', tz: ctx.settings.timeZone, ...raw });
  if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
  const d = parsed.data;
  return createMeetup(ctx, inv, { title: d.title, start: d.start, timeZone: d.tz, lengthMinutes: d.length, videoLink: d.link || null, groupSize: d.size });
}

async function stats(ctx: HandlerContext, inv: Invocation, exportCsv: boolean): Promise<Result> {
  const s = await computeStats(ctx.db, inv.community.id, inv.now);
  await audit(ctx, inv, exportCsv ? 'stats.export' : 'stats.view');
  if (exportCsv) {
    return { reply: copy.exportReady([{ name: 'circulate-stats.csv', mimeType: 'text/csv', base64: Buffer.from(statsCsv(s)).toString('base64') }]) };
  }
  const png = renderChart(s.weeks.map((w) => ({ introductions: w.introductions, met: w.met })));
  return { reply: copy.statsMessage(s, [{ name: 'circulate-12-weeks.png', mimeType: 'image/png', base64: png.toString('base64') }]) };
}

async function prompts(ctx: HandlerContext, inv: Invocation, text: string): Promise<Result> {
  const [word, rest] = firstWord(text);
  switch (word) {
    case '':
    case 'list':
      return { reply: copy.promptList(await promptsFor(ctx.db, inv.community.id)) };
    case 'preview':
      return { reply: copy.promptPreview((await nextPrompt(ctx.db, inv.community.id))?.text ?? null) };
    case 'add': {
      const colon = rest.indexOf(':');
      const theme = rest.slice(0, Math.max(0, colon)).trim().toLowerCase();
      if (colon < 0 || !(THEMES as readonly string[]).includes(theme)) {
        throw new UserError('invalid_input', `Write /network-admin prompts add theme: text, with a theme from: ${THEMES.join(', ')}.`);
      }
      const body = memberText('The prompt', { min: 10, max: 600, multiline: true }).safeParse(rest.slice(colon + 1));
      if (!body.success) throw new UserError('invalid_input', describeIssues(body.error));
      const key = await addPrompt(ctx.db, inv.community.id, theme as PromptTheme, body.data, inv.now);
      await audit(ctx, inv, 'prompt.add', key);
      return { reply: copy.promptAdded(key) };
    }
    case 'disable':
    case 'enable': {
      const key = rest.trim();
      if (!(await setPromptDisabled(ctx.db, inv.community.id, key, word === 'disable', inv.now))) {
        throw new UserError('not_found', `There is no prompt "${key.slice(0, 40)}". See them with /network-admin prompts.`);
      }
      await audit(ctx, inv, `prompt.${word}`, key);
      return { reply: copy.promptToggled(key, word === 'disable') };
    }
    default:
      throw new UserError('unknown_command', 'Prompts subcommands: list, add, disable, enable, preview.');
  }
}

export const ADMIN_SUBCOMMANDS = ['setup', 'prompts', 'round', 'meetup', 'stats', 'export', 'remove', 'reports', 'opportunity'] as const;

export const networkAdmin: CommandDefinition = {
  name: 'network-admin',
  summary: 'moderators: setup, prompts, rounds, meetups, stats, removals, reports and opportunities',
  moderatorOnly: true,
  usage: [
    '/network-admin setup (form) · /network-admin setup prompt_channel=#general prompt_day=monday prompt_time=09:00 time_zone=Europe/London cadence=biweekly',
    '/network-admin prompts [list | preview | add theme: text | disable KEY | enable KEY]',
    '/network-admin round (run a pairing round now)',
    '/network-admin meetup (form) · /network-admin meetup title="Spring meetup" start="2026-04-14 18:00" tz=Europe/London length=60 size=3 link=https://…',
    '/network-admin stats · /network-admin export',
    '/network-admin remove @member',
    '/network-admin reports · /network-admin reports resolve N [note]',
    '/network-admin opportunity ALA: Membership committee volunteer https://…',
  ],
  async run(ctx, inv, text) {
    const [word, rest] = firstWord(text);
    const kv = () => {
      const values = parseKeyValues(rest);
      if (!values) throw new UserError('invalid_input', 'Write the values as key=value pairs; quote values with spaces: title="Spring meetup".');
      return values;
    };
    switch (word) {
      case '':
      case 'help':
        return { reply: copy.settingsView(Object.entries(ctx.settings).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') || '-' : String(v ?? '-')])) };
      case 'setup':
        return rest.trim() ? saveSetup(ctx, inv, kv()) : { form: setupForm(ctx.settings) };
      case 'prompts':
        return prompts(ctx, inv, rest);
      case 'round': {
        const filter = inv.channelMemberIds ? new Set(inv.channelMemberIds) : undefined;
        const memberIds = filter
          ? new Set((await ctx.db.selectFrom('members').select(['id', 'platform_user_id']).where('community_id', '=', inv.community.id).execute()).filter((m) => filter.has(m.platform_user_id)).map((m) => m.id))
          : undefined;
        const outgoing = await runRound(ctx, inv.community, inv.now, memberIds);
        const groups = outgoing.filter((o) => o.to.kind === 'conversation').length;
        await audit(ctx, inv, 'round.run', '', { groups });
        return { reply: copy.roundRan(groups, outgoing.length - groups), outgoing };
      }
      case 'meetup':
        return rest.trim() ? saveMeetup(ctx, inv, kv()) : { form: meetupForm(ctx.settings) };
      case 'stats':
        return stats(ctx, inv, false);
      case 'export':
        return stats(ctx, inv, true);
      case 'remove': {
        const { member } = await takeMemberRef(ctx.db, inv.community.id, rest);
        if (!member) throw new UserError('invalid_input', 'Name the member to remove, e.g. /network-admin remove @Dana.');
        return removeMember(ctx, inv, member);
      }
      case 'reports': {
        const [sub, args] = firstWord(rest);
        if (sub === '' || sub === 'list') return listReports(ctx, inv);
        if (sub !== 'resolve') throw new UserError('unknown_command', 'Reports subcommands: list, resolve N [note].');
        const [refText, note] = firstWord(args);
        const ref = Number(refText.replace(/^#/, ''));
        const report = await ctx.db.selectFrom('reports').select('id').where('community_id', '=', inv.community.id).where('ref', '=', ref).executeTakeFirst();
        if (!report) throw new UserError('not_found', `There is no report #${refText.slice(0, 10)}.`);
        const cleanNote = memberText('The note', { min: 0, max: 500 }).safeParse(note);
        if (!cleanNote.success) throw new UserError('invalid_input', describeIssues(cleanNote.error));
        return resolveReport(ctx, inv, report.id, cleanNote.data);
      }
      case 'opportunity': {
        const colon = rest.indexOf(':');
        if (colon < 0) throw new UserError('invalid_input', 'Write /network-admin opportunity Organisation: what the role is [link].');
        const urlMatch = /\s(https?:\/\/\S+)\s*$/.exec(rest);
        const org = memberText('The organisation', { min: 2, max: 100 }).safeParse(rest.slice(0, colon));
        const title = memberText('The opening', { min: 5, max: 300 }).safeParse(rest.slice(colon + 1, urlMatch ? urlMatch.index : undefined));
        if (!org.success) throw new UserError('invalid_input', describeIssues(org.error));
        if (!title.success) throw new UserError('invalid_input', describeIssues(title.error));
        return postOpportunity(ctx, inv, org.data, title.data, urlMatch ? urlMatch[1]! : null);
      }
      default:
        throw new UserError('unknown_command', `"${word.slice(0, 30)}" is not a /network-admin subcommand. Try: ${ADMIN_SUBCOMMANDS.join(', ')}.`);
    }
  },
};

export const setupFormHandler: FormHandler = { formId: copy.SETUP_FORM, submit: (ctx, inv, values) => saveSetup(ctx, inv, values) };
export const meetupFormHandler: FormHandler = { formId: copy.MEETUP_FORM, submit: (ctx, inv, values) => saveMeetup(ctx, inv, values) };
