import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Compiles the matching benchmark's child (bench/lib/matching-child.ts) and, through its
 * imports, the engine in src/matching/ and the community generator, to plain JavaScript
 * with `tsc` — one .js per .ts, no bundling or minifying — so the timed run executes the
 * same kind of code `npm start` runs (tsc output on plain node), not tsx's transform.
 * The matching thread's entry (src/matching/worker.mjs → worker.js) is compiled beside it.
 * Output: bench/out/ (gitignored), mirroring the repository layout. The tsconfig is
 * generated there too, extending the repository's own.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MATCHING_BUILD_DIR = join(ROOT, 'bench', 'out');

/** Builds (incrementally) and returns the path of the compiled child entry. */
export function buildMatchingBench(): string {
  mkdirSync(MATCHING_BUILD_DIR, { recursive: true });
  const config = join(MATCHING_BUILD_DIR, 'tsconfig.json');
  writeFileSync(
    config,
    `${JSON.stringify(
      {
        extends: '../../tsconfig.json',
        compilerOptions: {
          noEmit: false,
          rewriteRelativeImportExtensions: true,
          rootDir: '../..',
          outDir: '.',
          sourceMap: false,
          declaration: false,
          incremental: true,
          tsBuildInfoFile: './.tsbuildinfo',
          allowJs: true,
          checkJs: false,
        },
        include: [],
        // The matching thread's entry is loaded by URL, not imported, so it is named here.
        files: ['../lib/matching-child.ts', '../lib/edmonds-blossom-fixed.d.ts', '../../src/matching/worker.mjs', '../../src/matching/worker.ts'],
      },
      null,
      2,
    )}\n`,
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', config], { cwd: ROOT, stdio: 'inherit' });
  return join(MATCHING_BUILD_DIR, 'bench', 'lib', 'matching-child.js');
}
