import type { AddressInfo } from 'node:net';
import {
  type ClientPayload,
  CloseCode,
  type DispatchData,
  type DispatchEvent,
  decodeClientFrame,
  defaultLimits,
  encode,
  type ServerPayload,
  serverMessage,
  topics,
  type VoiceState,
} from '@miscord/protocol';
import { type WebSocket, WebSocketServer } from 'ws';

interface Session {
  readonly id: string;
  readonly userId: string;
  seq: number;
  /** Every dispatch sent, for replay on RESUME. */
  readonly sent: ServerPayload[];
  readonly topics: Set<string>;
  socket: WebSocket | null;
}

export interface FakeConnection {
  readonly socket: WebSocket;
  readonly connectionId: string;
  readonly received: ClientPayload[];
  session: Session | null;
  closedWith: { code: number; reason: string } | null;
}

/**
 * A small gateway speaking protocol v1 on 127.0.0.1:0, with switches to misbehave: stop acking
 * heartbeats, refuse tokens, close with a code, ask for RECONNECT, send INVALID_SESSION.
 */
export class FakeGateway {
  readonly server: WebSocketServer;
  readonly connections: FakeConnection[] = [];
  readonly sessions = new Map<string, Session>();
  readonly voiceStates = new Map<string, VoiceState>();
  heartbeatIntervalMs = 200;
  resumeWindowMs = 60_000;
  ackHeartbeats = true;
  /** Close every new socket at once with this code (connection refused, in effect). */
  refuseWith: number | null = null;
  signalsRelayed = 0;
  readonly speaking: Array<{ userId: string; speaking: number }> = [];
  #nextId = 1;

  private constructor(server: WebSocketServer) {
    this.server = server;
    server.on('connection', (socket) => this.#onConnection(socket));
  }

  static async start(): Promise<FakeGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FakeGateway(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws?v=1`;
  }

  /** Sockets open right now. */
  get openCount(): number {
    return this.connections.filter((c) => c.closedWith === null).length;
  }

  get latest(): FakeConnection {
    const last = this.connections.at(-1);
    if (!last) throw new Error('no connection yet');
    return last;
  }

  receivedOps(conn: FakeConnection = this.latest): number[] {
    return conn.received.map((m) => m.op);
  }

  /** Send a dispatch to one session (buffered for replay if its socket is gone). */
  dispatch<T extends DispatchEvent>(session: Session, t: T, d: DispatchData<T>): void {
    session.seq++;
    const payload = serverMessage.dispatch(t, session.seq, d) as ServerPayload;
    session.sent.push(payload);
    session.socket?.send(encode(payload));
  }

  /** Apply a voice state and tell every session subscribed to its channel (and the user). */
  setVoiceState(state: VoiceState): void {
    const previous = this.voiceStates.get(state.userId);
    if (state.channelId === null) this.voiceStates.delete(state.userId);
    else this.voiceStates.set(state.userId, state);
    const channels = new Set([previous?.channelId, state.channelId].filter((c): c is string => !!c));
    for (const session of this.sessions.values()) {
      const here = this.voiceStates.get(session.userId)?.channelId ?? null;
      const watching = [...channels].some((c) => session.topics.has(topics.voice(c)) || c === here);
      if (watching || session.userId === state.userId) this.dispatch(session, 'VOICE_STATE', state);
    }
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #onConnection(socket: WebSocket): void {
    const conn: FakeConnection = {
      socket,
      connectionId: `conn-${this.#nextId++}`,
      received: [],
      session: null,
      closedWith: null,
    };
    this.connections.push(conn);
    socket.on('close', (code, reason) => {
      conn.closedWith = { code, reason: reason.toString() };
      if (conn.session && conn.session.socket === socket) conn.session.socket = null;
    });
    if (this.refuseWith !== null) {
      if (this.refuseWith === 1006) socket.terminate();
      else socket.close(this.refuseWith, 'refused');
      return;
    }
    socket.on('message', (data, isBinary) => {
      const decoded = decodeClientFrame(data as Buffer, { binary: isBinary });
      if (!decoded.ok) {
        if (decoded.error.kind === 'close') socket.close(decoded.error.closeCode, decoded.error.reason);
        return;
      }
      conn.received.push(decoded.message);
      this.#onMessage(conn, decoded.message);
    });
    socket.send(
      encode(
        serverMessage.hello({
          heartbeatInterval: this.heartbeatIntervalMs,
          connectionId: conn.connectionId,
          nodeId: 'node-test',
          resumeWindow: this.resumeWindowMs,
        }),
      ),
    );
  }

  #onMessage(conn: FakeConnection, message: ClientPayload): void {
    const { socket } = conn;
    switch (message.op) {
      case 1:
        if (this.ackHeartbeats) socket.send(encode(serverMessage.heartbeatAck()));
        return;
      case 2: {
        if (message.d.token === 'bad') {
          socket.close(CloseCode.AuthenticationFailed, 'authentication failed');
          return;
        }
        const userId = message.d.token.replace(/^token-/, '');
        const session: Session = {
          id: `sess-${this.#nextId++}`,
          userId,
          seq: 0,
          sent: [],
          topics: new Set(),
          socket,
        };
        this.sessions.set(session.id, session);
        conn.session = session;
        this.dispatch(session, 'READY', {
          sessionId: session.id,
          user: { id: userId, displayName: userId },
          spaces: [
            {
              id: 'space-1',
              name: 'Space',
              channels: [{ id: 'lobby', name: 'Lobby', kind: 'voice', userLimit: 0 }],
            },
          ],
          voiceStates: [...this.voiceStates.values()],
          iceServers: [],
          limits: {
            maxFrameBytes: defaultLimits.maxFrameBytes,
            maxSignalBytes: defaultLimits.maxSignalBytes,
            maxControlBytes: defaultLimits.maxControlBytes,
            control: defaultLimits.control,
            signal: defaultLimits.signal,
            speaking: defaultLimits.speaking,
            subscribe: defaultLimits.subscribe,
            maxTopicsPerConnection: defaultLimits.maxTopicsPerConnection,
            maxTopicsPerRequest: defaultLimits.maxTopicsPerRequest,
          },
        });
        return;
      }
      case 6: {
        const session = this.sessions.get(message.d.sessionId);
        if (!session || message.d.seq > session.seq) {
          socket.send(encode(serverMessage.invalidSession(false)));
          return;
        }
        session.socket = socket;
        conn.session = session;
        const missed = session.sent.filter((p) => p.op === 0 && p.s > message.d.seq);
        for (const p of missed) socket.send(encode(p));
        this.dispatch(session, 'RESUMED', { replayed: missed.length });
        return;
      }
      case 8: {
        const session = conn.session;
        if (!session) return;
        if (message.d.topics.includes('voice:forbidden')) {
          socket.send(
            encode(
              serverMessage.error({
                code: 'INVALID_TOPIC',
                message: 'no such channel',
                op: 8,
                id: message.d.id,
              }),
            ),
          );
          return;
        }
        for (const t of message.d.topics) session.topics.add(t);
        const channels = new Set(message.d.topics.map((t) => topics.channelOf(t)));
        this.dispatch(session, 'SUBSCRIBE_ACK', {
          id: message.d.id,
          topics: message.d.topics,
          voiceStates: [...this.voiceStates.values()].filter((s) => channels.has(s.channelId ?? undefined)),
        });
        return;
      }
      case 12: {
        const session = conn.session;
        if (!session) return;
        for (const t of message.d.topics) session.topics.delete(t);
        this.dispatch(session, 'UNSUBSCRIBE_ACK', { id: message.d.id, topics: message.d.topics });
        return;
      }
      case 4: {
        const session = conn.session;
        if (!session) return;
        this.setVoiceState({
          userId: session.userId,
          sessionId: session.id,
          displayName: session.userId,
          channelId: message.d.channelId,
          selfMute: message.d.selfMute,
          selfDeaf: message.d.selfDeaf,
          streaming: message.d.streaming ?? false,
        });
        return;
      }
      case 5: {
        const from = conn.session;
        const channelId = from ? this.voiceStates.get(from.userId)?.channelId : undefined;
        const target = [...this.sessions.values()].find(
          (x) => x.userId === message.d.to && x.socket && this.voiceStates.get(x.userId)?.sessionId === x.id,
        );
        if (!from || !target || !channelId || this.voiceStates.get(target.userId)?.channelId !== channelId) {
          socket.send(
            encode(
              serverMessage.error({
                code: 'PEER_NOT_IN_CHANNEL',
                message: `SIGNAL: ${message.d.to} is not here`,
                op: 5,
              }),
            ),
          );
          return;
        }
        this.signalsRelayed++;
        this.dispatch(target, 'SIGNAL', { from: from.userId, data: message.d.data });
        return;
      }
      case 13: {
        const from = conn.session;
        const channelId = from ? this.voiceStates.get(from.userId)?.channelId : undefined;
        if (!from || !channelId) return;
        this.speaking.push({ userId: from.userId, speaking: message.d.speaking });
        for (const other of this.sessions.values()) {
          if (other.userId !== from.userId && this.voiceStates.get(other.userId)?.channelId === channelId)
            this.dispatch(other, 'SPEAKING', {
              userId: from.userId,
              channelId,
              speaking: message.d.speaking,
            });
        }
        return;
      }
      default:
        return;
    }
  }
}

/** Poll until `check` returns truthy (robust on a loaded machine; no fixed sleeps). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
