import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { SimLogger } from '../logger.ts';
import type { SimStore } from '../state/store.ts';
import type { JsonObject } from '../state/types.ts';
import { GatewaySession } from './gateway-session.ts';
import { memberChunk } from './member-chunk.ts';
import { GatewayCloseCode, GatewayOpcode } from './opcodes.ts';
import type { GatewayPayload } from './opcodes.ts';
import { botGuilds, guildCreatePayload, readyPayload } from './ready-payloads.ts';
import { ZlibStreamEncoder } from './zlib-stream.ts';

export interface GatewayServerOptions {
  store: SimStore;
  logger: SimLogger;
  /** The URL clients should resume on (READY's resume_gateway_url), from the Host they used. */
  gatewayUrl: (host?: string) => string;
  heartbeatIntervalMs: number;
}

/** How long a disconnected session stays resumable. */
const SESSION_RESUME_WINDOW_MS = 5 * 60 * 1000;

/** One gateway frame, as the simulator saw it. */
export interface GatewayLogEntry {
  time: number;
  /** 'in' from a client, 'out' to a client. */
  direction: 'in' | 'out';
  op: number;
  /** Dispatch event name (op 0), else null. */
  t: string | null;
  s: number | null;
  sessionId: string | null;
}

const GATEWAY_LOG_LIMIT = 10_000;

interface Connection {
  socket: WebSocket;
  host: string | undefined;
  session: GatewaySession | null;
  encoder: ZlibStreamEncoder | null;
  queue: Promise<void>;
}

/** Discord's Gateway (v10, JSON, optional zlib-stream) over the simulator's HTTP server. */
export class GatewayServer {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #options: GatewayServerOptions;
  readonly #sessions = new Map<string, GatewaySession>();
  readonly #connections = new Set<Connection>();
  readonly #log: GatewayLogEntry[] = [];

  constructor(options: GatewayServerOptions) {
    this.#options = options;
  }

  /** Frames in and out (op, event name, sequence), oldest first; the newest 10000 are kept. */
  get log(): GatewayLogEntry[] {
    return [...this.#log];
  }

  #record(
    connection: Connection,
    direction: 'in' | 'out',
    op: number,
    t: string | null,
    s: number | null,
  ): void {
    this.#log.push({
      time: Date.now(),
      direction,
      op,
      t,
      s,
      sessionId: connection.session?.id ?? null,
    });
    if (this.#log.length > GATEWAY_LOG_LIMIT) this.#log.shift();
  }

  get sessions(): GatewaySession[] {
    return [...this.#sessions.values()];
  }

  /** Number of sockets that have identified or resumed and are open. */
  get connectedSessionCount(): number {
    return [...this.#connections].filter(
      (c) => c.session !== null && c.socket.readyState === WebSocket.OPEN,
    ).length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#accept(ws, url.searchParams, req.headers.host);
    });
  }

  /** Sends a dispatch to every identified session (filtered by intent and by shard for guild events). */
  dispatch(event: string, data: JsonObject, intent?: number): void {
    const guildId =
      typeof data.guild_id === 'string'
        ? data.guild_id
        : event === 'GUILD_CREATE'
          ? (data.id as string)
          : null;
    for (const session of this.#sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      if (!session.receivesGuild(guildId)) continue;
      session.dispatch(event, data);
    }
  }

  /** Asks every connected client to reconnect and resume (op 7), as Discord does before maintenance. */
  requestReconnect(): void {
    for (const connection of this.#connections) {
      this.#send(connection, { op: GatewayOpcode.Reconnect, d: null, s: null, t: null });
    }
  }

  /** Drops every socket without invalidating sessions, so clients resume. */
  dropConnections(code = 4000): void {
    for (const connection of this.#connections)
      connection.socket.close(code, 'Dropped by discord-sim');
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    await new Promise<void>((resolve) => {
      this.#wss.close(() => {
        resolve();
      });
    });
  }

  #accept(socket: WebSocket, params: URLSearchParams, host: string | undefined): void {
    const compress = params.get('compress');
    const connection: Connection = {
      socket,
      host,
      session: null,
      encoder: compress === 'zlib-stream' ? new ZlibStreamEncoder() : null,
      queue: Promise.resolve(),
    };
    this.#connections.add(connection);
    const logger = this.#options.logger;
    const version = params.get('v');
    if (version !== null && version !== '10' && version !== '9') {
      socket.close(GatewayCloseCode.InvalidApiVersion, 'Invalid API version');
    } else if ((params.get('encoding') ?? 'json') !== 'json') {
      socket.close(GatewayCloseCode.DecodeError, 'Only JSON encoding is supported');
    }
    socket.on('message', (raw: RawData) => {
      this.#onMessage(connection, raw);
    });
    socket.on('close', (code: number) => {
      this.#connections.delete(connection);
      connection.encoder?.close();
      const session = connection.session;
      if (session?.owner === connection) {
        session.sender = null;
        session.owner = null;
        session.disconnectedAt = Date.now();
        // Closing with 1000/1001 ends the session; any other code leaves it resumable.
        if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
      }
      logger.debug({ code, sessionId: session?.id }, 'discord-sim gateway connection closed');
    });
    socket.on('error', (error) => {
      logger.warn({ err: error }, 'discord-sim gateway socket error');
    });
    this.#send(connection, {
      op: GatewayOpcode.Hello,
      d: { heartbeat_interval: this.#options.heartbeatIntervalMs, _trace: ['["discord-sim",{}]'] },
      s: null,
      t: null,
    });
  }

  #send(connection: Connection, payload: GatewayPayload): void {
    this.#record(connection, 'out', payload.op, payload.t, payload.s);
    const text = JSON.stringify(payload);
    const { socket, encoder } = connection;
    connection.queue = connection.queue
      .then(async () => {
        if (socket.readyState !== WebSocket.OPEN) return;
        if (encoder) socket.send(await encoder.encode(text), { binary: true });
        else socket.send(text);
      })
      .catch((error: unknown) => {
        this.#options.logger.warn({ err: error }, 'discord-sim gateway send failed');
      });
  }

  #onMessage(connection: Connection, raw: RawData): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(rawText(raw)) as { op?: unknown; d?: unknown };
    } catch {
      connection.socket.close(GatewayCloseCode.DecodeError, 'Decode error');
      return;
    }
    const d = (payload.d ?? null) as JsonObject | null;
    if (typeof payload.op === 'number') this.#record(connection, 'in', payload.op, null, null);
    switch (payload.op) {
      case GatewayOpcode.Heartbeat:
        this.#send(connection, { op: GatewayOpcode.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcode.Identify:
        this.#identify(connection, d ?? {});
        return;
      case GatewayOpcode.Resume:
        this.#resume(connection, d ?? {});
        return;
      case GatewayOpcode.RequestGuildMembers:
        this.#requestGuildMembers(connection, d ?? {});
        return;
      case GatewayOpcode.PresenceUpdate:
      case GatewayOpcode.VoiceStateUpdate:
        if (!connection.session)
          connection.socket.close(GatewayCloseCode.NotAuthenticated, 'Not authenticated');
        return;
      default:
        connection.socket.close(GatewayCloseCode.UnknownOpcode, 'Unknown opcode');
    }
  }

  #attach(connection: Connection, session: GatewaySession): void {
    connection.session = session;
    session.owner = connection;
    session.disconnectedAt = null;
    session.sender = (payload) => {
      this.#send(connection, payload);
    };
  }

  /** Forgets sessions nobody resumed within SESSION_RESUME_WINDOW_MS. */
  #pruneSessions(now: number): void {
    for (const [id, session] of this.#sessions) {
      if (
        session.disconnectedAt !== null &&
        now - session.disconnectedAt > SESSION_RESUME_WINDOW_MS
      ) {
        this.#sessions.delete(id);
      }
    }
  }

  #identify(connection: Connection, d: JsonObject): void {
    const { store } = this.#options;
    if (connection.session) {
      connection.socket.close(GatewayCloseCode.AlreadyAuthenticated, 'Already authenticated');
      return;
    }
    if (d.token !== store.application.botToken && d.token !== `Bot ${store.application.botToken}`) {
      connection.socket.close(GatewayCloseCode.AuthenticationFailed, 'Authentication failed');
      return;
    }
    const shard =
      Array.isArray(d.shard) && d.shard.length === 2 ? (d.shard as [number, number]) : [0, 1];
    const [shardId, shardCount] = shard as [number, number];
    if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      connection.socket.close(GatewayCloseCode.InvalidShard, 'Invalid shard');
      return;
    }
    this.#pruneSessions(Date.now());
    const session = new GatewaySession(
      store.nextId(),
      typeof d.intents === 'number' ? d.intents : 0,
      [shardId, shardCount],
    );
    this.#sessions.set(session.id, session);
    this.#attach(connection, session);
    const guilds = botGuilds(store).filter((g) => session.receivesGuild(g.id));
    session.dispatch(
      'READY',
      readyPayload(
        store,
        session.id,
        this.#options.gatewayUrl(connection.host),
        session.shard,
        guilds,
      ),
    );
    for (const guild of guilds) session.dispatch('GUILD_CREATE', guildCreatePayload(store, guild));
    this.#options.logger.debug({ sessionId: session.id }, 'discord-sim gateway session identified');
  }

  #resume(connection: Connection, d: JsonObject): void {
    const { store } = this.#options;
    const session = typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
    const tokenOk =
      d.token === store.application.botToken || d.token === `Bot ${store.application.botToken}`;
    const missed =
      session && tokenOk ? session.eventsAfter(typeof d.seq === 'number' ? d.seq : 0) : null;
    if (!session || !tokenOk || missed === null) {
      this.#send(connection, { op: GatewayOpcode.InvalidSession, d: false, s: null, t: null });
      return;
    }
    this.#attach(connection, session);
    for (const payload of missed) this.#send(connection, payload);
    session.dispatch('RESUMED', { _trace: ['["discord-sim",{}]'] });
  }

  #requestGuildMembers(connection: Connection, d: JsonObject): void {
    const session = connection.session;
    if (!session) {
      connection.socket.close(GatewayCloseCode.NotAuthenticated, 'Not authenticated');
      return;
    }
    const chunk = memberChunk(this.#options.store, d);
    session.dispatch('GUILD_MEMBERS_CHUNK', chunk);
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}
