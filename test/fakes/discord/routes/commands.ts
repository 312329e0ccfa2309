/**
 * Application commands, global and per guild: list, bulk overwrite (PUT), create or upsert
 * (POST), get, edit and delete one. Bodies are checked against Discord's command limits
 * (command-validation.ts) and stored normalized, the way Discord answers them.
 */
import { validateCommand, validateCommandList } from '../command-validation.ts';
import { snowflake } from '../fixtures.ts';
import { FormErrors, type Obj } from '../validation.ts';
import type { DiscordWorld } from '../world.ts';
import { bad, err, noContent, ok, type AddRoute, type RouteResult } from './common.ts';

export function commandRoutes(w: DiscordWorld, r: AddRoute): void {
  const scopeOf = (p: Record<string, string>): string | null => {
    if (p.app !== w.applicationId) return null;
    if (p.guild !== undefined && !w.guilds.has(p.guild)) return null;
    return p.guild ?? 'global';
  };
  const normalize = (cmd: Obj, scope: string, existing?: Obj): Obj => ({
    id: existing?.id ?? snowflake(),
    application_id: w.applicationId,
    version: snowflake(),
    type: cmd.type ?? 1,
    name: cmd.name,
    name_localizations: cmd.name_localizations ?? null,
    description: cmd.description ?? '',
    description_localizations: cmd.description_localizations ?? null,
    options: cmd.options ?? [],
    default_member_permissions: cmd.default_member_permissions ?? null,
    dm_permission: cmd.dm_permission ?? true,
    nsfw: cmd.nsfw ?? false,
    contexts: cmd.contexts ?? null,
    integration_types: cmd.integration_types ?? [0],
    ...(scope === 'global' ? {} : { guild_id: scope }),
  });
  for (const prefix of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
    const unknownScope = (p: Record<string, string>): RouteResult =>
      p.app !== w.applicationId ? err(403, 50001, 'Missing Access') : err(404, 10004, 'Unknown Guild');
    r('GET', prefix, ({ params }) => {
      const scope = scopeOf(params);
      return scope ? ok(w.commands.get(scope) ?? []) : unknownScope(params);
    });
    r('PUT', prefix, ({ params, rawBody }) => {
      const scope = scopeOf(params);
      if (!scope) return unknownScope(params);
      const invalid = validateCommandList(rawBody);
      if (invalid) return bad(invalid);
      const old = w.commands.get(scope) ?? [];
      const next = (rawBody as Obj[]).map((c) => normalize(c, scope, old.find((o) => o.name === c.name && o.type === (c.type ?? 1))));
      w.commands.set(scope, next);
      return ok(next);
    });
    r('POST', prefix, ({ params, body }) => {
      const scope = scopeOf(params);
      if (!scope) return unknownScope(params);
      const errs = new FormErrors();
      validateCommand(errs, [], body);
      if (!errs.empty) return bad(errs.toBody());
      const list = w.commands.get(scope) ?? [];
      const idx = list.findIndex((o) => o.name === body.name && o.type === (body.type ?? 1));
      const cmd = normalize(body, scope, idx >= 0 ? list[idx] : undefined);
      if (idx >= 0) list[idx] = cmd;
      else list.push(cmd);
      w.commands.set(scope, list);
      return ok(cmd, idx >= 0 ? 200 : 201);
    });
    const findCmd = (params: Record<string, string>): { list: Obj[]; idx: number; scope: string } | null => {
      const scope = scopeOf(params);
      if (!scope) return null;
      const list = w.commands.get(scope) ?? [];
      return { list, idx: list.findIndex((c) => c.id === params.command), scope };
    };
    r('GET', `${prefix}/:command`, ({ params }) => {
      const f = findCmd(params);
      return f && f.idx >= 0 ? ok(f.list[f.idx]) : err(404, 10063, 'Unknown application command');
    });
    r('PATCH', `${prefix}/:command`, ({ params, body }) => {
      const f = findCmd(params);
      if (!f || f.idx < 0) return err(404, 10063, 'Unknown application command');
      const merged = { ...f.list[f.idx], ...body };
      const errs = new FormErrors();
      validateCommand(errs, [], merged);
      if (!errs.empty) return bad(errs.toBody());
      f.list[f.idx] = normalize(merged, f.scope, f.list[f.idx]);
      return ok(f.list[f.idx]);
    });
    r('DELETE', `${prefix}/:command`, ({ params }) => {
      const f = findCmd(params);
      if (!f || f.idx < 0) return err(404, 10063, 'Unknown application command');
      f.list.splice(f.idx, 1);
      return noContent;
    });
  }
}
