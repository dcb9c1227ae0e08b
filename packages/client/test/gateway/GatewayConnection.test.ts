import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GatewayError } from '../../src/gateway/errors';
import type { GatewayState } from '../../src/gateway/events';
import { GatewayConnection, type GatewayConnectionOptions } from '../../src/gateway/GatewayConnection';
import { DefaultReconnectPolicy, type ReconnectContext } from '../../src/gateway/ReconnectPolicy';
import { closeGatewayConnection, getGatewayConnection } from '../../src/gateway/sharedConnection';
import type { WebSocketConstructor } from '../../src/gateway/WebSocketLike';
import { FakeGateway, waitFor } from '../helpers/FakeGateway';

let gateway: FakeGateway;
const connections: GatewayConnection[] = [];

beforeEach(async () => {
  gateway = await FakeGateway.start();
});

afterEach(async () => {
  for (const c of connections.splice(0)) c.close('test over');
  closeGatewayConnection();
  await gateway.close();
});

function connectionFor(overrides: Partial<GatewayConnectionOptions> = {}): GatewayConnection {
  const conn = new GatewayConnection({
    url: gateway.url,
    getToken: () => 'token-alice',
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnectPolicy: new DefaultReconnectPolicy({ delaysMs: [20, 40, 80], jitter: 0 }),
    invalidSessionDelayMs: [10, 30],
    client: { kind: 'desktop', version: '0.1.0', platform: 'test' },
    ...overrides,
  });
  connections.push(conn);
  return conn;
}

function recordStates(conn: GatewayConnection): string[] {
  const seen: string[] = [conn.state.status];
  conn.on('stateChange', (_old, next) => seen.push(next.status));
  return seen;
}

/** Watches the server for the whole test: never two sockets open at once. */
function watchSingleSocket(): () => number {
  let max = 0;
  const timer = setInterval(() => {
    max = Math.max(max, gateway.openCount);
  }, 2);
  return () => {
    clearInterval(timer);
    return max;
  };
}

describe('GatewayConnection', () => {
  it('connects, identifies and becomes ready through the expected states on one socket', async () => {
    const conn = connectionFor();
    const states = recordStates(conn);
    const ready = conn.connect();
    const again = conn.connect();
    await Promise.all([ready, again]);
    await conn.connect(); // already ready: resolves at once
    expect(states).toEqual(['idle', 'connecting', 'identifying', 'ready']);
    expect(gateway.connections).toHaveLength(1);
    expect(conn.userId).toBe('alice');
    const state = conn.state as Extract<GatewayState, { status: 'ready' }>;
    expect(state.resumed).toBe(false);
    expect(state.sessionId).toBe(conn.sessionId);
    const identify = gateway.latest.received.find((m) => m.op === 2);
    expect(identify?.d).toEqual({
      token: 'token-alice',
      kind: 'desktop',
      version: '0.1.0',
      platform: 'test',
    });
  });

  it('getGatewayConnection returns the same connection for the same URL', async () => {
    const options = {
      url: gateway.url,
      getToken: () => 'token-bob',
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    };
    const a = getGatewayConnection(options);
    const b = getGatewayConnection(options);
    expect(b).toBe(a);
    await Promise.all([a.connect(), b.connect()]);
    expect(gateway.connections).toHaveLength(1);
  });

  it('heartbeats with the last seq and measures the round trip', async () => {
    gateway.heartbeatIntervalMs = 50;
    const conn = connectionFor();
    await conn.connect();
    await waitFor(() => gateway.latest.received.filter((m) => m.op === 1).length >= 3, 'three heartbeats');
    const beats = gateway.latest.received.filter((m) => m.op === 1);
    expect(beats.at(-1)?.d).toBe(1); // READY was s=1
    await waitFor(() => conn.getDebugInfo().heartbeat.lastRttMs !== null, 'an RTT');
    const info = conn.getDebugInfo();
    expect(info.heartbeat.intervalMs).toBe(50);
    expect(info.heartbeat.acks).toBeGreaterThanOrEqual(2);
    expect(info.messages.sent.HEARTBEAT).toBeGreaterThanOrEqual(3);
    expect(info.messages.received.READY).toBe(1);
  });

  it('detects a zombie connection (no HEARTBEAT_ACK), closes it and resumes on a new socket', async () => {
    gateway.heartbeatIntervalMs = 60;
    const conn = connectionFor();
    const maxOpen = watchSingleSocket();
    await conn.connect();
    const first = gateway.latest;
    const sessionId = conn.sessionId;
    gateway.ackHeartbeats = false;
    await waitFor(() => first.closedWith, 'the client to close the zombie');
    expect(first.closedWith?.code).toBe(4901);
    gateway.ackHeartbeats = true;
    await waitFor(() => conn.state.status === 'ready' && gateway.connections.length === 2, 'resumed');
    const resume = gateway.latest.received.find((m) => m.op === 6);
    expect(resume?.d).toEqual({ token: 'token-alice', sessionId, seq: 1 });
    expect((conn.state as Extract<GatewayState, { status: 'ready' }>).resumed).toBe(true);
    expect(conn.sessionId).toBe(sessionId);
    expect(maxOpen()).toBe(1);
  });

  it('resumes after an abnormal close and receives the dispatches it missed', async () => {
    const conn = connectionFor();
    const states = recordStates(conn);
    await conn.connect();
    const session = gateway.sessions.get(conn.sessionId as string);
    if (!session) throw new Error('no session');
    const missed: string[] = [];
    conn.on('voiceState', (s) => missed.push(`${s.userId}:${s.channelId}`));
    session.topics.add('voice:lobby');
    gateway.latest.socket.terminate(); // 1006, no close frame
    await waitFor(() => gateway.latest.closedWith, 'server side closed');
    gateway.setVoiceState({
      userId: 'bob',
      sessionId: 's-bob',
      displayName: 'bob',
      channelId: 'lobby',
      selfMute: false,
      selfDeaf: false,
      streaming: false,
    });
    await waitFor(() => conn.state.status === 'ready' && gateway.connections.length === 2, 'resumed');
    expect(missed).toEqual(['bob:lobby']);
    expect(conn.voiceStates.members('lobby').map((s) => s.userId)).toEqual(['bob']);
    expect(states).toEqual([
      'idle',
      'connecting',
      'identifying',
      'ready',
      'reconnecting',
      'connecting',
      'resuming',
      'ready',
    ]);
    expect(conn.getDebugInfo().lastClose?.code).toBe(1006);
    expect(conn.getDebugInfo().seq).toBe(3); // READY, VOICE_STATE, RESUMED
  });

  it('re-identifies after 4009 SESSION_TIMED_OUT and restores its subscriptions', async () => {
    const conn = connectionFor();
    await conn.connect();
    await conn.subscribe(['voice:lobby', 'voice:afk']);
    const firstSession = conn.sessionId;
    const readies: string[] = [];
    conn.on('ready', (d) => readies.push(d.sessionId));
    gateway.latest.socket.close(4009, 'session timed out');
    await waitFor(() => readies.length === 1 && conn.state.status === 'ready', 'a new READY');
    expect(conn.sessionId).not.toBe(firstSession);
    expect(gateway.receivedOps()).not.toContain(6);
    await waitFor(() => gateway.latest.received.some((m) => m.op === 8), 'SUBSCRIBE sent again');
    const sub = gateway.latest.received.find((m) => m.op === 8);
    if (sub?.op !== 8) throw new Error('no SUBSCRIBE');
    expect([...sub.d.topics].sort()).toEqual(['voice:afk', 'voice:lobby']);
    await waitFor(() => conn.getDebugInfo().subscriptions.confirmed.length === 2, 'confirmed again');
  });

  it('stops for good after 4004 AUTHENTICATION_FAILED and rejects connect()', async () => {
    const conn = connectionFor({ getToken: () => 'bad' });
    const states = recordStates(conn);
    await expect(conn.connect()).rejects.toBeInstanceOf(GatewayError);
    expect(conn.state.status).toBe('closed');
    const state = conn.state as Extract<GatewayState, { status: 'closed' }>;
    expect(state.lastClose?.code).toBe(4004);
    expect(state.lastClose?.action).toBe('stop');
    await new Promise((r) => setTimeout(r, 200)); // a reconnect would come within 20 ms
    expect(gateway.connections).toHaveLength(1);
    expect(states).toEqual(['idle', 'connecting', 'identifying', 'closed']);
  });

  it('backs off with the policy delays, then resets after a stable connection', async () => {
    const asked: ReconnectContext[] = [];
    const inner = new DefaultReconnectPolicy({ delaysMs: [40, 80, 160], jitter: 0 });
    const conn = connectionFor({
      reconnectPolicy: {
        nextDelayMs: (ctx) => {
          asked.push(ctx);
          return inner.nextDelayMs(ctx);
        },
      },
      stableAfterMs: 100,
    });
    const maxOpen = watchSingleSocket();
    await conn.connect();
    gateway.refuseWith = 1006;
    const openedAt: number[] = [];
    gateway.server.on('connection', () => openedAt.push(performance.now()));
    gateway.latest.socket.terminate();
    await waitFor(() => openedAt.length >= 3, 'three refused attempts');
    expect(asked.slice(0, 3).map((c) => c.attempt)).toEqual([1, 2, 3]);
    // attempts 2 and 3 came at least 80 and 160 ms after the previous refusal
    expect(openedAt[1]! - openedAt[0]!).toBeGreaterThanOrEqual(75);
    expect(openedAt[2]! - openedAt[1]!).toBeGreaterThanOrEqual(155);
    gateway.refuseWith = null;
    await waitFor(() => conn.state.status === 'ready', 'ready again', 15_000);
    await new Promise((r) => setTimeout(r, 150)); // stay up longer than stableAfterMs
    asked.length = 0;
    gateway.latest.socket.terminate();
    await waitFor(() => asked.length >= 1, 'a new delay asked');
    expect(asked[0]?.attempt).toBe(1);
    expect(maxOpen()).toBe(1);
  });

  it('pulls a resume attempt the backoff would make after the resume window to just before it ends', async () => {
    gateway.resumeWindowMs = 600; // margin: a quarter, so the last chance is 450 ms after the drop
    const conn = connectionFor({
      reconnectPolicy: new DefaultReconnectPolicy({ delaysMs: [40, 5_000], jitter: 0 }),
    });
    await conn.connect();
    const sessionId = conn.getDebugInfo().sessionId;
    gateway.refuseWith = 1006;
    const openedAt: number[] = [];
    gateway.server.on('connection', () => {
      openedAt.push(performance.now());
      gateway.refuseWith = null; // the first attempt is refused, the second gets through
    });
    const droppedAt = performance.now();
    gateway.latest.socket.terminate();
    await waitFor(() => conn.state.status === 'ready' && openedAt.length === 2, 'resumed', 5_000);
    const second = (openedAt[1] ?? 0) - droppedAt;
    expect(second).toBeGreaterThan(300);
    expect(second).toBeLessThan(1_500); // the policy alone would have waited 5 s
    expect(gateway.receivedOps()).toContain(6); // RESUME, not IDENTIFY
    expect(conn.getDebugInfo().sessionId).toBe(sessionId);
  });

  it('on INVALID_SESSION(false) waits briefly and identifies again on the same socket', async () => {
    const conn = connectionFor();
    await conn.connect();
    const first = conn.sessionId;
    const readies: string[] = [];
    conn.on('ready', (d) => readies.push(d.sessionId));
    const states = recordStates(conn);
    gateway.latest.socket.send(JSON.stringify({ op: 9, d: false }));
    await waitFor(() => readies.length === 1, 'a new READY');
    expect(states).toEqual(['ready', 'identifying', 'ready']);
    expect(gateway.connections).toHaveLength(1);
    expect(conn.sessionId).not.toBe(first);
    expect(gateway.receivedOps().filter((op) => op === 2)).toHaveLength(2);
  });

  it('a RESUME the server cannot honour (INVALID_SESSION) falls back to IDENTIFY on the same socket', async () => {
    const conn = connectionFor();
    await conn.connect();
    const first = conn.sessionId as string;
    gateway.sessions.delete(first); // the server forgot the session (restart, expired window)
    const readies: string[] = [];
    conn.on('ready', (d) => readies.push(d.sessionId));
    gateway.latest.socket.terminate();
    await waitFor(() => readies.length === 1 && conn.state.status === 'ready', 'a new READY');
    expect(gateway.connections).toHaveLength(2);
    expect(gateway.receivedOps()).toEqual(expect.arrayContaining([6, 2]));
    expect(gateway.receivedOps().indexOf(6)).toBeLessThan(gateway.receivedOps().indexOf(2));
    expect(conn.sessionId).not.toBe(first);
  });

  it('on RECONNECT closes the socket and resumes on a new one', async () => {
    const conn = connectionFor();
    await conn.connect();
    const first = gateway.latest;
    first.socket.send(JSON.stringify({ op: 7, d: null }));
    await waitFor(() => gateway.connections.length === 2 && conn.state.status === 'ready', 'resumed');
    expect(first.closedWith?.code).toBe(4902);
    expect(gateway.receivedOps()).toContain(6);
  });

  it('treats an invalid server frame as a protocol error: logs, reconnects and resumes', async () => {
    const conn = connectionFor();
    await conn.connect();
    gateway.latest.socket.send(JSON.stringify({ op: 0, t: 'VOICE_STATE', s: 2, d: { userId: 42 } }));
    await waitFor(() => gateway.connections.length === 2 && conn.state.status === 'ready', 'resumed');
    expect(gateway.connections[0]?.closedWith?.code).toBe(4900);
    expect(conn.getDebugInfo().messages.protocolErrors).toBe(1);
  });

  it('ignores (and counts) a dispatch of an unknown event, keeping its seq, as the protocol asks', async () => {
    const conn = connectionFor();
    await conn.connect();
    gateway.latest.socket.send(JSON.stringify({ op: 0, t: 'FUTURE_EVENT', s: 2, d: { x: 1 } }));
    await waitFor(() => conn.getDebugInfo().messages.received['unknown:FUTURE_EVENT'] === 1, 'counted');
    expect(conn.getDebugInfo().seq).toBe(2);
    expect(conn.state.status).toBe('ready');
    expect(gateway.connections).toHaveLength(1);
    expect(conn.getDebugInfo().messages.protocolErrors).toBe(0);
  });

  it('resolves subscribe() on SUBSCRIBE_ACK, feeds the snapshot to the store, rejects on ERROR', async () => {
    gateway.voiceStates.set('carol', {
      userId: 'carol',
      sessionId: 's-carol',
      displayName: 'carol',
      channelId: 'lobby',
      selfMute: true,
      selfDeaf: false,
      streaming: false,
    });
    const conn = connectionFor();
    await conn.connect();
    await conn.subscribe(['voice:lobby']);
    expect(conn.voiceStates.members('lobby').map((s) => s.userId)).toEqual(['carol']);
    const error = await conn.subscribe(['voice:forbidden']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).serverCode).toBe('INVALID_TOPIC');
    expect(conn.getDebugInfo().subscriptions.desired).toEqual(['voice:lobby']);
    await conn.unsubscribe(['voice:lobby']);
    expect(conn.getDebugInfo().subscriptions.confirmed).toEqual([]);
    expect(conn.voiceStates.members('lobby')).toEqual([]); // no longer watched: no stale members
  });

  it('close() ends the session, never reconnects, and rejects pending waits', async () => {
    const conn = connectionFor();
    await conn.connect();
    conn.close();
    expect(conn.state.status).toBe('closed');
    await waitFor(() => gateway.latest.closedWith, 'server saw the close');
    expect(gateway.latest.closedWith?.code).toBe(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(gateway.connections).toHaveLength(1);
    expect(conn.sendSpeaking(1)).toBe(false);
  });
});
