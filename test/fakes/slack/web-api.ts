import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiDispatcher } from './api.ts';
import { makeTriggerId } from './defaults.ts';
import { chatMethods } from './methods/chat.ts';
import { conversationMethods } from './methods/conversations.ts';
import { fileMethods, handleUpload } from './methods/files.ts';
import { teamMethods } from './methods/team.ts';
import { viewMethods } from './methods/views.ts';
import type { RateLimitRule } from './rate-limit.ts';
import { handleResponseUrl } from './response-url.ts';
import { SlackState } from './state.ts';
import type {
  CallStats,
  FailureSpec,
  FakeFile,
  FakeMessage,
  FakeSlackApi,
  FakeSlackApiOptions,
  FakeSlackChannel,
  FakeSlackUser,
  FakeView,
  MethodOverride,
  RandomFailureOptions,
  RecordedCall,
  ResponseUrlPost,
} from './types.ts';

export type * from './types.ts';

/**
 * A fake of Slack's Web API (https://slack.com/api/<method>) on a real local HTTP server, so the
 * real @slack/web-api WebClient inside Bolt talks to it unchanged: same content types, same
 * `{ok, error}` bodies with HTTP 200, same 429 + Retry-After, same Block Kit rejections. Point a
 * client at it with `new App({ ..., clientOptions: fake.clientOptions })`.
 */

/**
 * The server: routes each request to the API pipeline ({@link ApiDispatcher}, with the methods of
 * every group in methods/), an upload URL or a response_url, and gives tests their controls.
 */
class FakeSlackApiServer implements FakeSlackApi {
  clientOptions = { slackApiUrl: '' };
  apiUrl = '';
  private readonly s: SlackState;
  private readonly api: ApiDispatcher;
  private readonly server: Server;

  constructor(opts: FakeSlackApiOptions) {
    this.s = new SlackState(opts);
    const s = this.s;
    this.api = new ApiDispatcher(s, {
      ...teamMethods(s),
      ...conversationMethods(s),
      ...chatMethods(s),
      ...fileMethods(s),
      ...viewMethods(s),
    });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ok: false, error: 'fatal_error', detail: String(err) }));
      });
    });
  }

  get url(): string {
    return this.s.url;
  }
  get token(): string {
    return this.s.firstToken;
  }
  get team(): FakeSlackApi['team'] {
    return this.s.team;
  }
  get app(): FakeSlackApi['app'] {
    return this.s.app;
  }
  get calls(): readonly RecordedCall[] {
    return this.s.calls;
  }
  get responsePosts(): readonly ResponseUrlPost[] {
    return this.s.responsePosts;
  }
  get messages(): readonly FakeMessage[] {
    return this.s.messages;
  }
  get views(): ReadonlyMap<string, FakeView> {
    return this.s.views;
  }
  get files(): readonly FakeFile[] {
    return this.s.files;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.s.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.clientOptions = { slackApiUrl: this.apiUrl };
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- inspection helpers

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method?: string): RecordedCall | undefined {
    const list = method === undefined ? this.calls : this.callsTo(method);
    return list[list.length - 1];
  }

  stats(): Record<string, CallStats> {
    const out: Record<string, CallStats> = {};
    for (const c of this.calls) {
      const s = (out[c.method] ??= { total: 0, ok: 0, errors: 0, rateLimited: 0, serverErrors: 0 });
      s.total += 1;
      if (c.status === 429) s.rateLimited += 1;
      else if (c.status >= 500) s.serverErrors += 1;
      else if (c.response.ok) s.ok += 1;
      else s.errors += 1;
    }
    return out;
  }

  messagesIn(channel: string): FakeMessage[] {
    const id = this.s.channelOrDm(channel);
    return this.messages.filter((m) => m.channel === id && !m.deleted);
  }

  filesIn(channel: string): FakeFile[] {
    const id = this.s.channelOrDm(channel);
    return this.files.filter((f) => f.completed && f.channels.includes(id));
  }

  homeView(userId: string): FakeView | undefined {
    return this.s.homeView(userId);
  }

  dmChannelFor(userId: string): string {
    return this.s.dmChannelFor(userId);
  }

  responseUrl(id?: string): string {
    const key = id ?? `${this.team.id}/${++this.s.idCounter}/${Math.random().toString(36).slice(2, 12)}`;
    if (!this.s.responseUrls.has(key)) this.s.responseUrls.set(key, { createdAt: this.s.now(), uses: 0 });
    return `${this.url}/response/${key}`;
  }

  responsePostsTo(urlOrId: string): ResponseUrlPost[] {
    return this.responsePosts.filter((p) => p.url === urlOrId || p.id === urlOrId);
  }

  issueTriggerId(userId?: string): string {
    const id = makeTriggerId(this.s.now());
    this.s.triggers.set(id, { issuedAt: this.s.now(), userId, used: false });
    return id;
  }

  // ---------------------------------------------------------------- configuration

  addUser(user: FakeSlackUser): void {
    this.s.users.set(user.id, user);
  }

  addChannel(channel: FakeSlackChannel): void {
    this.s.channels.set(channel.id, channel);
  }

  addToken(token: string): void {
    this.s.tokens.add(token);
    this.s.revoked.delete(token);
  }

  revokeToken(token: string): void {
    this.s.revoked.add(token);
  }

  setLatency(method: string, ms: number): void {
    if (ms > 0) this.api.latency.set(method, ms);
    else this.api.latency.delete(method);
  }

  failNext(method: string, spec: FailureSpec = {}): void {
    this.api.failures.set(method, { ...spec, count: spec.count ?? 1 });
  }

  setRandomFailures(options: RandomFailureOptions | undefined): void {
    this.api.setRandomFailures(options);
  }

  setRateLimiting(enabled: boolean): void {
    this.api.rateLimiting = enabled;
    if (!enabled) this.api.limiter.reset();
  }

  configureRateLimits(rules: Record<string, RateLimitRule>): void {
    this.api.limiter.configure(rules);
  }

  override(method: string, handler: MethodOverride | undefined): void {
    if (handler) this.api.overrides.set(method, handler);
    else this.api.overrides.delete(method);
  }

  onCall(listener: (call: RecordedCall) => void): () => void {
    this.s.events.on('call', listener);
    return () => this.s.events.off('call', listener);
  }

  waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 3000): Promise<RecordedCall> {
    return this.waitOn('call', this.calls, (c: RecordedCall) => c.method === method && predicate(c), timeoutMs, `a ${method} call`);
  }

  waitForResponsePost(predicate: (post: ResponseUrlPost) => boolean = () => true, timeoutMs = 3000): Promise<ResponseUrlPost> {
    return this.waitOn('response', this.responsePosts, predicate, timeoutMs, 'a response_url post');
  }

  private waitOn<T>(event: string, existing: readonly T[], match: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = existing.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (item: T) => {
        if (!match(item)) return;
        clearTimeout(timer);
        this.s.events.off(event, listener);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.s.events.off(event, listener);
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.s.events.on(event, listener);
    });
  }

  reset(): void {
    this.s.reset();
    this.api.reset();
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    if (url.pathname.startsWith('/upload/v1/') && req.method === 'POST') return handleUpload(this.s, req, res, url, body);
    const raw = body.toString('utf8');
    if (url.pathname.startsWith('/api/')) return this.api.handle(req, res, url, raw);
    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      return handleResponseUrl(this.s, res, url.pathname.slice('/response/'.length), raw, req.headers['content-type'] ?? '');
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts the fake Web API on 127.0.0.1 at a free port. Always `await fake.close()` in afterAll.
 */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const fake = new FakeSlackApiServer(options);
  await fake.listen();
  return fake;
}
