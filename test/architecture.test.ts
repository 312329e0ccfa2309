import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import rules of docs/ARCHITECTURE.md are eslint rules (eslint.config.js,
 * eslint-plugin-boundaries), so `npm run lint` fails on a violation. These
 * tests run the real config through ESLint's Node API on synthetic files: each
 * forbidden import must be reported, each allowed one must not, and the tree
 * as it is must be clean. A rule that stopped matching (a renamed folder, a
 * typo in a pattern) fails here instead of silently allowing everything.
 */
const ROOT = join(import.meta.dirname, '..');
const RULE = 'boundaries/dependencies';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId === RULE || ruleId === 'no-restricted-syntax' });
});

/** The messages the boundary rules report for `code` as if it were the file at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const forbidden: [string, string, string, RegExp][] = [
  ['src/ -> adapters/', 'src/probe.ts', "import { runConsole } from '../adapters/console/index.ts';\nexport const x = runConsole;\n", /src\/ never imports adapters\//],
  ['src/ -> adapters/ (dynamic import)', 'src/probe.ts', "export const load = () => import('../adapters/http/server.ts');\n", /src\/ never imports adapters\//],
  ['src/ -> bin/', 'src/outbox/probe.ts', "import '../../bin/circulate.ts';\n", /src\/ never imports adapters\/ or bin\//],
  ['src/ -> @slack/bolt', 'src/probe.ts', "import { App } from '@slack/bolt';\nexport const x = App;\n", /platform SDK/],
  ['src/ -> discord.js', 'src/flows/probe.ts', "import { Client } from 'discord.js';\nexport const x = Client;\n", /platform SDK/],
  ['adapters/ -> src/db', 'adapters/slack/probe.ts', "import { getMember } from '../../src/db/members.ts';\nexport const x = getMember;\n", /only through its public API/],
  ['adapters/ -> src/commands', 'adapters/discord/probe.ts', "import { commands } from '../../src/commands/registry.ts';\nexport const x = commands;\n", /only through its public API/],
  ['adapters/ -> src/core.ts (type only)', 'adapters/console/probe.ts', "import type { Core } from '../../src/core.ts';\nexport type X = Core;\n", /only through its public API/],
  ['adapters/ -> core.db', 'adapters/discord/probe.ts', "import type { App } from '../../src/index.ts';\nexport const rows = (app: App) => app.core.db.selectFrom('members');\n", /never use core\.db/],
  ['bin/ -> src/app.ts', 'bin/probe.ts', "import { createApp } from '../src/app.ts';\nexport const x = createApp;\n", /only through its public API/],
  ['flows -> commands', 'src/flows/probe.ts', "import type { CommandDefinition } from '../commands/types.ts';\nexport type X = CommandDefinition;\n", /src\/flows never imports src\/commands/],
  ['core -> routes', 'src/core-probe.ts', "import { routes } from './routes.ts';\nexport const x = routes;\n", /only the composition root/],
  ['flows -> routes', 'src/flows/probe.ts', "import { routes } from '../routes.ts';\nexport const x = routes;\n", /only the composition root/],
  ['matching -> db', 'src/matching/probe.ts', "import type { Database } from '../db/tables.ts';\nexport type X = Database;\n", /src\/matching never imports src\/db/],
  ['flows -> kysely sql template', 'src/flows/probe.ts', "import { sql } from 'kysely';\nexport const x = sql`select 1`;\n", /imports only types from 'kysely'/],
  ['flows -> kysely (inline value import)', 'src/flows/moderation.ts', "import { type Kysely, expressionBuilder } from 'kysely';\nexport type X = Kysely<never>;\nexport const y = expressionBuilder;\n", /imports only types from 'kysely'/],
  ['flows -> a query written inline', 'src/flows/meetups.ts', "import type { HandlerContext } from '../handler.ts';\nexport const rows = (ctx: HandlerContext) => ctx.db.selectFrom('meetups').selectAll().execute();\n", /builds no queries/],
];

const allowed: [string, string, string][] = [
  ['adapters/ -> src/index.ts', 'adapters/slack/probe.ts', "import { DeliveryError, type Core } from '../../src/index.ts';\nexport const x: [typeof DeliveryError, Core | null] = [DeliveryError, null];\n"],
  ['adapters/ -> @slack/bolt', 'adapters/slack/probe.ts', "import { App } from '@slack/bolt';\nexport const x = App;\n"],
  ['bin/ -> src/index.ts and adapters/', 'bin/probe.ts', "import { createApp } from '../src/index.ts';\nimport { runConsole } from '../adapters/console/index.ts';\nexport const x = [createApp, runConsole];\n"],
  ['commands -> flows', 'src/commands/probe.ts', "import { homeFor } from '../flows/home.ts';\nexport const x = homeFor;\n"],
  ['flows -> handler contract', 'src/flows/probe.ts', "import type { HandlerContext } from '../handler.ts';\nexport type X = HandlerContext;\n"],
  ['the composition root -> routes', 'src/app.ts', "import { routes } from './routes.ts';\nexport const x = routes;\n"],
  ['flows -> db', 'src/flows/probe.ts', "import { getMember } from '../db/members.ts';\nexport const x = getMember;\n"],
  ['flows -> kysely types', 'src/flows/probe.ts', "import type { Kysely } from 'kysely';\nimport { type Selectable } from 'kysely';\nexport type X = [Kysely<never>, Selectable<never>];\n"],
  ['db -> kysely sql template', 'src/db/probe.ts', "import { sql } from 'kysely';\nexport const x = sql`select 1`;\n"],
  ['tests reach anything', 'test/probe.test.ts', "import { getMember } from '../src/db/members.ts';\nimport { App } from '@slack/bolt';\nexport const x = [getMember, App];\n"],
];

describe('architecture: the import rules eslint enforces', () => {
  it.each(forbidden)('reports %s', { timeout: 30_000 }, async (_name, filePath, code, message) => {
    const found = await violations(filePath, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each(allowed)('allows %s', { timeout: 30_000 }, async (_name, filePath, code) => {
    expect(await violations(filePath, code)).toEqual([]);
  });

  it('finds no violation in bin/, src/ and adapters/ as they are', { timeout: 120_000 }, async () => {
    const results = await eslint.lintFiles(['bin', 'src', 'adapters']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE || m.ruleId === 'no-restricted-syntax').map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(results.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
