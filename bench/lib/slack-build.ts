import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Compiles the Slack bench, and through its imports the adapter, the core and
 * the fake Web API, to plain JavaScript with `tsc` (no bundling, no
 * minification: one .js file per .ts file, same code), so the bot can run on
 * plain `node` without tsx's loader thread and its in-memory transform cache.
 * The output lives in `node_modules/.cache/circulate-slack-bench/` (gitignored).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = fileURLToPath(new URL('./slack-build.tsconfig.json', import.meta.url));

/** Where the compiled tree is written; it mirrors the repository's layout. */
export const SLACK_BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'circulate-slack-bench');

/**
 * Builds (incrementally) and returns the path of the compiled child entry, `bench/lib/slack-child.js`.
 *
 * Two layout fixes keep the core's unchanged code working from JavaScript:
 * a `package.json` with `"type": "module"` (the tree sits under node_modules,
 * where the repository's own package.json does not apply), and, for each
 * compiled migration `X.js`, a symlink `X.ts → X.js`, because the core's
 * migration loader lists `migrations/*.ts` only. Node resolves the symlink to
 * the real `.js` file, so the compiled migration is what runs, under the same
 * name the tsx build records in the migrations table.
 */
export function buildSlackBench(): string {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', CONFIG], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(join(SLACK_BUILD_DIR, 'package.json'), '{ "type": "module" }\n');
  const migrations = join(SLACK_BUILD_DIR, 'migrations');
  for (const file of readdirSync(migrations)) {
    if (!file.endsWith('.js')) continue;
    const link = join(migrations, file.replace(/\.js$/, '.ts'));
    if (!existsSync(link)) symlinkSync(file, link);
  }
  return join(SLACK_BUILD_DIR, 'bench', 'lib', 'slack-child.js');
}
