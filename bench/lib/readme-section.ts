import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Records benchmark runs in `bench/README.md` without touching anything
 * outside one marked block, so several benchmarks can share the file.
 */

/**
 * Puts `run` first in the block between `<!-- {name}:start -->` and
 * `<!-- {name}:end -->`, keeping at most `keep` runs (each starts with a `### ` heading).
 * Throws when the markers are missing rather than writing somewhere else.
 */
export function recordRun(file: string, name: string, run: string, keep = 3): void {
  const text = readFileSync(file, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers ${start} … ${end} not found`);
  const inner = text.slice(from + start.length, to);
  const previous = inner.split(/^(?=### )/m).filter((part) => part.startsWith('### '));
  const runs = [run.trim(), ...previous.map((p) => p.trim())].slice(0, keep);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${runs.join('\n\n')}\n${text.slice(to)}`);
}
