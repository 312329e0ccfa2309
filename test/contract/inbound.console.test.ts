import { ConsolePort, ConsoleSession } from '../../adapters/console/index.ts';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/db/database.ts';
import { quietLog, START, testConfig } from '../support/harness.ts';
import { inboundContract, type Answer, type Intent } from './inbound.contract.ts';

/**
 * The console adapter under the inbound contract: typed lines go through the real
 * ConsoleSession, and answers are read from what it printed. Each print starts with a
 * header saying who sees it ("[private to Bob]", "[form for Bob: …]", "[DM to Bob]").
 */

/** A member's intent as a console line (the core's text grammar). */
function line(intent: Intent): string {
  switch (intent.kind) {
    case 'offer':
      return `/offer-help ${intent.topic}: ${intent.details}`;
    case 'offers':
      return '/offer-help list';
    case 'ask':
      return `/intro-request ${intent.topic}: ${intent.questions} ${intent.minutes} min`;
    case 'requests':
      return '/intro-request list';
  }
}

inboundContract('console', async () => {
  const printed: string[] = [];
  const write = (text: string): void => void printed.push(text);
  const clock = new ManualClock(START);
  const names = { of: (id: string): string => id };
  const port = new ConsolePort(write, (id) => names.of(id));
  const app = await createApp({ config: testConfig(), clock, log: quietLog, ports: [port], database: openDatabase(':memory:') });
  const session = new ConsoleSession(app.core, port, clock, write, { communityName: 'Console community' });
  names.of = (id) => session.nameOf(id);

  const header = (print: string): string => /^\[([^\]]*)\]/.exec(print)?.[1] ?? '';
  const body = (print: string): string => print.split('\n').slice(1).join('\n');
  /** Types a line as this member; returns the prints addressed to them in answer (replies, forms, updates). */
  const type = async (member: string, text: string): Promise<Answer> => {
    const from = printed.length;
    await session.handleLine(`${member}: ${text}`);
    const prints = printed.slice(from + 1); // after the echoed "> line"
    const answers = prints.filter((p) => /^(private to|form for|message updated for) /.test(header(p)));
    const forMember = (p: string) => new RegExp(`^(private to|form for|message updated for) ${member}\\b`).test(header(p));
    const form = answers.find((p) => header(p).startsWith('form for'));
    return {
      text: answers.map(body).join('\n'),
      private: answers.length > 0 && answers.every(forMember),
      ...(form ? { form: body(form).split('\n').map((l) => /^\s+([a-z_]+):/.exec(l)?.[1]).filter((n): n is string => !!n && n !== 'answer') } : {}),
    };
  };
  const quote = (v: string): string => `"${v.replace(/"/g, '\\"')}"`;

  return {
    helper: 'Bob',
    requester: 'Alice',
    nameOf: (member) => member,
    command: (member, intent) => type(member, line(intent)),
    openForm: (member, command) => type(member, `/${command}`),
    submitForm: (member, values) => type(member, Object.entries(values).map(([k, v]) => `${k}=${quote(v)}`).join(' ')),
    press: (member, label) => type(member, `press ${label}`),
    async delivered(member) {
      // Deliveries are headed "DM to Bob", "conversation between Alice and Bob"; "#general" is a channel post.
      const sees = (h: string) => new RegExp(`^DM to ${member}$`).test(h) || (h.startsWith('conversation between ') && h.split(/ and |between /).includes(member));
      return printed.filter((p) => sees(header(p))).map(body);
    },
    async close() {
      await app.close();
    },
  };
});
