import { z } from 'zod';
import { isTimeZone } from '../config.ts';
import { parseDuration } from '../clock.ts';
import { DAY } from '../time.ts';
import { parseList } from '../db/json.ts';
import { matchesForMember } from '../db/matches.ts';
import { updateMember } from '../db/members.ts';
import type { MemberRow, MemberUpdate } from '../db/tables.ts';
import { UserError } from '../errors.ts';
import { blockMember, orgsFor, reportMember } from '../flows/moderation.ts';
import { confirmDelete, exportMyData } from '../flows/privacy.ts';
import { suggestReconnects } from '../flows/reconnect.ts';
import { takeMemberRef } from './member-ref.ts';
import { setRoundsOptIn } from '../flows/rounds.ts';
import { CAREER_STAGES } from '../matching/types.ts';
import * as copy from '../messages/copy/network.ts';
import type { Form, Message } from '../messages/model.ts';
import { fieldIssues, describeIssues, firstWord, memberText, parseKeyValues } from './text.ts';
import type { FormHandler, HandlerContext, Invocation, Result } from '../handler.ts';
import type { CommandDefinition } from './types.ts';
import { availabilityOf, careerStageOf, STAGE_WORDS } from './vocab.ts';

/** `/network`: profile, pause, resume, matches and help. */

export const PROFILE_FORM = 'network.profile';
const MAX_PAUSE_MS = 26 * 7 * DAY;
const DEFAULT_PAUSE_MS = 4 * 7 * DAY;

const listText = (label: string) =>
  memberText(label, { min: 0, max: 300 }).transform((s) =>
    s
      .split(/[,;]/)
      .map((x) => x.trim())
      .filter(Boolean)
      .slice(0, 12),
  );

/** Profile fields as members type them; every key is optional so one can be changed at a time. */
export const profileSchema = z
  .object({
    stage: z
      .string()
      .transform((s, c) => {
        if (s.trim() === '') return null;
        const stage = careerStageOf(s.trim());
        if (!stage) c.addIssue({ code: 'custom', message: `Career stage must be one of: ${STAGE_WORDS}.` });
        return stage;
      }),
    tz: z
      .string()
      .trim()
      .refine((s) => s === '' || isTimeZone(s), { message: 'Time zone must be an IANA name such as Europe/London or America/Chicago.' }),
    areas: listText('Areas of work'),
    orgs: listText('Organisations'),
    bio: memberText('About you', { min: 0, max: 500, multiline: true }),
    availability: z.string().transform((s, c) => {
      const slots = new Set<string>();
      for (const word of s.split(/[\s,]+/).filter(Boolean)) {
        const found = availabilityOf(word);
        if (!found) {
          c.addIssue({ code: 'custom', message: `"${word.slice(0, 30)}" is not an availability; try weekdays, weekends, evenings or weekday-mornings.` });
          return [];
        }
        found.forEach((x) => slots.add(x));
      }
      return [...slots].sort();
    }),
  })
  .partial();

const PROFILE_LABELS: Record<string, string> = {
  stage: 'career stage',
  tz: 'time zone',
  areas: 'areas of work',
  orgs: 'organisations',
  bio: 'about',
  availability: 'availability',
};

function profileView(m: MemberRow): copy.ProfileView {
  return {
    name: m.display_name,
    timeZone: m.time_zone,
    careerStage: m.career_stage,
    areas: parseList(m.areas),
    organisations: parseList(m.organisations),
    availability: parseList(m.availability),
    bio: m.bio,
    pausedUntil: m.paused_until,
  };
}

export function profileForm(m: MemberRow): Form {
  return {
    formId: PROFILE_FORM,
    title: 'Your profile',
    submitLabel: 'Save',
    fields: [
      { name: 'stage', label: 'Career stage', kind: 'select', required: false, initial: m.career_stage ?? undefined, options: CAREER_STAGES.map((s) => ({ value: s, label: s })) },
      { name: 'tz', label: 'Time zone', kind: 'short', required: false, maxLength: 60, initial: m.time_zone ?? undefined, placeholder: 'e.g. America/Chicago' },
      { name: 'areas', label: 'Areas of work (comma separated)', kind: 'short', required: false, maxLength: 300, initial: parseList(m.areas).join(', ') },
      { name: 'orgs', label: 'Organisations (comma separated)', kind: 'short', required: false, maxLength: 300, initial: parseList(m.organisations).join(', ') },
      { name: 'bio', label: 'About you', kind: 'long', required: false, maxLength: 500, initial: m.bio },
    ],
  };
}

async function saveProfile(ctx: HandlerContext, inv: Invocation, raw: Record<string, string>): Promise<Result> {
  const unknown = Object.keys(raw).filter((k) => !(k in PROFILE_LABELS));
  if (unknown.length) {
    throw new UserError('invalid_input', `Unknown profile field "${unknown[0]!.slice(0, 20)}". Use stage, tz, areas, orgs, bio or availability.`);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error), fieldIssues(parsed.error));
  const d = parsed.data;
  const changes: MemberUpdate = {};
  if (d.stage !== undefined) changes.career_stage = d.stage;
  if (d.tz !== undefined) changes.time_zone = d.tz || null;
  if (d.areas !== undefined) changes.areas = JSON.stringify(d.areas);
  if (d.orgs !== undefined) changes.organisations = JSON.stringify(d.orgs);
  if (d.bio !== undefined) changes.bio = d.bio;
  if (d.availability !== undefined) changes.availability = JSON.stringify(d.availability);
  await updateMember(ctx.db, inv.community.id, inv.member.id, changes, inv.now);
  return { reply: copy.profileUpdated(Object.keys(d).map((k) => PROFILE_LABELS[k] ?? k)) };
}

async function pause(ctx: HandlerContext, inv: Invocation, arg: string): Promise<Result> {
  const ms = arg === '' ? DEFAULT_PAUSE_MS : parseDuration(arg);
  if (ms === null || ms <= 0) throw new UserError('invalid_input', `"${arg.slice(0, 20)}" is not a duration. Try /network pause 2w (or 10d, 3w).`);
  if (ms > MAX_PAUSE_MS) throw new UserError('invalid_input', 'You can pause for at most 26 weeks at a time.');
  const until = new Date(inv.now.getTime() + ms);
  await updateMember(ctx.db, inv.community.id, inv.member.id, { paused_until: until.toISOString() }, inv.now);
  return { reply: copy.paused(until) };
}

async function resume(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  if (!inv.member.paused_until || inv.member.paused_until <= inv.now.toISOString()) return { reply: copy.notPaused() };
  await updateMember(ctx.db, inv.community.id, inv.member.id, { paused_until: null }, inv.now);
  return { reply: copy.resumed() };
}

async function matches(ctx: HandlerContext, inv: Invocation): Promise<Result> {
  const rows = await matchesForMember(ctx.db, inv.community.id, inv.member.id);
  return {
    reply: copy.matches(
      rows.map((r) => ({
        kind: r.match.kind === 'intro' ? 'informational interview' : r.match.kind === 'practice' ? 'interview practice' : r.match.kind,
        with: r.others.map((o) => o.displayName).join(', '),
        when: r.match.created_at,
        status: r.match.status,
        why: r.mine.explanation || r.match.explanation,
      })),
    ),
  };
}

export const NETWORK_SUBCOMMANDS = ['profile', 'pause', 'resume', 'matches', 'rounds', 'reconnect', 'orgs', 'block', 'report', 'export-my-data', 'delete-my-data', 'help'] as const;

/** Built by the registry, which supplies the help message for every command. */
export function createNetworkCommand(help: () => Message): CommandDefinition {
  return {
    name: 'network',
    summary: 'your profile, pausing, pairing rounds, reconnecting, groups, safety, your data, and help',
    usage: [
      '/network profile (view) · /network profile edit (form)',
      '/network profile stage=early tz=America/Chicago areas="archives, metadata" orgs="ALA, SAA"',
      '/network pause 2w · /network resume',
      '/network matches',
      '/network rounds on · /network rounds off (pairing rounds)',
      '/network reconnect (people you have not talked to in a while)',
      '/network orgs (professional groups among your connections, open volunteer roles)',
      '/network block @member · /network report @member what happened',
      '/network export-my-data · /network delete-my-data',
      '/network help',
    ],
    async run(ctx, inv, text) {
      const [word, rest] = firstWord(text);
      switch (word) {
        case '':
        case 'help':
          return { reply: help() };
        case 'profile': {
          if (rest.trim() === '') return { reply: copy.profile(profileView(inv.member)) };
          if (rest.trim().toLowerCase() === 'edit') return { form: profileForm(inv.member) };
          const kv = parseKeyValues(rest);
          if (!kv) throw new UserError('invalid_input', 'Write profile changes as field=value, e.g. stage=early tz=Europe/London bio="Cataloguer in a public library".');
          return saveProfile(ctx, inv, kv);
        }
        case 'pause':
          return pause(ctx, inv, rest.trim());
        case 'resume':
          return resume(ctx, inv);
        case 'matches':
          return matches(ctx, inv);
        case 'rounds': {
          const arg = rest.trim().toLowerCase();
          if (arg !== 'on' && arg !== 'off') throw new UserError('invalid_input', 'Say /network rounds on to join the pairing rounds, or /network rounds off to leave them.');
          return setRoundsOptIn(ctx, inv, arg === 'on');
        }
        case 'reconnect':
          return suggestReconnects(ctx, inv);
        case 'block': {
          const { member } = await takeMemberRef(ctx.db, inv.community.id, rest);
          if (!member) throw new UserError('invalid_input', 'Name the member to block, e.g. /network block @Dana.');
          return blockMember(ctx, inv, member);
        }
        case 'report': {
          const { member, rest: reason } = await takeMemberRef(ctx.db, inv.community.id, rest);
          if (!member) throw new UserError('invalid_input', 'Name the member and say what happened, e.g. /network report @Dana was rude in our introduction.');
          const parsed = memberText('The reason', { min: 5, max: 1000, multiline: true }).safeParse(reason);
          if (!parsed.success) throw new UserError('invalid_input', describeIssues(parsed.error));
          return reportMember(ctx, inv, member, parsed.data);
        }
        case 'orgs':
          return orgsFor(ctx, inv);
        case 'export-my-data':
          return exportMyData(ctx, inv);
        case 'delete-my-data':
          return confirmDelete();
        default:
          throw new UserError('unknown_command', `"${word.slice(0, 30)}" is not a /network subcommand. Try: ${NETWORK_SUBCOMMANDS.join(', ')}.`);
      }
    },
  };
}

export const profileFormHandler: FormHandler = {
  formId: PROFILE_FORM,
  submit: (ctx, inv, values) => saveProfile(ctx, inv, values),
};
