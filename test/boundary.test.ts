import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The core must stay platform-neutral: nothing under src/ may reach an adapter or a platform SDK. */
const ROOT = join(import.meta.dirname, '..');
const FORBIDDEN = [/from\s+['"][^'"]*\/adapters\//, /from\s+['"]@slack\//, /from\s+['"]discord\.js['"]/, /import\(\s*['"][^'"]*(adapters\/|@slack\/|discord\.js)/, /require\(\s*['"][^'"]*(adapters\/|@slack\/|discord\.js)/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Files under src/ that import something they must not; the entry point lives in bin/, so there is no exception. */
export function boundaryViolations(root: string): string[] {
  return sourceFiles(join(root, 'src'))
    .flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter((re) => re.test(text)).map(() => relative(root, file));
    });
}

describe('architecture boundary', () => {
  it('src/ never imports adapters/, @slack/* or discord.js', () => {
    expect(boundaryViolations(ROOT)).toEqual([]);
  });

  it('detects a violation when one exists', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'boundary-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'bad.ts'), "import { App } from '@slack/bolt';\n");
    writeFileSync(join(dir, 'src', 'good.ts'), "import { z } from 'zod';\n");
    expect(boundaryViolations(dir)).toEqual([join('src', 'bad.ts')]);
    rmSync(dir, { recursive: true, force: true });
  });
});
