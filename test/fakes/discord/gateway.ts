/**
 * The Gateway v10 side of the fake, on the same port as REST: HELLO, IDENTIFY (token, intents,
 * shard checks), READY and one GUILD_CREATE per guild, heartbeats, RESUME with replay of missed
 * events, zlib-stream compression, and the dispatches the world and the route groups send
 * (INTERACTION_CREATE, THREAD_CREATE, MESSAGE_CREATE echoes, GUILD_DELETE, ...).
 */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { WebSocket, type RawData } from 'ws';
import type { IdentifyRecord } from './types.ts';
import { isObj, type Obj } from './validation.ts';
import type { DiscordWorld } from './world.ts';

const GATEWAY_VERSION = 10;
const KNOWN_INTENTS = (1 << 26) - 1;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;

interface Conn {
  ws: WebSocket;
  session: Session | null;
  deflate: zlib.Deflate | null;
  chunks: Buffer[];
  chain: Promise<void>;
}

interface Session {
  id: string;
  conn: Conn | null;
  seq: number;
  intents: number;
  shard: [number, number];
  buffer: Array<{ s: number; payload: Obj }>;
}

/** Sessions survive dropped connections (for RESUME) and keep the last 1000 dispatches to replay. */
export class Gateway {
  private readonly sessions = new Map<string, Session>();
  private readonly conns = new Set<Conn>();

  constructor(private readonly w: DiscordWorld) {}

  /** Dispatches an event (op 0) with the next sequence number to every live session; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      this.dispatchTo(s, t, d);
      n++;
    }
    return n;
  }

  /** Dispatches GUILD_CREATE for a guild to every session, each with the members its intents allow; returns the last payload. */
  guildCreate(id: string): Obj {
    let payload: Obj = this.w.guildPayload(id);
    for (const s of this.sessions.values()) {
      payload = this.w.guildPayload(id, s.intents);
      this.dispatchTo(s, 'GUILD_CREATE', payload);
    }
    return payload;
  }

  /** Real Discord echoes the bot's own messages as MESSAGE_CREATE when the matching intent is on. */
  echoMessageCreate(msg: Obj, channel: Obj): void {
    const needed = channel.type === 1 ? INTENT_DIRECT_MESSAGES : INTENT_GUILD_MESSAGES;
    for (const s of this.sessions.values()) if (s.intents & needed) this.dispatchTo(s, 'MESSAGE_CREATE', msg);
  }

  /** Sends op 7 RECONNECT: clients should reconnect and RESUME. */
  requestReconnect(): void {
    for (const c of this.conns) this.sendPayload(c, { op: 7, d: null, s: null, t: null });
  }

  /** Closes every gateway connection with `code` (4000 = resumable unknown error). Sessions stay resumable. */
  dropConnections(code = 4000, reason = 'fake: dropped'): void {
    for (const c of this.conns) c.ws.close(code, reason);
  }

  /** Sends op 9 INVALID_SESSION to all; non-resumable sessions are forgotten. */
  invalidateSessions(resumable = false): void {
    for (const c of this.conns) this.sendPayload(c, { op: 9, d: resumable, s: null, t: null });
    if (!resumable) {
      for (const c of this.conns) c.session = null;
      this.sessions.clear();
    }
  }

  /** Number of open gateway connections. */
  get connectionCount(): number {
    return this.conns.size;
  }

  /** Closes every connection and forgets every session. */
  close(): void {
    for (const c of this.conns) {
      c.deflate?.close();
      c.ws.terminate();
    }
    this.conns.clear();
    this.sessions.clear();
  }

  handleConnection(ws: WebSocket, req: http.IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const conn: Conn = { ws, session: null, deflate: null, chunks: [], chain: Promise.resolve() };
    this.conns.add(conn);
    ws.on('close', (code) => {
      this.conns.delete(conn);
      conn.deflate?.close();
      const s = conn.session;
      if (s && s.conn === conn) {
        s.conn = null;
        if (code === 1000 || code === 1001) this.sessions.delete(s.id);
      }
    });
    ws.on('error', () => undefined);
    this.w.emit('connection', Object.fromEntries(url.searchParams));
    if (url.searchParams.get('v') !== String(GATEWAY_VERSION)) {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if ((url.searchParams.get('encoding') ?? 'json') !== 'json') {
      ws.close(4002, 'Error while decoding payload (fake supports encoding=json only)');
      return;
    }
    const compress = url.searchParams.get('compress');
    if (compress === 'zlib-stream') {
      conn.deflate = zlib.createDeflate();
      conn.deflate.on('data', (chunk: Buffer) => conn.chunks.push(chunk));
    } else if (compress !== null) {
      ws.close(4002, `Unsupported compression ${compress}`);
      return;
    }
    ws.on('message', (data: RawData, isBinary: boolean) => this.onGatewayMessage(conn, data, isBinary));
    this.sendPayload(conn, { op: 10, d: { heartbeat_interval: this.w.opts.heartbeatInterval, _trace: ['["fake-discord",{"micros":0}]'] }, s: null, t: null });
  }

  private sendPayload(conn: Conn, payload: Obj): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(payload);
    const deflate = conn.deflate;
    if (!deflate) {
      conn.ws.send(text);
      return;
    }
    conn.chain = conn.chain.then(
      () =>
        new Promise<void>((resolve) => {
          deflate.write(text);
          deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            const out = Buffer.concat(conn.chunks);
            conn.chunks = [];
            if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(out);
            resolve();
          });
        }),
    );
  }

  private dispatchTo(s: Session, t: string, d: unknown): void {
    const payload = { op: 0, t, s: ++s.seq, d };
    s.buffer.push({ s: s.seq, payload });
    if (s.buffer.length > 1000) s.buffer.shift();
    if (s.conn) this.sendPayload(s.conn, payload);
  }

  private onGatewayMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    let payload: Obj;
    try {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data);
      const parsed: unknown = JSON.parse(text);
      if (!isObj(parsed)) throw new Error('not an object');
      payload = parsed;
    } catch {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = isObj(payload.d) ? payload.d : {};
    switch (payload.op) {
      case 1:
        this.w.heartbeats++;
        this.w.emit('heartbeat', payload.d);
        this.sendPayload(conn, { op: 11, d: null, s: null, t: null });
        return;
      case 2:
        this.onIdentify(conn, d);
        return;
      case 6:
        this.onResume(conn, d);
        return;
      case 3:
      case 4:
      case 8:
      case 31:
        if (!conn.session) conn.ws.close(4003, 'Not authenticated.');
        return;
      default:
        conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  private onIdentify(conn: Conn, d: Obj): void {
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.w.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const intents = typeof d.intents === 'number' ? d.intents : -1;
    if (intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      conn.ws.close(4013, 'Invalid intent(s).');
      return;
    }
    const privileged = intents & PRIVILEGED_INTENTS;
    if (this.w.opts.privilegedIntents !== 'all' && (privileged & ~this.w.opts.privilegedIntents) !== 0) {
      conn.ws.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard: [number, number] = Array.isArray(d.shard) && d.shard.length === 2 ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (shard[0] >= shard[1] || shard[1] < 1) {
      conn.ws.close(4010, 'Invalid shard.');
      return;
    }
    const session: Session = { id: randomBytes(16).toString('hex'), conn, seq: 0, intents, shard, buffer: [] };
    conn.session = session;
    this.sessions.set(session.id, session);
    const record: IdentifyRecord = { sessionId: session.id, intents, shard, properties: d.properties, compress: d.compress === true, at: Date.now() };
    this.w.identifies.push(record);
    const guildIds = [...this.w.guilds.keys()].filter((id) => Number((BigInt(id) >> 22n) % BigInt(shard[1])) === shard[0]);
    this.dispatchTo(session, 'READY', {
      v: GATEWAY_VERSION,
      user: { ...this.w.botUser, verified: true, mfa_enabled: true, email: null },
      user_settings: {},
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['us-east'],
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: this.w.gatewayUrl,
      shard,
      application: { id: this.w.applicationId, flags: 0 },
      auth: {},
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    for (const id of guildIds) this.dispatchTo(session, 'GUILD_CREATE', this.w.guildPayload(id, intents));
    this.w.emit('identify', record);
  }

  private onResume(conn: Conn, d: Obj): void {
    if (d.token !== this.w.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(String(d.session_id));
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (!session || seq > session.seq) {
      this.sendPayload(conn, { op: 9, d: false, s: null, t: null });
      return;
    }
    if (session.conn && session.conn !== conn) session.conn.ws.close(4000, 'Session resumed elsewhere');
    session.conn = conn;
    conn.session = session;
    for (const item of session.buffer) if (item.s > seq) this.sendPayload(conn, item.payload);
    this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord",{"micros":0}]'] });
    this.w.emit('resume', { sessionId: session.id, seq });
  }
}
