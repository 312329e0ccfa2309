import pino from 'pino';
import { createApp, type App } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Actor, Reply } from '../../src/core.ts';
import type { Db } from '../../src/db/database.ts';
import { plainText } from '../../src/messages/build.ts';
import type { Message } from '../../src/messages/model.ts';
import type { RetryPolicy } from '../../src/outbox/dispatcher.ts';
import { FakePort } from './fake-port.ts';

/** Silent logger for tests; failures show through assertions, not log noise. */
export const quietLog = pino({ level: 'silent' });

export const START = new Date('2026-03-02T09:00:00.000Z');

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', ...overrides });
}

/** A member as the tests drive them: runs commands, presses buttons, answers forms. */
export interface TestMember {
  id: string;
  command(name: string, text?: string): Promise<Reply>;
  press(label: string): Promise<Reply>;
  /** Sends a button's action directly, as a platform does for a repeated or stale click. */
  act(actionId: string, payload: string): Promise<Reply>;
  /** The action id and payload of the newest button with this label, without pressing it. */
  button(label: string): { actionId: string; payload: string };
  submit(formId: string, values: Record<string, string>, payload?: string): Promise<Reply>;
  /** Plain text of everything delivered to this member. */
  inbox(): string[];
}

export interface Harness {
  app: App;
  clock: ManualClock;
  port: FakePort;
  member(name: string): TestMember;
  /** Moves the clock step by step through every due slot and timer, running each on time. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds an app on a given database with the fake port and a manual clock. */
export async function harness(
  database: Db,
  options: { config?: Record<string, string>; conversations?: boolean; retryPolicy?: RetryPolicy; clock?: ManualClock } = {},
): Promise<Harness> {
  const clock = options.clock ?? new ManualClock(START);
  const port = new FakePort({ conversations: options.conversations });
  const app = await createApp({
    config: testConfig(options.config),
    clock,
    log: quietLog,
    ports: [port],
    database,
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
  });
  const actor = (name: string): Actor => ({
    platform: 'console',
    communityPlatformId: 'test-community',
    communityName: 'Test community',
    user: { platformUserId: name.toLowerCase(), displayName: name },
  });
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    const result = await p;
    await app.core.flush();
    return result;
  };
  return {
    app,
    clock,
    port,
    member(name) {
      const id = name.toLowerCase();
      return {
        id,
        command: (cmd, text = '') => settle(app.core.command(actor(name), cmd, text)),
        async press(label) {
          const found = port.findButton(id, label);
          if (!found) throw new Error(`${name} has no "${label}" button; inbox:\n${port.textsTo(id).join('\n---\n')}`);
          const reply = await settle(app.core.action(actor(name), found.button.actionId, found.button.payload));
          // As every adapter does: the answered message is replaced, so its buttons are gone.
          if (reply.update) found.delivery.message = reply.update;
          return reply;
        },
        act: (actionId, payload) => settle(app.core.action(actor(name), actionId, payload)),
        button(label) {
          const found = port.findButton(id, label);
          if (!found) throw new Error(`${name} has no "${label}" button`);
          return { actionId: found.button.actionId, payload: found.button.payload };
        },
        submit: (formId, values, payload = '') => settle(app.core.submitForm(actor(name), formId, values, payload)),
        inbox: () => port.textsTo(id),
      };
    },
    async advance(ms) {
      const target = new Date(clock.now().getTime() + ms);
      for (;;) {
        const next = await app.core.nextEventAfter(clock.now());
        if (!next || next > target) break;
        clock.advanceTo(next);
        await app.core.tick();
      }
      clock.advanceTo(target);
      await app.core.tick();
    },
    close: () => app.close(),
  };
}

/** Plain text of a reply, for assertions. */
export function textOf(reply: Reply | Message | undefined): string {
  if (!reply) return '';
  if ('blocks' in reply) return plainText(reply);
  return [reply.reply, reply.update].filter(Boolean).map((m) => plainText(m!)).join('\n');
}
