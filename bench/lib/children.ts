import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildSlackBench } from './slack-build.ts';
import type { Answer, ChildMessage, Memory, Role } from './slack-shared.ts';

/**
 * Starting and talking to the Slack benchmarks' child processes (bench/lib/slack-child.ts),
 * shared by `bench:slack` and `bench:load` so both measure the same bot the same way.
 */

/** How a child runs: compiled JavaScript on plain node, or the TypeScript source under tsx (as `npm run dev` does; `npm start` runs the compiled build). */
export type Runtime = 'compiled' | 'tsx';

/** The child entry per runtime; the compiled one is (re)built by {@link buildChildren}. */
const CHILD_SCRIPT: Record<Runtime, string> = {
  compiled: '',
  tsx: fileURLToPath(new URL('./slack-child.ts', import.meta.url)),
};

/** Compiles the children (incrementally) once per run, before the first compiled child starts. */
export function buildChildren(): void {
  CHILD_SCRIPT.compiled = buildSlackBench();
}

/** A running child and the questions the parent can ask it over IPC. */
export interface Child {
  proc: ChildProcess;
  port: number;
  memory(): Promise<Memory>;
  answered(): Promise<number>;
  /** The fake only: every response_url post so far (id, arrival ms, text). */
  answers(): Promise<Answer[]>;
  stop(): void;
}

/**
 * The V8 setting the bot is meant to run with in production (see adapters/slack/README.md):
 * young-generation semi-spaces of at most 4 MB instead of 16 MB. Under a burst V8 grows
 * them to the maximum and keeps the pages, which was most of the bot's RSS growth.
 */
export const BOT_V8_FLAGS = ['--max-semi-space-size=4'];

/** Forks one child for `role`; resolves when it reports the port it listens on. */
export function spawnChild(role: Role, runtime: Runtime, apiUrl: string, flags: string[] = [], env: Record<string, string> = {}): Promise<Child> {
  if (runtime === 'compiled' && !CHILD_SCRIPT.compiled) throw new Error('call buildChildren() before spawning a compiled child');
  const proc = fork(CHILD_SCRIPT[runtime], [role], {
    execArgv: [
      ...(runtime === 'compiled' ? ['--expose-gc'] : ['--import', 'tsx', '--expose-gc']),
      ...flags,
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each child, written when it exits.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: { ...process.env, ...env, SLACK_API_URL: apiUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const request = <T>(what: string, pick: (m: ChildMessage) => T | undefined) =>
    new Promise<T>((resolve) => {
      const onMessage = (m: ChildMessage) => {
        const value = pick(m);
        if (value === undefined) return;
        proc.off('message', onMessage);
        resolve(value);
      };
      proc.on('message', onMessage);
      proc.send(what);
    });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    const early = (code: number | null) => reject(new Error(`${role} (${runtime}) exited with ${code} before it was ready`));
    proc.once('exit', early);
    proc.once('message', (m: ChildMessage) => {
      if (!('ready' in m)) return reject(new Error('unexpected first message'));
      proc.off('exit', early);
      resolve({
        proc,
        port: m.ready,
        memory: () => request('memory', (r) => ('memory' in r ? r.memory : undefined)),
        answered: () => request('answered', (r) => ('answered' in r ? r.answered : undefined)),
        answers: () => request('answers', (r) => ('answers' in r ? r.answers : undefined)),
        stop: () => void proc.send('stop'),
      });
    });
  });
}

/** Builds the children and starts the fake Web API: what every Slack benchmark needs first. */
export async function startFakeSlack(): Promise<{ fake: Child; fakeUrl: string; apiUrl: string }> {
  buildChildren();
  const fake = await spawnChild('fake', 'compiled', '');
  const fakeUrl = `http://127.0.0.1:${fake.port}`;
  return { fake, fakeUrl, apiUrl: `${fakeUrl}/api/` };
}

/** The value at percentile `p` of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One line describing the machine, for the README. */
export function machine(): string {
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
  return (
    `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ` +
    `Linux ${release()}, node ${process.version}; load average at start ${one} / ${five} / ${fifteen} (1 / 5 / 15 min)`
  );
}
