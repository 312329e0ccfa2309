/**
 * The REST side of the fake: parses each request under `/api/v{9,10}` (JSON or multipart with
 * `payload_json`), records it as a RecordedCall, applies injected 429s and errors, checks the bot
 * token, and answers from the route table the groups in routes/ fill. Late answers
 * ({@link RestRouter.setLatency}) are sent after the call took effect, like a slow Discord.
 */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { channelRoutes } from './routes/channels.ts';
import { commandRoutes } from './routes/commands.ts';
import { CALLBACK_ROUTE, err, type Route, type RouteResult } from './routes/common.ts';
import { guildRoutes } from './routes/guilds.ts';
import { interactionRoutes } from './routes/interactions.ts';
import { threadRoutes } from './routes/threads.ts';
import { userRoutes } from './routes/users.ts';
import type { RecordedCall, RecordedFile } from './types.ts';
import { isObj } from './validation.ts';
import type { DiscordWorld } from './world.ts';

interface Injection {
  kind: 'rate-limit' | 'error';
  method: string | null;
  route: RegExp;
  remaining: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function routeRe(template: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = template.replace(/:(\w+)/g, (_m, k: string) => {
    keys.push(k);
    return '([^/]+)';
  });
  return { re: new RegExp(`^${src}$`), keys };
}

/** Answers REST calls from the route table; records each one on the world's `calls` and emits `call`. */
export class RestRouter {
  private readonly routes: Route[] = [];
  private injections: Injection[] = [];
  /** Late answers: see {@link setLatency}. */
  private latencies: { route: RegExp; method: string | null; ms: number }[] = [];
  private seq = 0;

  constructor(private readonly w: DiscordWorld) {
    const r = (method: string, template: string, handler: Route['handler'], auth = true): void => {
      this.routes.push({ method, template, ...routeRe(template), auth, handler });
    };
    for (const group of [userRoutes, commandRoutes, interactionRoutes, channelRoutes, threadRoutes, guildRoutes]) group(w, r);
  }

  /** Forgets pending injections (latency rules stay). */
  reset(): void {
    this.injections = [];
  }

  injectRateLimit(opts: { route: RegExp; method?: string; times?: number; retryAfter?: number; global?: boolean; scope?: 'user' | 'global' | 'shared' }): void {
    const retryAfter = opts.retryAfter ?? 0.5;
    const global = opts.global ?? false;
    const headers: Record<string, string> = {
      'Retry-After': String(Math.ceil(retryAfter)),
      'X-RateLimit-Limit': '5',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': retryAfter.toFixed(3),
      'X-RateLimit-Bucket': randomBytes(16).toString('hex'),
      'X-RateLimit-Scope': opts.scope ?? (global ? 'global' : 'user'),
      ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
    };
    this.injections.push({
      kind: 'rate-limit',
      method: opts.method?.toUpperCase() ?? null,
      route: opts.route,
      remaining: opts.times ?? 1,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
      headers,
    });
  }

  setLatency(opts: { route: RegExp; method?: string; ms: number }): void {
    this.latencies = this.latencies.filter((l) => l.route.source !== opts.route.source || l.method !== (opts.method ?? null));
    if (opts.ms > 0) this.latencies.push({ route: opts.route, method: opts.method ?? null, ms: opts.ms });
  }

  injectError(opts: { route: RegExp; method?: string; times?: number; status?: number; body?: unknown }): void {
    const status = opts.status ?? 500;
    this.injections.push({
      kind: 'error',
      method: opts.method?.toUpperCase() ?? null,
      route: opts.route,
      remaining: opts.times ?? 1,
      status,
      body: opts.body ?? (status >= 500 ? { message: '500: Internal Server Error', code: 0 } : { message: 'Error', code: 0 }),
      headers: {},
    });
  }

  async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const send = (result: RouteResult): void => {
      const headers: Record<string, string> = { ...(result.headers ?? {}) };
      if (result.status === 204 || result.body === undefined) {
        res.writeHead(result.status, headers);
        res.end();
      } else {
        res.writeHead(result.status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(result.body));
      }
    };
    const m = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
    if (!m) {
      send({ status: 404, body: { message: '404: Not Found', code: 0 } });
      return;
    }
    const rawPath = m[2] ?? '/';
    const path = rawPath.split('/').map((seg) => decodeURIComponent(seg)).join('/');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    let rawBody: unknown = undefined;
    const files: RecordedFile[] = [];
    const ct = req.headers['content-type'] ?? '';
    try {
      if (raw.length && ct.startsWith('application/json')) rawBody = JSON.parse(raw.toString('utf8'));
      else if (raw.length && ct.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': ct } }).formData();
        for (const [field, value] of form.entries()) {
          if (typeof value === 'string') {
            if (field === 'payload_json') rawBody = JSON.parse(value);
          } else {
            files.push({ field, name: value.name, size: value.size, contentType: value.type });
          }
        }
      }
    } catch {
      send({ status: 400, body: { message: '400: Bad Request', code: 50109 } });
      return;
    }
    const call: RecordedCall = {
      seq: ++this.seq,
      at: Date.now(),
      method,
      path,
      rawPath,
      route: null,
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers,
      body: rawBody,
      files,
      status: 0,
      response: undefined,
    };
    this.w.calls.push(call);
    const result = await this.answer(call, m[1], url.searchParams, rawBody);
    call.status = result.status;
    call.response = result.body;
    if (call.route === CALLBACK_ROUTE) {
      call.interactionId = call.params.interaction;
      this.w.interactions.get(call.params.interaction ?? '')?.callbacks.push(call);
    }
    const late = this.latencies.find((l) => (l.method === null || l.method === method) && l.route.test(path))?.ms ?? 0;
    if (late > 0) setTimeout(() => send(result), late);
    else send(result);
    this.w.emit('call', call);
  }

  private async answer(call: RecordedCall, version: string | undefined, query: URLSearchParams, rawBody: unknown): Promise<RouteResult> {
    if (version !== '10' && version !== '9') return err(400, 50041, 'Invalid API version provided');
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of this.routes) {
      if (candidate.method !== call.method) continue;
      match = candidate.re.exec(call.rawPath);
      if (match) {
        route = candidate;
        break;
      }
    }
    if (route && match) {
      call.route = route.template;
      route.keys.forEach((k, i) => (call.params[k] = decodeURIComponent(match[i + 1] ?? '')));
    }
    const inj = this.injections.find((i) => i.remaining > 0 && (i.method === null || i.method === call.method) && i.route.test(call.path));
    if (inj) {
      inj.remaining--;
      call.injected = inj.kind;
      return { status: inj.status, body: inj.body, headers: inj.headers };
    }
    if (!route) {
      const pathExists = this.routes.some((r) => r.re.test(call.rawPath));
      call.unhandled = !pathExists;
      return pathExists ? err(405, 0, '405: Method Not Allowed') : err(404, 0, '404: Not Found');
    }
    if (route.auth && call.headers.authorization !== `Bot ${this.w.token}`) return err(401, 0, '401: Unauthorized');
    return route.handler({ call, params: call.params, body: isObj(rawBody) ? rawBody : {}, rawBody, query });
  }
}
