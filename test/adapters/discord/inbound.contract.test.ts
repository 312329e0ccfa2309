import { inboundContract, type Intent } from '../../contract/inbound.contract.ts';
import type { Obj, RecordedCall } from '../../fakes/discord/server.ts';
import { startWorld } from './world.ts';

/**
 * Discord under the inbound contract: the real discord.js client on the fake Discord
 * (gateway + REST). Commands arrive as typed chat-input interactions, forms as modal
 * submissions, presses as button interactions; answers are read from the interaction
 * callbacks and channel messages the fake Discord received.
 */

const EPHEMERAL = 64;

/** A member's intent as a Discord slash command with typed options. */
function slash(intent: Intent): [string, string, Record<string, string | number>] {
  switch (intent.kind) {
    case 'offer':
      return ['offer-help', 'add', { topic: intent.topic, details: intent.details }];
    case 'offers':
      return ['offer-help', 'list', {}];
    case 'ask':
      return ['intro-request', 'ask', { topic: intent.topic, questions: intent.questions, length: intent.minutes }];
    case 'requests':
      return ['intro-request', 'list', {}];
  }
}

type Callback = { type: number; data?: { content?: string; flags?: number; custom_id?: string; components?: unknown } };
type Button = { custom_id: string; label: string };
const buttonsOf = (msg: Obj): Button[] => ((msg.components as { components: Button[] }[] | undefined) ?? []).flatMap((row) => row.components);

inboundContract('discord', async () => {
  const w = await startWorld();
  const display = (id: string): string => {
    const u = w.fake.user(id);
    return u.global_name ?? u.username;
  };
  /** What Discord shows for content: user mentions as @Name. */
  const shown = (content: unknown): string => String(content ?? '').replace(/<@!?(\d+)>/g, (_, id: string) => `@${display(id)}`);
  const answer = (call: RecordedCall) => {
    const body = call.body as Callback;
    return { text: shown(body.data?.content), private: ((body.data?.flags ?? 0) & EPHEMERAL) === EPHEMERAL };
  };
  /** Messages the member sees from the bot: their DMs and the threads they were added to. */
  const visibleTo = (member: string): Obj[] => {
    const id = w.id(member);
    const threads = new Set(w.fake.guild().threadIds.filter((t) => w.fake.threadMembersOf(t).includes(id)));
    return [...w.fake.dmsTo(member), ...[...w.fake.messages.values()].filter((m) => threads.has(m.channel_id as string))];
  };
  const openModals = new Map<string, string>();

  return {
    helper: 'bob',
    requester: 'alice',
    nameOf: (member) => display(member),
    async command(member, intent) {
      const [name, sub, options] = slash(intent);
      return answer(await w.command(member, name, sub, options));
    },
    async openForm(member, command) {
      const call = await w.command(member, command, 'add');
      const body = call.body as Callback;
      const fields: string[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          const o = node as Obj;
          if ((o.type === 4 || o.type === 3) && typeof o.custom_id === 'string') fields.push(o.custom_id);
          Object.values(o).forEach(walk);
        }
      };
      walk(body.data?.components);
      openModals.set(member, String(body.data?.custom_id ?? ''));
      // A modal (callback type 9) is shown only to the member who ran the command.
      return { text: '', private: body.type === 9, form: fields };
    },
    async submitForm(member, values) {
      const customId = openModals.get(member)!;
      return answer(await w.run(w.fake.modalSubmitInteraction({ user: member, custom_id: customId, fields: values })));
    },
    async press(member, label) {
      const message = visibleTo(member)
        .filter((m) => buttonsOf(m).some((b) => b.label === label))
        .at(-1);
      if (!message) throw new Error(`no "${label}" button in what ${member} received`);
      const customId = buttonsOf(message).find((b) => b.label === label)!.custom_id;
      const inDm = w.fake.dmsTo(member).includes(message);
      const call = await w.run(w.fake.buttonInteraction({ user: member, guild_id: null, custom_id: customId, message }));
      const body = call.body as Callback;
      // Type 7 replaces the pressed message (private when it is the member's DM); type 4 must be ephemeral.
      return { text: shown(body.data?.content), private: body.type === 7 ? inDm : answer(call).private };
    },
    async delivered(member) {
      await w.app.core.flush();
      return visibleTo(member).map((m) => shown(m.content));
    },
    close: () => w.close(),
  };
});
