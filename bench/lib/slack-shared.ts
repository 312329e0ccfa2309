/** Shared by the Slack bench's parent and its children (no side effects: the parent imports it too). */

/** Resident memory as the child sees it: before and after a forced full GC, and the V8 heap in use. */
export interface Memory {
  rss: number;
  rssAfterGc: number;
  heapUsed: number;
}

/** Messages a child sends to the parent. */
export type ChildMessage = { ready: number } | { memory: Memory } | { answered: number } | { answers: Answer[] };

/** One answer the fake received on a response_url: which command, when (ms since the epoch), what it said. */
export interface Answer {
  id: string;
  at: number;
  status: number;
  text: string;
}

/** What a child process runs. */
export type Role = 'bot' | 'bare' | 'fake';

/** The bench's member ids; the fake knows them all, the load generator sends as them. */
export const benchUserId = (i: number): string => `U0BENCH${String(i).padStart(3, '0')}`;

/** How many distinct members the fake knows (one per concurrent request). */
export const BENCH_USERS = 100;
