import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Node's globals, for the few plain-JS files; TypeScript checks names in .ts files itself. */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'performance', 'structuredClone', 'fetch'].map(
    (name) => [name, 'readonly'],
  ),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
    },
  },
  { files: ['**/*.ts'], rules: { 'no-undef': 'off' } },
  ...architecture(),
);

/**
 * The import rules of docs/ARCHITECTURE.md, enforced: the core (src/) never
 * reaches an adapter, the entry point or a platform SDK; adapters and bin/ use
 * the core only through its public API, src/index.ts; flows do not import
 * commands; matching does not import the database. Tests (test/, bench/) are
 * exempt: they may reach anything. test/boundary.test.ts checks that a
 * violation is reported. Flows (all but the few still listed) write no SQL:
 * they call the repositories in src/db.
 */
function architecture() {
  const core = ['core', 'commands', 'flows', 'matching', 'db'];
  const platformSdks = ['@slack/*', '@slack/**', 'discord.js', 'discord.js/**', '@discordjs/**'];
  const imports = {
    files: ['bin/**/*.{ts,js,mjs}', 'src/**/*.{ts,mts,js,mjs}', 'adapters/**/*.{ts,js,mjs}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        // Matched from the project root (partialMatch: false), so node_modules/discord.js/src is not the core.
        { type: 'bin', pattern: 'bin', partialMatch: false },
        { type: 'adapter', pattern: 'adapters/*', capture: ['adapter'], partialMatch: false },
        { type: 'commands', pattern: 'src/commands', partialMatch: false },
        { type: 'flows', pattern: 'src/flows', partialMatch: false },
        { type: 'matching', pattern: 'src/matching', partialMatch: false },
        { type: 'db', pattern: 'src/db', partialMatch: false },
        // The rest of src/, including its public API src/index.ts.
        { type: 'core', pattern: 'src', partialMatch: false },
      ],
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkAllOrigins: true,
          // Also check files of one element among themselves (src/core.ts -> src/routes.ts).
          checkInternals: true,
          policies: [
            {
              from: { element: { types: { anyOf: core } } },
              disallow: { to: { element: { types: { anyOf: ['adapter', 'bin'] } } } },
              message: 'src/ never imports adapters/ or bin/: the core is platform-neutral (docs/ARCHITECTURE.md)',
            },
            {
              from: { element: { types: { anyOf: core } } },
              disallow: { to: { module: { origin: 'external', source: platformSdks } } },
              message: 'src/ never imports a platform SDK (@slack/*, discord.js); only adapters/ do',
            },
            {
              from: { element: { types: { anyOf: ['adapter', 'bin'] } } },
              disallow: {
                to: [{ element: { types: { anyOf: ['commands', 'flows', 'matching', 'db'] } } }, { element: { type: 'core', fileInternalPath: '!index.ts' } }],
              },
              message: 'adapters/ and bin/ import the core only through its public API, src/index.ts',
            },
            {
              from: { element: { type: 'flows' } },
              disallow: { to: { element: { type: 'commands' } } },
              message: 'src/flows never imports src/commands: commands call flows, not the other way (shared types live in src/handler.ts)',
            },
            {
              from: { element: { type: 'matching' } },
              disallow: { to: { element: { type: 'db' } } },
              message: 'src/matching never imports src/db: the engine works on plain snapshots the flows load',
            },
            {
              from: [{ element: { types: { anyOf: ['commands', 'flows', 'matching', 'db', 'adapter', 'bin'] } } }, { element: { type: 'core', fileInternalPath: '!app.ts' } }],
              disallow: { to: { element: { type: 'core', fileInternalPath: 'routes.ts' } } },
              message: 'only the composition root (src/app.ts) imports the routing tables in src/routes.ts',
            },
          ],
        },
      ],
    },
  };
  // Imports are not the only way past the API: the core's database handle is not the adapters' to use.
  const noCoreDb = {
    files: ['adapters/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='db'][object.property.name='core']", message: 'adapters/ never use core.db: ask the core (a Core method) for what they need' },
      ],
    },
  };
  // Flows call the repositories in src/db; they do not build queries (issue 13, section 3). The flows
  // still listed in `ignores` write SQL inline and leave the list as their queries move to src/db.
  const flowsWriteNoSql = {
    files: ['src/flows/**/*.ts'],
    ignores: ['src/flows/privacy.ts', 'src/flows/intro.ts', 'src/flows/snapshot.ts', 'src/flows/checkin.ts', 'src/flows/reconnect.ts', 'src/flows/rounds.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='kysely'][importKind='value'] > :matches(ImportSpecifier[importKind='value'], ImportDefaultSpecifier, ImportNamespaceSpecifier)",
          message: "src/flows imports only types from 'kysely' (no sql template or query helpers): queries live in src/db repositories",
        },
        {
          selector: "CallExpression > MemberExpression.callee[property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]",
          message: 'src/flows builds no queries: call a repository function in src/db',
        },
      ],
    },
  };
  return [imports, noCoreDb, flowsWriteNoSql];
}
