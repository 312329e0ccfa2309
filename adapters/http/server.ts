import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../../src/index.ts';

/**
 * The one HTTP server of a Circulate process, platform-neutral: the Slack
 * adapter registers its routes on it (events, OAuth), and `/healthz` and
 * `/readyz` are always there for orchestrators. Everything a client can send is
 * bounded here, before any route sees it: body size (refused from the
 * Content-Length header, before reading), header and request timeouts, idle
 * keep-alive, and the number of open connections. Unknown paths answer 404,
 * known paths with the wrong method 405 with `Allow`. Nothing a client sends
 * can throw out of this server.
 */

/** A readiness check: true or 'ok' is ready; false, another string or a throw is not (the string says why). */
export type ReadinessCheck = () => Promise<boolean | string | unknown>;

export interface HttpServerOptions {
  log: Logger;
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Interface (default all). */
  host?: string;
  /** Larger request bodies are refused with 413 (default 1 MiB). */
  bodyLimit?: number;
  /** A whole request (headers and body) must arrive within this (default 10 s); slower ones get 408. */
  requestTimeoutMs?: number;
  /** Headers must arrive within this (default 5 s, at most the request timeout). */
  headersTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this (default 65 s: longer than common proxies' idle timeout). */
  keepAliveTimeoutMs?: number;
  /** A socket with no traffic at all is closed after this (default 30 s). */
  connectionTimeoutMs?: number;
  /** More simultaneous connections are dropped at once, with a warning in the log (default 1024). */
  maxConnections?: number;
  /** Fastify's trustProxy: true, or addresses/CIDRs of proxies whose X-Forwarded-* are believed. */
  trustProxy?: boolean | string;
  /** Readiness checks by name, run on every /readyz. More can be added with {@link HttpServer.addReadinessCheck}. */
  checks?: Record<string, ReadinessCheck>;
  /** The longest one readiness check may take before it counts as failed (default 2 s). */
  checkTimeoutMs?: number;
  /** Minimum time between two "connection limit reached" warnings (default 60 s). */
  dropLogIntervalMs?: number;
}

export interface HttpServer {
  /** Register routes and plugins here before {@link listen}. */
  readonly fastify: FastifyInstance;
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /** Runs every readiness check once. */
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
  /** Starts listening; resolves with the port. */
  listen(): Promise<number>;
  /** The port once listening (0 before). */
  readonly port: number;
  /** Connections dropped because the cap was reached, since start. */
  readonly dropped: number;
  /**
   * Stops accepting connections at once, lets requests in flight finish for up
   * to `graceMs` (default 3 s), then closes every connection.
   */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export const HTTP_DEFAULTS = {
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  keepAliveTimeoutMs: 65_000,
  connectionTimeoutMs: 30_000,
  maxConnections: 1024,
} as const;

/**
 * TRUST_PROXY as Fastify takes it: true/false, or comma-separated addresses/CIDRs.
 * (Fastify ignores hop counts on purpose; config.ts refuses them.)
 */
export function parseTrustProxy(value: string | undefined): boolean | string {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return v;
}

/** The server's limits from the validated configuration. */
export function httpOptionsFromConfig(config: {
  PORT: number;
  HTTP_MAX_CONNECTIONS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  TRUST_PROXY?: string | undefined;
}): Pick<HttpServerOptions, 'port' | 'maxConnections' | 'requestTimeoutMs' | 'trustProxy'> {
  return {
    port: config.PORT,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
  };
}

/** A short, secret-free reason from whatever a check threw. */
function reasonOf(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const text = typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 120) || 'failed';
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    if (result === false) return 'failing';
    if (typeof result === 'string') return result;
    return 'ok';
  } catch (error) {
    return reasonOf(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the server (not listening yet). */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { log } = options;
  const requestTimeout = options.requestTimeoutMs ?? HTTP_DEFAULTS.requestTimeoutMs;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs, requestTimeout);
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? HTTP_DEFAULTS.keepAliveTimeoutMs;
  const connectionTimeout = options.connectionTimeoutMs ?? HTTP_DEFAULTS.connectionTimeoutMs;
  const maxConnections = options.maxConnections ?? HTTP_DEFAULTS.maxConnections;
  const checks = new Map(Object.entries(options.checks ?? {}));
  const checkTimeoutMs = options.checkTimeoutMs ?? 2000;
  const dropLogIntervalMs = options.dropLogIntervalMs ?? 60_000;

  let server!: Server;
  const fastify = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // While closing, new requests on kept-alive connections get 503 and the connection is closed.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Our own http.Server, so every timeout is ours (Fastify leaves a factory's server alone).
    serverFactory: (handler) => {
      server = createServer(
        {
          requestTimeout,
          headersTimeout,
          keepAliveTimeout,
          // How often Node checks the request and header timeouts (its default, 30 s, would let them run long).
          connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(headersTimeout / 2))),
        },
        handler as (req: IncomingMessage, res: ServerResponse) => void,
      );
      server.setTimeout(connectionTimeout);
      server.maxConnections = maxConnections;
      return server;
    },
  }) as unknown as FastifyInstance;

  // Connections over the cap are dropped by Node before any request is read; say so, at most once a minute.
  let dropped = 0;
  let droppedSinceLog = 0;
  let lastDropLog = -Infinity;
  server.on('drop', () => {
    dropped++;
    droppedSinceLog++;
    const now = performance.now();
    if (now - lastDropLog >= dropLogIntervalMs) {
      log.warn({ maxConnections, dropped: droppedSinceLog }, 'HTTP connection limit reached; new connections are being refused');
      lastDropLog = now;
      droppedSinceLog = 0;
    }
  });
  // Malformed HTTP, header overflow and request timeouts are answered (400/431/408) and the socket
  // closed by Fastify's clientError handler; a reset connection is simply dropped.

  // Which methods each path answers, for 405 + Allow on the others.
  const allowed = new Map<string, Set<string>>();
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const set = allowed.get(route.url) ?? new Set<string>();
    methods.forEach((m) => set.add(m));
    allowed.set(route.url, set);
  });

  fastify.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A body sent to a path that takes none is not read: the connection closes after the answer.
    if (request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined) reply.header('Connection', 'close');
    const methods = allowed.get(path);
    if (methods) {
      return reply.code(405).header('Allow', [...methods].sort().join(', ')).type('text/plain').send('Method Not Allowed');
    }
    return reply.code(404).type('text/plain').send('Not Found');
  });

  fastify.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) log.error({ err: error, method: request.method, path: request.url.split('?')[0] }, 'HTTP request failed');
    else log.debug({ code: error.code, status, path: request.url.split('?')[0] }, 'HTTP request refused');
    if (reply.sent || reply.raw.headersSent) return;
    return reply.code(status).type('text/plain').send(status >= 500 ? 'Internal Server Error' : (error.code ?? 'Bad Request'));
  });

  const readiness = async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
    const entries = await Promise.all([...checks].map(async ([name, check]) => [name, await runCheck(check, checkTimeoutMs)] as const));
    const results = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r === 'ok'), checks: results };
  };

  fastify.get('/healthz', (_request, reply) => reply.type('text/plain').send('ok'));
  fastify.get('/readyz', async (_request, reply) => {
    const result = await readiness();
    return reply.code(result.ready ? 200 : 503).send(result);
  });

  let port = 0;
  let closing: Promise<void> | null = null;
  return {
    fastify,
    addReadinessCheck(name, check) {
      checks.set(name, check);
    },
    readiness,
    async listen() {
      try {
        await fastify.listen({ port: options.port, host: options.host ?? '::' });
      } catch (error) {
        // All interfaces: IPv6 and IPv4 where the host has IPv6, IPv4 alone otherwise.
        if (options.host !== undefined || (error as { code?: string }).code !== 'EADDRNOTAVAIL') throw error;
        await fastify.listen({ port: options.port, host: '0.0.0.0' });
      }
      port = (server.address() as AddressInfo).port;
      log.info({ port, maxConnections, requestTimeoutMs: requestTimeout, bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT }, 'HTTP server listening');
      return port;
    },
    get port() {
      return port;
    },
    get dropped() {
      return dropped;
    },
    close(graceMs = 3000) {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            // Slow or stuck clients do not hold the shutdown up.
            server.closeAllConnections();
            resolve();
          }, graceMs);
        });
        try {
          await Promise.race([fastify.close(), grace]);
        } finally {
          clearTimeout(timer);
          server.closeAllConnections();
        }
      })();
      return closing;
    },
  };
}
