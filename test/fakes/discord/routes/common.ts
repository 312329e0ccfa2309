/**
 * What every REST route group shares: the handler's context and result, Discord's error shape
 * (`{message, code}`), and the function a group registers its routes with. Route templates use
 * `:name` segments, matched against the path as sent (after `/api/v10`).
 */
import type { RecordedCall } from '../types.ts';
import type { DiscordErrorBody, Obj } from '../validation.ts';

/** The interaction callback route; the server files each call to it under its interaction. */
export const CALLBACK_ROUTE = '/interactions/:interaction/:token/callback';

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestCtx {
  call: RecordedCall;
  params: Record<string, string>;
  body: Obj;
  rawBody: unknown;
  query: URLSearchParams;
}

export interface Route {
  method: string;
  template: string;
  re: RegExp;
  keys: string[];
  auth: boolean;
  handler: (ctx: RequestCtx) => RouteResult | Promise<RouteResult>;
}

/** Registers a handler for `method template`; `auth` false for routes discord.js calls without a token. */
export type AddRoute = (method: string, template: string, handler: Route['handler'], auth?: boolean) => void;

export const err = (status: number, code: number, message: string, extra: Obj = {}): RouteResult => ({
  status,
  body: { message, code, ...extra },
});
export const bad = (body: DiscordErrorBody): RouteResult => ({ status: 400, body });
export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
export const noContent: RouteResult = { status: 204 };
