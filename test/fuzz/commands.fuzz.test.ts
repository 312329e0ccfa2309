import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage as renderDiscord } from '../../adapters/discord/render.ts';
import { renderMessage as renderSlack } from '../../adapters/slack/render.ts';
import { parsePracticeWords } from '../../src/commands/interview-practice.ts';
import { parseIntroText, introSchema } from '../../src/commands/intro-request.ts';
import { parseOfferText, offerSchema } from '../../src/commands/offer-help.ts';
import { commandTextTooLong, firstWord, hasMentionSyntax, memberText, numberSuffix, parseKeyValues } from '../../src/commands/text.ts';
import type { Actor, Reply } from '../../src/core.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { UserError } from '../../src/errors.ts';
import { plainText } from '../../src/messages/build.ts';
import { harness, type Harness } from '../support/harness.ts';

/**
 * Fuzzing the command parser (issue 12): arbitrary unicode, long and adversarial text for every
 * command and subcommand. Properties: nothing throws out of the core, no unhandled rejection,
 * every answer is private (a reply to the actor, nothing posted to a channel) and says something,
 * and no answer can ping a group once rendered for Slack or Discord.
 *
 * FUZZ_RUNS sets the number of cases (default 500 in `npm test`; `npm run fuzz` runs 100,000).
 * The pure parsers and the full core (a database transaction per case) take that many each;
 * FUZZ_CORE_RUNS overrides the core's share. 100,000 through the core take about a minute.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const CORE_RUNS = Number(process.env.FUZZ_CORE_RUNS ?? RUNS);

const PIECES = [
  '@everyone', '@here', '@channel', '<!channel>', '<!here>', '<!everyone>', '<!subteam^S1|@team>', '<@U0ALICE01>', '<@&123456>', '<#C0123>', '<@!42>',
  'alice@here.org', ':', '?', '20 min', '(30 minutes).', '2/month', '3 per month', ',', ';', '(', ')', '"', '=', 'tz=', 'stage=', 'bio="', '\\', '*bold*', '_it_', '~s~', '`code`',
  '\u0000', '\u0007', '\u202E', '\u200B', '\r\n', '\n', '\t', ' ', 'é', '😀', '\uD800', '🏳️‍🌈', 'A'.repeat(90), 'x'.repeat(1100), ','.repeat(4100), ' '.repeat(300),
  'withdraw', 'cancel', 'list', 'leave', 'profile', 'edit', 'pause', '2w', 'resume', 'block', 'report', 'matches', 'rounds', 'on', 'off', 'help', '#1', '99999999999999999999',
  'archives', 'academic', 'early', 'weekends', 'setup', 'prompts', 'add', 'share', 'meetup', 'opportunity', 'https://example.org/a?b=<c>', 'javascript:alert(1)', 'resolve', '-1', '1e9', 'NaN',
];

const adversarial = fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom('', ' ', ': ')), { maxLength: 12 }).map((parts) => parts.map(([piece, gap]) => piece + gap).join(''));
const text = fc.oneof(
  { weight: 3, arbitrary: adversarial },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(',', ' ', '(', '1', 'a', '@', '<'), fc.integer({ min: 3900, max: 4200 })).map(([head, c, n]) => head + c.repeat(n)) },
);

const SUBCOMMANDS: Record<string, string[]> = {
  'offer-help': ['', 'list', 'withdraw ', 'cataloging: '],
  'intro-request': ['', 'list', 'cancel ', '@Bob ', 'archives: '],
  'interview-practice': ['', 'leave', 'academic ', 'reference early '],
  network: ['', 'help', 'profile', 'profile edit', 'profile ', 'pause ', 'resume', 'matches', 'rounds on', 'rounds off', 'reconnect', 'orgs', 'block ', 'report ', 'export-my-data', 'delete-my-data'],
  'network-admin': ['', 'setup ', 'prompts list', 'prompts preview', 'prompts add ', 'prompts disable ', 'meetup ', 'reports', 'reports resolve ', 'remove ', 'opportunity ', 'stats', 'export'],
};
const invocation = fc.constantFrom(...Object.keys(SUBCOMMANDS)).chain((name) => fc.record({ name: fc.constant(name), prefix: fc.constantFrom(...SUBCOMMANDS[name]!), rest: text }));

/** What Slack or Discord would turn into a group ping, after rendering. */
function groupPings(reply: Reply): string[] {
  const found: string[] = [];
  for (const msg of [reply.reply, reply.update]) {
    if (!msg) continue;
    const slack = renderSlack(msg);
    const slackText = [slack.text, JSON.stringify(slack.blocks)].join('\n');
    found.push(...(slackText.match(/<![^>]*>|<@[A-Z0-9&!]+[^>]*>|<#[^>]*>/g) ?? []));
    for (const content of renderDiscord(msg).contents) found.push(...(content.match(/@(everyone|here)|<@[!&]?\d+>/g) ?? []));
  }
  return found;
}

describe('fuzzing the pure parsers', () => {
  it(`never throws anything but a member-facing UserError (${RUNS} cases)`, () => {
    const schemaOfOffer = offerSchema;
    const schemaOfIntro = introSchema;
    const field = memberText('The details', { min: 10, max: 1000, multiline: true });
    fc.assert(
      fc.property(text, (raw) => {
        const guard = (f: () => unknown) => {
          try {
            f();
          } catch (error) {
            expect(error).toBeInstanceOf(UserError);
            expect((error as UserError).message.length).toBeGreaterThan(0);
          }
        };
        if (commandTextTooLong(raw)) return;
        guard(() => schemaOfOffer.safeParse(parseOfferText(raw)));
        guard(() => schemaOfIntro.safeParse(parseIntroText(raw)));
        guard(() => parsePracticeWords(raw.split(/\s+/).filter(Boolean)));
        const parsed = field.safeParse(raw);
        if (parsed.success) expect(hasMentionSyntax(parsed.data)).toBe(false);
        else expect(parsed.error.issues.every((i) => i.message.length > 0)).toBe(true);
        parseKeyValues(raw);
        firstWord(raw);
        numberSuffix(raw, ['m', 'min', 'mins', 'minutes']);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzzing commands through the core', () => {
  let h: Harness;
  let close: () => Promise<void>;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    const database = openDatabase(':memory:');
    await migrateToLatest(database.db);
    h = await harness(database);
    close = async () => {
      await h.close();
      await database.close();
    };
    // Someone to name, so @Bob and block/report paths reach the parser.
    await h.member('Bob').command('offer-help', 'archives: moving from public libraries into archives');
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await close();
  });

  it(`answers every command privately and clearly, and never pings a group (${CORE_RUNS} cases)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(invocation, fc.boolean(), async ({ name, prefix, rest }, moderator) => {
        n++;
        const actor: Actor = {
          platform: 'console',
          communityPlatformId: 'fuzz',
          communityName: 'Fuzz',
          user: { platformUserId: `fuzzer${n % 7}`, displayName: `Fuzzer ${n % 7}` },
          isModerator: moderator,
        };
        const channelPostsBefore = h.port.deliveries.filter((d) => d.kind === 'channel').length;
        const reply = await h.app.core.command(actor, name, prefix + rest);
        await h.app.core.flush();
        // Private and clear: an answer (or a form) for the actor alone, with words in it.
        expect(reply.reply ?? reply.form).toBeDefined();
        if (reply.reply) expect(plainText(reply.reply).trim().length).toBeGreaterThan(0);
        if (reply.reply) expect(plainText(reply.reply)).not.toMatch(/Something went wrong|undefined|\[object Object\]/);
        // Nothing lands in a channel unless a moderator asked for a channel post.
        if (!moderator) expect(h.port.deliveries.filter((d) => d.kind === 'channel').length).toBe(channelPostsBefore);
        expect(groupPings(reply)).toEqual([]);
        // Over-long text is refused at the edge, before any parsing.
        if ((prefix + rest).length > 4000) expect(plainText(reply.reply!)).toMatch(/too long for one command/);
      }),
      { numRuns: CORE_RUNS },
    );
    expect(rejections).toEqual([]);
  }, 3_600_000);

  it(`takes ordinary text as ordinary: e-mail addresses and the word everyone are not mention syntax (${Math.ceil(CORE_RUNS / 4)} cases)`, async () => {
    const word = fc.constantFrom('everyone', 'here', 'channel', 'library', 'MARC', 'RDA', 'write', 'to', 'at', 'and', 'é', '😀', '2026', 'a.b', 'x-y');
    const email = fc.tuple(fc.constantFrom('alice', 'bob.smith', 'x_y', 'ann+lib'), fc.constantFrom('here', 'everyone', 'channel', 'example'), fc.constantFrom('org', 'ac.uk', 'net')).map(([u, d, t]) => `${u}@${d}.${t}`);
    const details = fc.array(fc.oneof(word, email), { minLength: 4, maxLength: 20 }).map((ws) => ws.join(' '));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(details, async (d) => {
        n++;
        const actor: Actor = { platform: 'console', communityPlatformId: 'fuzz-ordinary', communityName: 'Fuzz', user: { platformUserId: `plain${n % 5}`, displayName: `Plain ${n % 5}` } };
        const reply = await h.app.core.command(actor, 'offer-help', `cataloging: ${d}`);
        await h.app.core.flush();
        expect(plainText(reply.reply!)).not.toMatch(/mention syntax/i);
        expect(groupPings(reply)).toEqual([]);
      }),
      { numRuns: Math.ceil(CORE_RUNS / 4) },
    );
  }, 3_600_000);
});
