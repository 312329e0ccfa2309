/**
 * The fan-out benchmark's fake Slack Web API, in its own process so its CPU does
 * not compete with the bot's delivery loop (as it would not in production).
 * IPC: {setup} → starts and answers {ready: port}; 'reset'; 'report' → call
 * statistics; 'stop'.
 */
import { startFakeSlackApi } from '../../test/fakes/slack/web-api.ts';
import type { RateLimitRule } from '../../test/fakes/slack/rate-limit.ts';

interface Setup {
  users: number;
  limits: Record<string, RateLimitRule>;
  failureRate: number;
  methods: string[];
}

/** What the parent needs to judge the run: successful posts per channel and calls per method. */
export interface FanoutReport {
  posts: Record<string, number>;
  successful: Record<string, number>;
  injected: number;
  realRateLimited: number;
  stats: unknown;
}

const send = (m: unknown): void => void process.send!(m);

process.once('message', (setup: Setup) => {
  void (async () => {
    const users = Array.from({ length: setup.users }, (_, i) => ({ id: `U${String(i).padStart(7, '0')}`, name: `member${i}`, realName: `Member ${i}` }));
    const fake = await startFakeSlackApi({
      users,
      rateLimits: setup.limits,
      randomFailures: { rate: setup.failureRate, statuses: [429, 500], seed: 7, methods: setup.methods, retryAfter: 1 },
    });
    process.on('message', (m: string) => {
      if (m === 'reset') {
        fake.reset();
        send({ reset: true });
      } else if (m === 'report') {
        const ok = (c: (typeof fake.calls)[number]) => c.status === 200 && (c.response as { ok?: boolean }).ok === true;
        const posts: Record<string, number> = {};
        for (const c of fake.callsTo('chat.postMessage')) if (ok(c)) posts[String(c.args.channel)] = (posts[String(c.args.channel)] ?? 0) + 1;
        const report: FanoutReport = {
          posts,
          successful: Object.fromEntries(setup.methods.map((m2) => [m2, fake.callsTo(m2).filter(ok).length])),
          injected: fake.calls.filter((c) => c.injected).length,
          realRateLimited: fake.calls.filter((c) => c.status === 429 && !c.injected).length,
          stats: fake.stats(),
        };
        send({ report });
      } else if (m === 'stop') void fake.close().then(() => process.exit(0));
    });
    send({ ready: { apiUrl: fake.apiUrl, token: fake.token } });
  })();
});
