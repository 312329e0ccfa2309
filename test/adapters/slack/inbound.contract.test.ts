import { inboundContract, type Answer, type Intent } from '../../contract/inbound.contract.ts';
import { blockActions, viewSubmission, type FakeMessage } from '../../fakes/slack/index.ts';
import { blockKitText, startHarness, USERS } from './harness.ts';

/**
 * Slack under the inbound contract: the real Bolt app on a local port, driven by
 * signed requests shaped as Slack sends them, against the fake Slack. Answers are
 * read from what the fake Slack received: response_url posts, views.open, the
 * view_submission response, chat.update and chat.postMessage calls.
 */

type Obj = Record<string, unknown>;

/** A member's intent as the text of a Slack slash command. */
function slash(intent: Intent): [string, string] {
  switch (intent.kind) {
    case 'offer':
      return ['/offer-help', `${intent.topic}: ${intent.details}`];
    case 'offers':
      return ['/offer-help', 'list'];
    case 'ask':
      return ['/intro-request', `${intent.topic}: ${intent.questions} ${intent.minutes} min`];
    case 'requests':
      return ['/intro-request', 'list'];
  }
}

inboundContract('slack', async () => {
  const h = await startHarness();
  const names = new Map<string, string>(Object.values(USERS).map((u) => [u.id, u.display_name]));

  /** What Slack shows: every text object in the blocks (the fallback only without blocks), user mentions as @Name. */
  const shown = (body: { text?: unknown; blocks?: unknown }): string =>
    blockKitText(body).replace(/<@(U[A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names.get(id) ?? id}`);

  /** Channels the member is in with the bot: their DM, and any group DM opened with them. */
  const channelsOf = (member: string): string[] => [
    h.fake.dmChannelFor(member),
    ...h.fake
      .callsTo('conversations.open')
      .filter((c) => c.response.ok === true && String(c.args.users ?? '').split(',').includes(member))
      .map((c) => (c.response.channel as { id: string }).id),
  ];
  const visibleTo = (member: string): FakeMessage[] => {
    const channels = new Set(channelsOf(member));
    return h.fake.messages.filter((m) => channels.has(m.channel) && !m.deleted && (m.ephemeralTo === undefined || m.ephemeralTo === member));
  };
  const openViews = new Map<string, Obj>();
  let presses = 0;

  return {
    helper: USERS.bob.id,
    requester: USERS.alice.id,
    nameOf: (member) => names.get(member) ?? member,
    async command(member, intent) {
      const [command, text] = slash(intent);
      const { answer } = await h.slash(member, command, text);
      await h.settle();
      return { text: shown(answer.body), private: (answer.body.response_type ?? 'ephemeral') === 'ephemeral' };
    },
    async openForm(member, command) {
      const before = h.fake.callsTo('views.open').length;
      await h.slashOnly(member, `/${command}`, '');
      const open = await h.fake.waitFor('views.open', (c) => h.fake.callsTo('views.open').indexOf(c) >= before);
      const view = open.response.view as Obj;
      openViews.set(member, view);
      const blocks = (view.blocks ?? []) as { type: string; block_id?: string }[];
      // A modal opened with this member's trigger is shown to them alone.
      const trigger = String(open.args.trigger_id ?? '');
      return {
        text: shown(view),
        private: open.response.ok === true && trigger !== '',
        form: blocks.filter((b) => b.type === 'input').map((b) => b.block_id!),
      };
    },
    async submitForm(member, values): Promise<Answer> {
      const view = openViews.get(member)!;
      const inputs = ((view.blocks ?? []) as { type: string; block_id: string; element: { type: string; action_id: string } }[]).filter((b) => b.type === 'input');
      const state: Record<string, Record<string, string | Obj>> = {};
      for (const block of inputs) {
        const value = values[block.block_id];
        if (value === undefined) continue;
        state[block.block_id] = {
          [block.element.action_id]:
            block.element.type === 'static_select'
              ? { type: 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } }
              : value,
        };
      }
      const res = await h.send(viewSubmission({ user: { id: member }, view, values: state }));
      await h.settle();
      const body = (res.json ?? {}) as { response_action?: string; view?: Obj; errors?: Record<string, string> };
      const text = body.view ? shown(body.view) : Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
      return { text, private: res.status === 200 };
    },
    async press(member, label) {
      type Element = { type: string; action_id: string; value?: string; text?: { text: string } };
      const found = visibleTo(member)
        .map((m) => ({ m, button: ((m.blocks ?? []) as { elements?: Element[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.type === 'button' && e.text?.text === label) }))
        .filter((x) => x.button)
        .at(-1);
      if (!found) throw new Error(`no "${label}" button in what ${member} received`);
      const responseId = `press-${++presses}`;
      await h.send(
        blockActions({
          user: { id: member },
          actions: [{ action_id: found.button!.action_id, value: found.button!.value ?? '', text: label }],
          channel: { id: found.m.channel },
          message: { ts: found.m.ts },
          response_url: h.fake.responseUrl(responseId),
        }),
      );
      const update = await h.fake.waitFor('chat.update', (c) => c.args.ts === found.m.ts);
      await h.settle();
      const replies = h.fake.responsePostsTo(responseId);
      return {
        text: [shown(update.args), ...replies.map((r) => shown(r.body))].join('\n'),
        // The pressed message sits in the member's own DM; any reply is ephemeral.
        private: found.m.channel === h.fake.dmChannelFor(member) && replies.every((r) => (r.body.response_type ?? 'ephemeral') === 'ephemeral'),
      };
    },
    async delivered(member) {
      await h.settle();
      return visibleTo(member).map((m) => shown(m));
    },
    close: () => h.close(),
  };
});
