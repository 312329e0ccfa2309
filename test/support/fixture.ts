import { afterEach, beforeEach } from 'vitest';
import type { Actor, Reply } from '../../src/core.ts';
import type { Db } from '../../src/db/database.ts';
import type { TestDatabase } from './databases.ts';
import { harness, type Harness } from './harness.ts';

type HarnessOptions = Parameters<typeof harness>[1];

/** A fresh database and harness per test; fields are filled in by `beforeEach`. */
export interface Fixture {
  database: Db;
  h: Harness;
  /** Replaces the harness (same database), e.g. with other config. */
  restart(options?: HarnessOptions): Promise<Harness>;
}

/** Registers the per-test setup and teardown every storage-touching suite shares. */
export function useHarness(testDb: TestDatabase, options?: HarnessOptions): Fixture {
  let release: () => Promise<void> = async () => undefined;
  const fixture = {
    async restart(next?: HarnessOptions) {
      await fixture.h.close();
      fixture.h = await harness(fixture.database, next);
      return fixture.h;
    },
  } as Fixture;
  beforeEach(async () => {
    const opened = await testDb.open();
    fixture.database = opened.database;
    release = opened.release;
    fixture.h = await harness(fixture.database, options);
  });
  afterEach(async () => {
    await fixture.h.close();
    await release();
  });
  return fixture;
}

/** Mia, moderator of the harness's console community. */
export const moderator: Actor = {
  platform: 'console',
  communityPlatformId: 'test-community',
  communityName: 'Test community',
  user: { platformUserId: 'mia', displayName: 'Mia' },
  isModerator: true,
};

/**
 * Sets the community up as Mia before each test (register after `useHarness`);
 * returns her `/network-admin`, settled (the outbox flushed before it returns).
 */
export function useModerator(f: Fixture, setup = 'setup prompt_channel=#general time_zone=Europe/London cadence=off'): (text: string) => Promise<Reply> {
  const admin = async (text: string): Promise<Reply> => {
    const reply = await f.h.app.core.command(moderator, 'network-admin', text);
    await f.h.app.core.flush();
    return reply;
  };
  beforeEach(async () => {
    await admin(setup);
  });
  return admin;
}
