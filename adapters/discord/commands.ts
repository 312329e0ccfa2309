import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandSubcommandsOnlyBuilder,
  type CommandInteractionOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { CAREER_STAGES, commands as coreCommands, type Form, interviewPractice, introForm, introRequest, MEETUP_SIZES, networkAdmin, offerForm, offerHelp, type PromptTheme, ROLE_FOCUSES, ROLE_LABELS, setupSchema, WEEKDAYS } from '../../src/index.ts';

/**
 * The core's commands as Discord slash commands with typed options, and the
 * small pure functions that turn those options back into the core's text
 * grammar (the same text a console or Slack user types). Limits and choices
 * come from the core's own forms, so Discord's client checks what the core
 * will check anyway and the two cannot drift apart.
 */

/**
 * A slash command's input, flattened: the subcommand group (only when there is
 * one), the subcommand and its option values (a user or channel option gives the id).
 */
export interface CommandInput {
  group?: string;
  subcommand: string | null;
  values: Record<string, string | number | boolean | undefined>;
}

const field = (form: Form, name: string) => form.fields.find((f) => f.name === name);
const maxOf = (form: Form, name: string): number => field(form, name)?.maxLength ?? 6000;
const choicesOf = (form: Form, name: string) => (field(form, name)?.options ?? []).map((o) => ({ name: o.label, value: Number(o.value) }));

function summary(name: string): string {
  const text = coreCommands.find((c) => c.name === name)?.summary ?? name;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return sentence.length <= 100 ? sentence : `${sentence.slice(0, 99)}…`;
}

/** The prompt themes `/network-admin prompts add` takes (the core's `PromptTheme`). */
export const PROMPT_THEMES = ['reconnect', 'share', 'offer', 'groups', 'etiquette', 'practice'] as const satisfies readonly PromptTheme[];
// Fails to compile when the core gains a theme this list lacks.
const allThemes: Exclude<PromptTheme, (typeof PROMPT_THEMES)[number]> extends never ? true : never = true;
void allThemes;

/**
 * Bounds of the numeric setup and meetup options: the core's own limits
 * (`setupSchema`, `meetupSchema` in src/commands/network-admin.ts), repeated
 * here because Discord wants them as numbers; a unit test checks that the
 * core accepts each bound and refuses one past it.
 */
export const ADMIN_BOUNDS = {
  rematch_weeks: [0, 104],
  max_asks: [1, 20],
  response_hours: [1, 336],
  length: [15, 240],
} as const satisfies Record<string, readonly [number, number]>;

const CADENCES = setupSchema.shape.cadence.unwrap().options;
const GROUP_SIZES = [2, 3] as const;
const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/**
 * `/network-admin`, for moderators. Discord hides it from members without
 * Manage Server unless a server admin allows it for others (Server Settings →
 * Integrations), and the core refuses every subcommand to non-moderators
 * whatever Discord shows. `setup` and `meetup` take their values as options:
 * their core forms have more fields than a Discord modal can hold.
 */
export function buildAdminCommand(): SlashCommandSubcommandsOnlyBuilder {
  const [minWeeks, maxWeeks] = ADMIN_BOUNDS.rematch_weeks;
  const [minAsks, maxAsks] = ADMIN_BOUNDS.max_asks;
  const [minHours, maxHours] = ADMIN_BOUNDS.response_hours;
  const [minLength, maxLength] = ADMIN_BOUNDS.length;
  return new SlashCommandBuilder()
    .setName(networkAdmin.name)
    .setDescription('Moderators: setup, prompts, rounds, meetups, stats, removals, reports and opportunities')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('setup')
        .setDescription('Change community settings; without options, shows the current ones')
        .addChannelOption((o) => o.setName('prompt_channel').setDescription('Where weekly prompts, digests and round news go').addChannelTypes(...TEXT_CHANNELS))
        .addStringOption((o) => o.setName('prompt_day').setDescription('The day prompts are posted').addChoices(...WEEKDAYS.map((d) => ({ name: d, value: d }))))
        .addStringOption((o) => o.setName('prompt_time').setDescription('The time prompts are posted, 24-hour HH:MM, e.g. 09:00').setMinLength(5).setMaxLength(5))
        .addStringOption((o) => o.setName('time_zone').setDescription('The community time zone, e.g. Europe/London').setMaxLength(60))
        .addStringOption((o) => o.setName('cadence').setDescription('How often pairing rounds run').addChoices(...CADENCES.map((c) => ({ name: c, value: c }))))
        .addIntegerOption((o) => o.setName('group_size').setDescription('People per pairing-round group').addChoices(...GROUP_SIZES.map((n) => ({ name: String(n), value: n }))))
        .addIntegerOption((o) => o.setName('rematch_weeks').setDescription('Weeks before two members can be paired again').setMinValue(minWeeks).setMaxValue(maxWeeks))
        .addIntegerOption((o) => o.setName('max_asks').setDescription('Maximum open intro requests per member').setMinValue(minAsks).setMaxValue(maxAsks))
        .addIntegerOption((o) => o.setName('response_hours').setDescription('Hours a helper has to answer an invitation').setMinValue(minHours).setMaxValue(maxHours))
        .addChannelOption((o) => o.setName('intro_channel').setDescription('Text channel whose private threads hold introductions').addChannelTypes(ChannelType.GuildText)),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('prompts')
        .setDescription('Weekly prompts')
        .addSubcommand((s) => s.setName('list').setDescription('Every prompt, with its key and theme'))
        .addSubcommand((s) => s.setName('preview').setDescription('The prompt that goes out next'))
        .addSubcommand((s) =>
          s
            .setName('add')
            .setDescription('Add a prompt of your own')
            .addStringOption((o) => o.setName('theme').setDescription('What kind of prompt it is').setRequired(true).addChoices(...PROMPT_THEMES.map((t) => ({ name: t, value: t }))))
            .addStringOption((o) => o.setName('text').setDescription('The prompt, as members will read it').setRequired(true).setMinLength(10).setMaxLength(600)),
        )
        .addSubcommand((s) =>
          s
            .setName('disable')
            .setDescription('Stop sending a prompt')
            .addStringOption((o) => o.setName('key').setDescription('The prompt key, as prompts list shows it').setRequired(true).setMaxLength(60)),
        )
        .addSubcommand((s) =>
          s
            .setName('enable')
            .setDescription('Send a disabled prompt again')
            .addStringOption((o) => o.setName('key').setDescription('The prompt key, as prompts list shows it').setRequired(true).setMaxLength(60)),
        ),
    )
    .addSubcommand((s) => s.setName('round').setDescription('Run a pairing round now for the members who opted in'))
    .addSubcommand((s) =>
      s
        .setName('meetup')
        .setDescription('Announce a virtual meetup with Going / Not going buttons and breakout groups')
        .addStringOption((o) => o.setName('title').setDescription('What it is called').setRequired(true).setMinLength(3).setMaxLength(100))
        .addStringOption((o) => o.setName('start').setDescription('Local start, YYYY-MM-DD HH:MM, e.g. 2026-04-14 18:00').setRequired(true).setMinLength(16).setMaxLength(16))
        .addStringOption((o) => o.setName('tz').setDescription('Time zone of the start (default: the community time zone)').setMaxLength(60))
        .addIntegerOption((o) => o.setName('length').setDescription('Length in minutes (default 60)').setMinValue(minLength).setMaxValue(maxLength))
        .addIntegerOption((o) => o.setName('size').setDescription('People per breakout group (default 3)').addChoices(...MEETUP_SIZES.map((n) => ({ name: n, value: Number(n) }))))
        .addStringOption((o) => o.setName('link').setDescription('Video link, https://…').setMaxLength(300)),
    )
    .addSubcommand((s) => s.setName('stats').setDescription('Community numbers and a 12-week chart, privately'))
    .addSubcommand((s) => s.setName('export').setDescription('The stats as a CSV file, privately'))
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('No more matches for a member; pending ones are cancelled kindly')
        .addUserOption((o) => o.setName('member').setDescription('The member to remove').setRequired(true)),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('reports')
        .setDescription('Reports members made')
        .addSubcommand((s) => s.setName('list').setDescription('Open reports'))
        .addSubcommand((s) =>
          s
            .setName('resolve')
            .setDescription('Resolve a report')
            .addIntegerOption((o) => o.setName('number').setDescription('The report number, as reports list shows it').setRequired(true).setMinValue(1))
            .addStringOption((o) => o.setName('note').setDescription('What was done (kept with the report)').setMaxLength(500)),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('opportunity')
        .setDescription('Post a volunteer or committee opening in a professional organisation')
        .addStringOption((o) => o.setName('org').setDescription('The organisation, e.g. ALA').setRequired(true).setMinLength(2).setMaxLength(100))
        .addStringOption((o) => o.setName('title').setDescription('The opening, e.g. Membership committee volunteer').setRequired(true).setMinLength(5).setMaxLength(300))
        .addStringOption((o) => o.setName('link').setDescription('Where to read more, https://…').setMaxLength(300)),
    );
}

/** Builds every command: the member commands and `/network-admin`. */
export function buildCommands(): SlashCommandSubcommandsOnlyBuilder[] {
  const offer = offerForm();
  const intro = introForm();
  const offerHelpCmd = new SlashCommandBuilder()
    .setName(offerHelp.name)
    .setDescription(summary(offerHelp.name))
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Offer help on a topic (opens a form for the details when you leave them out)')
        .addStringOption((o) => o.setName('topic').setDescription('What you can help with, e.g. cataloging').setMaxLength(maxOf(offer, 'topic')).setAutocomplete(true))
        .addStringOption((o) => o.setName('details').setDescription('How you can help, in a sentence or two').setMaxLength(maxOf(offer, 'details')))
        .addIntegerOption((o) => o.setName('capacity').setDescription('How many conversations a month').addChoices(...choicesOf(offer, 'capacity'))),
    )
    .addSubcommand((s) => s.setName('list').setDescription('Your active offers'))
    .addSubcommand((s) =>
      s
        .setName('withdraw')
        .setDescription('Withdraw one of your offers')
        .addIntegerOption((o) => o.setName('number').setDescription('The offer number, as /offer-help list shows it').setRequired(true).setMinValue(1)),
    );

  const introCmd = new SlashCommandBuilder()
    .setName(introRequest.name)
    .setDescription(summary(introRequest.name))
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('ask')
        .setDescription('Ask for an informational interview (opens a form for your questions when you leave them out)')
        .addStringOption((o) => o.setName('topic').setDescription('What it is about, e.g. archives').setMaxLength(maxOf(intro, 'topic')).setAutocomplete(true))
        .addStringOption((o) => o.setName('questions').setDescription('The questions you will ask, each ending with ?').setMaxLength(maxOf(intro, 'questions')))
        .addIntegerOption((o) => o.setName('length').setDescription('How long, in minutes').addChoices(...choicesOf(intro, 'length')))
        .addUserOption((o) => o.setName('member').setDescription('Someone in particular (optional)')),
    )
    .addSubcommand((s) => s.setName('list').setDescription('Your open intro requests'))
    .addSubcommand((s) =>
      s
        .setName('cancel')
        .setDescription('Cancel one of your requests')
        .addIntegerOption((o) => o.setName('number').setDescription('The request number, as /intro-request list shows it').setRequired(true).setMinValue(1)),
    );

  const practiceCmd = new SlashCommandBuilder()
    .setName(interviewPractice.name)
    .setDescription(summary(interviewPractice.name))
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('join')
        .setDescription('Join the pool for a reciprocal mock interview')
        .addStringOption((o) =>
          o
            .setName('role')
            .setDescription('The kind of role you are interviewing for')
            .setRequired(true)
            .addChoices(...ROLE_FOCUSES.map((r) => ({ name: ROLE_LABELS[r], value: r }))),
        )
        .addStringOption((o) => o.setName('level').setDescription('Your career stage').addChoices(...CAREER_STAGES.map((s2) => ({ name: s2, value: s2 }))))
        .addStringOption((o) => o.setName('availability').setDescription('When you are free, e.g. weekday-evenings weekends').setMaxLength(200).setAutocomplete(true)),
    )
    .addSubcommand((s) => s.setName('leave').setDescription('Leave the practice pool'));

  const networkCmd = new SlashCommandBuilder()
    .setName('network')
    .setDescription(summary('network'))
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('profile')
        .setDescription('View your profile, or change the fields you give')
        .addBooleanOption((o) => o.setName('edit').setDescription('Open the profile form'))
        .addStringOption((o) => o.setName('stage').setDescription('Your career stage').addChoices(...CAREER_STAGES.map((s2) => ({ name: s2, value: s2 }))))
        .addStringOption((o) => o.setName('tz').setDescription('Your time zone, e.g. Europe/London').setMaxLength(60))
        .addStringOption((o) => o.setName('areas').setDescription('Areas of work, comma separated').setMaxLength(300))
        .addStringOption((o) => o.setName('orgs').setDescription('Organisations, comma separated').setMaxLength(300))
        .addStringOption((o) => o.setName('bio').setDescription('A sentence about you').setMaxLength(500))
        .addStringOption((o) => o.setName('availability').setDescription('When you are free, e.g. weekday-evenings weekends').setMaxLength(200).setAutocomplete(true)),
    )
    .addSubcommand((s) =>
      s
        .setName('pause')
        .setDescription('Pause introductions and pairings for a while')
        .addStringOption((o) => o.setName('duration').setDescription('How long, e.g. 2w or 10d (default 4 weeks)').setMaxLength(20)),
    )
    .addSubcommand((s) => s.setName('resume').setDescription('Resume after a pause'))
    .addSubcommand((s) => s.setName('matches').setDescription('Who you have been introduced to'))
    .addSubcommand((s) =>
      s
        .setName('rounds')
        .setDescription('Join or leave the pairing rounds')
        .addStringOption((o) => o.setName('state').setDescription('on to join, off to leave').setRequired(true).addChoices({ name: 'on', value: 'on' }, { name: 'off', value: 'off' })),
    )
    .addSubcommand((s) => s.setName('reconnect').setDescription('People you have not talked to in a while'))
    .addSubcommand((s) => s.setName('orgs').setDescription('Professional groups among your connections, and open volunteer roles'))
    .addSubcommand((s) =>
      s
        .setName('block')
        .setDescription('Never be matched with a member again; they are not told')
        .addUserOption((o) => o.setName('member').setDescription('The member to block').setRequired(true)),
    )
    .addSubcommand((s) =>
      s
        .setName('report')
        .setDescription('Tell the moderators privately about a member')
        .addUserOption((o) => o.setName('member').setDescription('The member you are reporting').setRequired(true))
        .addStringOption((o) => o.setName('reason').setDescription('What happened').setRequired(true).setMinLength(5).setMaxLength(1000)),
    )
    .addSubcommand((s) => s.setName('export-my-data').setDescription('Everything stored about you, as a JSON file sent privately'))
    .addSubcommand((s) => s.setName('delete-my-data').setDescription('Delete your personal data (asks you to confirm first)'))
    .addSubcommand((s) => s.setName('help').setDescription('How Circulate works'));

  return [offerHelpCmd, introCmd, practiceCmd, networkCmd, buildAdminCommand()];
}

/** The JSON `PUT /applications/{id}/commands` takes; the builders have checked names, lengths and limits. */
export function commandPayloads(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return buildCommands().map((c) => c.toJSON());
}

/** Flattens discord.js's option tree (group → subcommand → options) into a {@link CommandInput}. */
export function commandInput(options: readonly CommandInteractionOption[]): CommandInput {
  const group = options.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup);
  const level = group ? (group.options ?? []) : options;
  const sub = level.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  const leaves = sub ? (sub.options ?? []) : level;
  const values: CommandInput['values'] = {};
  for (const o of leaves) values[o.name] = o.value;
  return { ...(group ? { group: group.name } : {}), subcommand: sub?.name ?? null, values };
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** `/offer-help add|list|withdraw` → "topic: details, N/month" | "list" | "withdraw N"; "" opens the form. */
export function offerHelpText({ subcommand, values }: CommandInput): string {
  switch (subcommand) {
    case 'list':
      return 'list';
    case 'withdraw':
      return `withdraw ${str(values.number)}`.trim();
    default: {
      const topic = str(values.topic);
      const details = str(values.details);
      if (!topic || !details) return '';
      const capacity = str(values.capacity);
      return `${topic}: ${details}${capacity ? `, ${capacity}/month` : ''}`;
    }
  }
}

/** `/intro-request ask|list|cancel` → "[<@id>] topic: questions [N min]" | "list" | "cancel N"; "" opens the form. */
export function introRequestText({ subcommand, values }: CommandInput): string {
  switch (subcommand) {
    case 'list':
      return 'list';
    case 'cancel':
      return `cancel ${str(values.number)}`.trim();
    default: {
      const topic = str(values.topic);
      const questions = str(values.questions);
      if (!topic || !questions) return '';
      const member = str(values.member);
      const length = str(values.length);
      return `${member ? `<@${member}> ` : ''}${topic}: ${questions}${length ? ` ${length} min` : ''}`;
    }
  }
}

/** `/interview-practice join|leave` → "role [level] [availability…]" | "leave". */
export function interviewPracticeText({ subcommand, values }: CommandInput): string {
  if (subcommand === 'leave') return 'leave';
  return [str(values.role), str(values.level), str(values.availability)].filter(Boolean).join(' ');
}

const PROFILE_KEYS = ['stage', 'tz', 'areas', 'orgs', 'bio', 'availability'] as const;

/** Quotes a value for the core's `key="value"` grammar. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A user option as the core's member reference, `<@id>`; "" when absent. */
function memberRef(value: unknown): string {
  const id = str(value);
  return id ? `<@${id}>` : '';
}

/** `/network profile|pause|resume|matches|rounds|reconnect|orgs|block|report|export-my-data|delete-my-data|help` → the core's `/network` text. */
export function networkText({ subcommand, values }: CommandInput): string {
  switch (subcommand) {
    case 'profile': {
      if (values.edit === true) return 'profile edit';
      const pairs = PROFILE_KEYS.filter((k) => typeof values[k] === 'string').map((k) => `${k}=${quote(String(values[k]).trim())}`);
      return ['profile', ...pairs].join(' ');
    }
    case 'pause':
      return `pause ${str(values.duration)}`.trim();
    case 'rounds':
      return `rounds ${str(values.state)}`.trim();
    case 'block':
      return ['block', memberRef(values.member)].filter(Boolean).join(' ');
    case 'report':
      return ['report', memberRef(values.member), str(values.reason)].filter(Boolean).join(' ');
    case null:
      return 'help';
    default:
      return subcommand;
  }
}

/** Setup options in the order the core's form lists them; each is a `key=value` of `/network-admin setup`. */
export const SETUP_KEYS = Object.keys(setupSchema.shape) as (keyof typeof setupSchema.shape)[];
const MEETUP_KEYS = ['title', 'start', 'tz', 'length', 'size', 'link'] as const;

/** `key="value"` pairs for the keys given, in order; empty values are left out. */
function keyValues(values: CommandInput['values'], keys: readonly string[]): string[] {
  return keys.filter((k) => str(values[k]) !== '').map((k) => `${k}=${quote(str(values[k]))}`);
}

/**
 * `/network-admin …` → the core's `network-admin` text:
 * `setup [key="value" …]`, `prompts list|preview|add theme: text|disable KEY|enable KEY`,
 * `round`, `meetup title="…" start="…" […]`, `stats`, `export`, `remove <@id>`,
 * `reports [resolve N [note]]`, `opportunity Org: title [link]`.
 * `setup` or `meetup` without values asks the core for its form, which the
 * adapter answers with the options to use (too many fields for a modal).
 */
export function networkAdminText({ group, subcommand, values }: CommandInput): string {
  if (group === 'prompts') {
    switch (subcommand) {
      case 'add':
        return `prompts add ${str(values.theme)}: ${str(values.text)}`;
      case 'disable':
      case 'enable':
        return `prompts ${subcommand} ${str(values.key)}`.trim();
      case 'preview':
        return 'prompts preview';
      default:
        return 'prompts list';
    }
  }
  if (group === 'reports') {
    if (subcommand !== 'resolve') return 'reports';
    return ['reports resolve', str(values.number), str(values.note)].filter(Boolean).join(' ');
  }
  switch (subcommand) {
    case 'setup':
      return ['setup', ...keyValues(values, SETUP_KEYS)].join(' ');
    case 'meetup':
      return ['meetup', ...keyValues(values, MEETUP_KEYS)].join(' ');
    case 'remove':
      return ['remove', memberRef(values.member)].filter(Boolean).join(' ');
    case 'opportunity': {
      // The core reads the organisation up to the first colon, so one inside the name becomes a dash.
      const org = str(values.org).replace(/\s*:\s*/g, ' - ');
      const link = str(values.link);
      return `opportunity ${org}: ${str(values.title)}${link ? ` ${link}` : ''}`;
    }
    case null:
      return '';
    default:
      return subcommand;
  }
}

/** The text translation for each command the adapter registers. */
export const TRANSLATORS: Readonly<Record<string, (input: CommandInput) => string>> = {
  [offerHelp.name]: offerHelpText,
  [introRequest.name]: introRequestText,
  [interviewPractice.name]: interviewPracticeText,
  network: networkText,
  [networkAdmin.name]: networkAdminText,
};

/**
 * Values the member already gave as options, to prefill the form the core
 * opens when the long text is missing. `memberName` is the display name of
 * the user option, which the intro form looks members up by.
 */
export function formPrefill(input: CommandInput, memberName?: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(input.values)) {
    if (key === 'member') continue;
    const text = str(value);
    if (text) out[key] = text;
  }
  if (memberName) out.member = memberName;
  return out;
}
