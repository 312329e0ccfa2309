/**
 * CI step `npm run test:compiled` (run by .ci/run after `npm test`): `npm start` runs the
 * compiled build (`npm run build`, then node on dist/). This builds it and plays the demo
 * through it and through the TypeScript source; the two outputs must be identical.
 * It lives outside the vitest suite so no unit test runs the TypeScript compiler.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const ARGS = ['--seed', '42', '--start', '2026-01-05T09:00:00Z', '--database', ':memory:'];
const env = { ...process.env, LOG_FORMAT: 'json', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', DISCORD_TOKEN: '' };

/** The entry point `npm start` runs, as source and as compiled output. */
const source = 'bin/circulate.ts';
const compiled = join('dist', 'bin', 'circulate.js');

function fail(message: string): never {
  console.error(`test:compiled: ${message}`);
  process.exit(1);
}

console.log(`test:compiled: building (npm run build), then playing examples/demo.txt through ${compiled} and ${source}`);
try {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
} catch {
  fail('npm run build failed');
}
const input = readFileSync(join(ROOT, 'examples', 'demo.txt'));
const run = (args: string[]) => spawnSync(process.execPath, [...args, ...ARGS], { cwd: ROOT, input, encoding: 'utf8', env, timeout: 120_000 });
const built = run(['--max-semi-space-size=4', compiled]);
const fromSource = run(['--import', 'tsx', source]);

if (built.status !== 0) fail(`the compiled build exited with ${built.status ?? built.signal}:\n${built.stderr}`);
if (fromSource.status !== 0) fail(`the source run exited with ${fromSource.status ?? fromSource.signal}:\n${fromSource.stderr}`);
if (!built.stdout.includes('== Introduction ==')) fail('the compiled demo never reached an introduction ("== Introduction ==" missing)');
if (built.stdout !== fromSource.stdout) {
  const a = built.stdout.split('\n');
  const b = fromSource.stdout.split('\n');
  const line = a.findIndex((l, i) => l !== b[i]);
  const at = line === -1 ? Math.min(a.length, b.length) : line;
  fail(`compiled and source output differ at line ${at + 1}:\n  compiled: ${JSON.stringify(a[at])}\n  source:   ${JSON.stringify(b[at])}`);
}
console.log(`test:compiled: ok (${built.stdout.split('\n').length} identical lines)`);
