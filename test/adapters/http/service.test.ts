import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { FAKE_SIGNING_SECRET, botSender, slashCommand, startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack/index.ts';

/**
 * The real bot process (bin/circulate.ts) against the fake Slack: it stops like a
 * service on SIGTERM, finishing the command in flight first.
 */

const ROOT = join(import.meta.dirname, '../../..');
let child: ChildProcess | undefined;
let fake: FakeSlackApi | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await fake?.close();
  fake = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});


test('SIGTERM: the command in flight is answered, outbox claims are released, the database closed, exit code 0 within 10 s', async () => {
  fake = await startFakeSlackApi({ rateLimits: false });
  dir = mkdtempSync(join(tmpdir(), 'circulate-service-'));
  const lines: { msg?: string; level?: number }[] = [];
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/circulate.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: fake.token,
      SLACK_SIGNING_SECRET: FAKE_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: join(dir, 'bot.db'),
      // The system picks the port (a port found free beforehand can be taken meanwhile); the log says which.
      PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      MATCHING_WARM_UP: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const line of d.toString().split('\n').filter(Boolean)) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child!.once('exit', (code) => resolve({ code, at: performance.now() })));
  let base = '';
  // Ready: listening, Slack connected, database writable.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited at start:\n${stderr}`);
    const listening = lines.find((l) => l.msg === 'HTTP server listening') as { port?: number } | undefined;
    if (!listening?.port) {
      await sleep(50);
      continue;
    }
    base = `http://127.0.0.1:${listening.port}`;
    const res = await fetch(`${base}/readyz`).catch(() => null);
    if (res?.status === 200) break;
    await sleep(50);
  }

  // A command whose work is slow (users.info takes 500 ms), then SIGTERM while it runs.
  fake.setLatency('users.info', 500);
  const send = botSender(`${base}/slack/events`);
  const res = await send(slashCommand({ command: '/offer-help', text: 'archives: happy to help', user_id: 'U0ALICE01', channel_id: 'C0LIBRARY1', response_url: fake.responseUrl('in-flight') }));
  expect(res.status).toBe(200);
  await fake.waitFor('users.info');
  const signalled = performance.now();
  child.kill('SIGTERM');
  const { code, at } = await exited;
  expect(code).toBe(0);
  expect(at - signalled).toBeLessThan(10_000);
  // The work in flight finished before the exit: the member got their answer.
  expect(fake.responsePostsTo('in-flight')).toHaveLength(1);
  const messages = lines.map((l) => l.msg);
  expect(messages).toContain('shutting down: refusing new connections, finishing work in flight');
  expect(messages).toContain('outbox claims released');
  expect(messages.at(-1)).toBe('stopped');
  expect(lines.filter((l) => (l.level ?? 0) >= 50)).toEqual([]);
});
