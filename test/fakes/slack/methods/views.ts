/**
 * Modals and App Home: views.open, views.push, views.update and views.publish. Opening a modal
 * spends a trigger_id (one use, within triggerTtlMs), updates honour `hash` so a stale update
 * fails with hash_conflict, and every view is stored the way Slack returns it (ids, hash, state).
 */
import { validateView } from '../block-kit.ts';
import { TRIGGER_ID_PATTERN, stableId } from '../defaults.ts';
import { ApiError, invalidArguments, missing, nonEmpty, str, type MethodHandler, type MethodTable, type SlackState } from '../state.ts';

export function viewMethods(s: SlackState): MethodTable {
  const openModal: MethodHandler = (args, at) => {
    const view = viewArg(args, 'modal');
    const userId = checkTrigger(s, args, at);
    checkExternalId(s, view);
    const id = s.nextId('V');
    const out = materializeView(s, view, id);
    s.views.set(id, { id, type: 'modal', userId, view: out, updates: 0 });
    return { ok: true, view: out };
  };
  return {
    'views.open': openModal,
    // A pushed modal is stored like an opened one; Slack only differs in the stack it shows.
    'views.push': openModal,

    'views.update': (args) => {
      const viewId = nonEmpty(args.view_id);
      const externalId = nonEmpty(args.external_id);
      if (viewId === undefined && externalId === undefined) throw missing('view_id');
      if (args.view === undefined || args.view === '') throw missing('view');
      const existing =
        viewId !== undefined ? s.views.get(viewId) : [...s.views.values()].find((v) => v.view.external_id === externalId);
      if (!existing) throw new ApiError('not_found');
      const view = viewArg(args, existing.type);
      const hash = nonEmpty(args.hash);
      if (hash !== undefined && hash !== existing.view.hash) throw new ApiError('hash_conflict');
      checkExternalId(s, view, existing.id);
      existing.view = materializeView(s, view, existing.id, {
        previousViewId: existing.view.previous_view_id as string | null,
        rootViewId: existing.view.root_view_id as string,
      });
      existing.updates += 1;
      return { ok: true, view: existing.view };
    },

    'views.publish': (args) => {
      const userId = nonEmpty(args.user_id);
      if (userId === undefined) throw missing('user_id');
      const view = viewArg(args, 'home');
      if (!s.user(userId)) throw new ApiError('user_not_found');
      const existing = s.homeView(userId);
      const hash = nonEmpty(args.hash);
      if (existing && hash !== undefined && hash !== existing.view.hash) throw new ApiError('hash_conflict');
      const id = existing?.id ?? stableId('V', `${s.team.id}:home:${userId}`);
      const out = materializeView(s, view, id);
      if (existing) {
        existing.view = out;
        existing.updates += 1;
      } else s.views.set(id, { id, type: 'home', userId, view: out, updates: 0 });
      return { ok: true, view: out };
    },
  };
}

function checkTrigger(s: SlackState, args: Record<string, unknown>, at: number): string | undefined {
  const trigger = nonEmpty(args.trigger_id) ?? nonEmpty(args.interactivity_pointer);
  if (trigger === undefined) throw missing('trigger_id');
  if (!TRIGGER_ID_PATTERN.test(trigger)) throw new ApiError('invalid_trigger_id');
  const entry = s.triggers.get(trigger);
  if (entry?.used) throw new ApiError('exchanged_trigger_id');
  if (entry && at - entry.issuedAt > (s.opts.triggerTtlMs ?? 3000)) throw new ApiError('expired_trigger_id');
  s.triggers.set(trigger, { issuedAt: entry?.issuedAt ?? at, userId: entry?.userId, used: true });
  return entry?.userId;
}

function viewArg(args: Record<string, unknown>, expected: 'modal' | 'home'): Record<string, unknown> {
  const view = args.view;
  if (view === undefined || view === '') throw missing('view');
  const errors = validateView(view, expected);
  if (errors.length > 0) throw invalidArguments(errors);
  return view as Record<string, unknown>;
}

function materializeView(
  s: SlackState,
  input: Record<string, unknown>,
  id: string,
  extra: { previousViewId?: string | null; rootViewId?: string } = {},
): Record<string, unknown> {
  const hash = `${Math.floor(s.now() / 1000)}.${Math.random().toString(36).slice(2, 10)}`;
  return {
    id,
    team_id: s.team.id,
    type: input.type,
    title: input.title ?? null,
    submit: input.submit ?? null,
    close: input.close ?? null,
    blocks: s.withBlockIds(input.blocks) ?? [],
    private_metadata: str(input.private_metadata) ?? '',
    callback_id: str(input.callback_id) ?? '',
    external_id: str(input.external_id) ?? '',
    state: { values: {} },
    hash,
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    previous_view_id: extra.previousViewId ?? null,
    root_view_id: extra.rootViewId ?? id,
    app_id: s.app.appId,
    app_installed_team_id: s.team.id,
    bot_id: s.app.botId,
  };
}

function checkExternalId(s: SlackState, view: Record<string, unknown>, exceptId?: string): void {
  const ext = nonEmpty(view.external_id);
  if (ext === undefined) return;
  for (const v of s.views.values()) {
    if (v.id !== exceptId && v.view.external_id === ext) throw new ApiError('duplicate_external_id');
  }
}
