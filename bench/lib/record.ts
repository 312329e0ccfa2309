import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

/**
 * Replaces this benchmark's block (`<!-- name:start -->` … `<!-- name:end -->`) in
 * bench/README.md, or appends it, leaving every other benchmark's block alone.
 */
export function recordSection(name: string, content: string): void {
  const text = readFileSync(README, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${content.trim()}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(README, next);
}
