/**
 * The `/api/<method>` pipeline every Web API call goes through, in Slack's order: injected
 * failures (they stand in for outages), unknown method, malformed body, authentication, rate
 * limits, then the method from the route groups' table. The knobs tests turn to make Slack
 * misbehave (failNext, random failures, latency, overrides, rate limits) live here with it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_RATE_LIMITS, RateLimiter, seededRandom } from './rate-limit.ts';
import { ApiError, invalidArguments, nonEmpty, str, type MethodTable, type SlackState } from './state.ts';
import type { FailureSpec, MethodOverride, RandomFailureOptions, RecordedCall, SlackApiBody } from './types.ts';

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'files'];

export class ApiDispatcher {
  readonly failures = new Map<string, Required<Pick<FailureSpec, 'count'>> & FailureSpec>();
  readonly overrides = new Map<string, MethodOverride>();
  readonly latency = new Map<string, number>();
  readonly limiter: RateLimiter;
  rateLimiting: boolean;
  private random: { opts: RandomFailureOptions; next: () => number } | undefined;

  constructor(
    private readonly s: SlackState,
    private readonly handlers: MethodTable,
  ) {
    const { rateLimits, randomFailures } = s.opts;
    this.rateLimiting = rateLimits !== false;
    this.limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...(rateLimits || {}) });
    if (randomFailures) this.setRandomFailures(randomFailures);
  }

  setRandomFailures(options: RandomFailureOptions | undefined): void {
    this.random = options ? { opts: options, next: seededRandom(options.seed) } : undefined;
  }

  /** Forgets failures and rate buckets; the random failures start their sequence again. */
  reset(): void {
    this.failures.clear();
    this.limiter.reset();
    if (this.random) this.random.next = seededRandom(this.random.opts.seed);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const at = this.s.now();
    const contentType = String(req.headers['content-type'] ?? '');
    const warnings: string[] = [];
    const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let formToken: string | undefined;
    let parseError: string | undefined;
    if (contentType.startsWith('application/json')) {
      if (!/charset/i.test(contentType)) warnings.push('missing_charset');
      if (raw.trim() !== '') {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
          else parseError = 'invalid_json';
        } catch {
          parseError = 'invalid_json';
        }
      }
      // Slack ignores a token inside a JSON body: JSON callers must use the Authorization header.
    } else if (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
      formToken = str(args.token);
    } else if (raw !== '') {
      parseError = 'invalid_form_data';
    }
    if (formToken === undefined) formToken = str(url.searchParams.get('token') ?? undefined);
    delete args.token;
    const jsonErrors: Record<string, boolean> = {};
    for (const field of JSON_FIELDS) {
      const v = args[field];
      if (typeof v === 'string' && v !== '') {
        try {
          args[field] = JSON.parse(v);
        } catch {
          jsonErrors[field] = true;
        }
      }
    }
    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
    const token = bearer || formToken;

    const record = (status: number, response: SlackApiBody, extra: Partial<RecordedCall> = {}): void => {
      const blocks = args.blocks;
      const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
      const textFallbackMethods = ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage'];
      const missingTextFallback = textFallbackMethods.includes(method) && hasBlocks && nonEmpty(args.text) === undefined;
      if (missingTextFallback) warnings.push('missing_text_fallback');
      const call: RecordedCall = {
        seq: ++this.s.seq,
        method,
        args,
        token,
        contentType,
        at,
        status,
        response,
        missingTextFallback,
        warnings,
        ...extra,
      };
      this.s.calls.push(call);
      const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
      if (call.retryAfter !== undefined) headers['Retry-After'] = String(call.retryAfter);
      const answer = (): void => {
        res.writeHead(status, headers);
        res.end(JSON.stringify(response));
      };
      const late = this.latency.get(method) ?? this.latency.get('*') ?? 0;
      if (late > 0) setTimeout(answer, late);
      else answer();
      this.s.events.emit('call', call);
    };

    // 1. Injected failures stand in for outages, so they win over everything else.
    const injected = this.takeInjectedFailure(method);
    if (injected) return record(injected.status, injected.body, { retryAfter: injected.retryAfter, injected: injected.source });

    // 2. Unknown method, malformed body, authentication.
    const handler = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!handler && !this.overrides.has(method)) return record(200, { ok: false, error: 'unknown_method', req_method: method });
    if (parseError) return record(200, { ok: false, error: parseError });
    if (!token) return record(200, { ok: false, error: 'not_authed' });
    if (this.s.revoked.has(token)) return record(200, { ok: false, error: 'token_revoked' });
    if (!this.s.tokens.has(token)) return record(200, { ok: false, error: 'invalid_auth' });

    // 3. Rate limits (per token, per method, per channel for chat.postMessage).
    if (this.rateLimiting) {
      const decision = this.limiter.take(method, token, str(args.channel), at);
      if (!decision.allowed) {
        return record(429, { ok: false, error: 'ratelimited' }, { retryAfter: decision.retryAfterSeconds });
      }
    }

    // 4. The method itself.
    try {
      const override = this.overrides.get(method);
      const overridden = override?.(args, { token, at });
      if (overridden) return record(200, overridden);
      if (!handler) return record(200, { ok: false, error: 'unknown_method', req_method: method });
      if (jsonErrors.blocks) throw new ApiError('invalid_blocks_format');
      if (jsonErrors.attachments) throw new ApiError('invalid_attachments');
      if (jsonErrors.view) throw invalidArguments(['failed to parse view as JSON [json-pointer:/view]']);
      if (jsonErrors.files) throw invalidArguments(['failed to parse files as JSON [json-pointer:/files]']);
      const body = handler(args, at);
      if (warnings.includes('missing_charset')) {
        body.warning = 'missing_charset';
        body.response_metadata = { ...((body.response_metadata as object | undefined) ?? {}), warnings: ['missing_charset'] };
      }
      return record(200, body);
    } catch (err) {
      if (err instanceof ApiError) return record(200, { ok: false, error: err.code, ...err.extra });
      throw err;
    }
  }

  private takeInjectedFailure(
    method: string,
  ): { status: number; body: SlackApiBody; retryAfter?: number; source: 'failNext' | 'random' } | undefined {
    const key = this.failures.has(method) ? method : this.failures.has('*') ? '*' : undefined;
    if (key !== undefined) {
      const spec = this.failures.get(key)!;
      spec.count -= 1;
      if (spec.count <= 0) this.failures.delete(key);
      return { ...this.failureBody(spec.status, spec.error, spec.retryAfter), source: 'failNext' };
    }
    if (this.random && (!this.random.opts.methods || this.random.opts.methods.includes(method))) {
      const roll = this.random.next();
      if (roll < this.random.opts.rate) {
        const statuses = this.random.opts.statuses;
        const status = statuses[Math.floor(this.random.next() * statuses.length)] ?? 500;
        return { ...this.failureBody(status, undefined, this.random.opts.retryAfter), source: 'random' };
      }
    }
    return undefined;
  }

  private failureBody(status: number | undefined, error: string | undefined, retryAfter: number | undefined) {
    if (status === 429) return { status, body: { ok: false, error: 'ratelimited' }, retryAfter: retryAfter ?? 1 };
    if (status !== undefined && status >= 500) {
      return { status, body: { ok: false, error: error ?? (status === 503 ? 'service_unavailable' : 'internal_error') } };
    }
    return { status: 200, body: { ok: false, error: error ?? 'internal_error' } };
  }
}
