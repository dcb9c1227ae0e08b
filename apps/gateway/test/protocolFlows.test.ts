import { CloseCode, defaultLimits, GatewayOp } from '@miscord/protocol';
import { startRedisServer, type TestRedisServer } from '@miscord/registry/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildAppOptions } from '../src/app';
import { TokenSigner } from '../src/auth/tokens';
import {
  type Harness,
  type RegistryMode,
  type Signed,
  startGateway,
  TEST_SECRET,
  until,
} from './helpers/gatewayHarness';
import { TestClient } from './helpers/TestClient';

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } as const;

describe.each<RegistryMode>(['memory', 'redis'])('protocol flows (%s registry)', (mode) => {
  let redis: TestRedisServer | undefined;
  let admin: Redis | undefined;
  let gateway: Harness | undefined;

  beforeAll(async () => {
    if (mode === 'redis') {
      redis = await startRedisServer();
      admin = new Redis(redis.url);
    }
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await admin?.flushdb();
  });
  afterAll(async () => {
    await admin?.quit();
    await redis?.stop();
  });

  const start = async (options: Partial<BuildAppOptions> = {}): Promise<Harness> => {
    gateway = await startGateway(redis?.url, options);
    return gateway;
  };

  /** A and B in `general`, each having seen A's join. */
  const pairInVoice = async (g: Harness): Promise<[Signed, Signed]> => {
    const [a, b] = [await g.client('A'), await g.client('B')];
    b.client.joinVoice('general');
    await b.client.dispatch('VOICE_STATE', (d) => d.userId === b.userId);
    a.client.joinVoice('general');
    await b.client.dispatch('VOICE_STATE', (d) => d.userId === a.userId);
    await a.client.dispatch('VOICE_STATE', (d) => d.userId === a.userId);
    return [a, b];
  };

  /** Heartbeat and wait for the ack: every dispatch so far is acknowledged. Returns the last seq seen. */
  const acknowledged = async (signed: Signed): Promise<number> => {
    signed.client.heartbeat();
    await signed.client.nextOp(GatewayOp.HeartbeatAck);
    return signed.client.lastSeq;
  };

  /** A new socket that sends RESUME for `signed`'s session from `seq`. */
  const resumeOn = async (g: Harness, signed: Signed, seq: number): Promise<TestClient> => {
    const socket = await TestClient.connect(g.wsUrl);
    await socket.nextOp(GatewayOp.Hello);
    socket.send({ op: GatewayOp.Resume, d: { token: signed.token, sessionId: signed.sessionId, seq } });
    return socket;
  };

  it('HELLO → IDENTIFY → READY with spaces, limits and the session', async () => {
    const g = await start();
    const { token, userId } = await g.token('Alice');
    const client = await TestClient.connect(g.wsUrl);
    const hello = await client.nextOp(GatewayOp.Hello);
    expect(hello.d).toMatchObject({
      heartbeatInterval: defaultLimits.heartbeatIntervalMs,
      nodeId: g.app.gateway.nodeId,
    });
    client.send({ op: GatewayOp.Identify, d: { token, kind: 'web', version: '1', platform: 'linux' } });
    const ready = await client.dispatch('READY');
    expect(ready.s).toBe(1);
    expect(ready.d.user).toEqual({ id: userId, displayName: 'Alice' });
    expect(ready.d.spaces[0]?.channels.map((c) => c.id)).toEqual(['general', 'gaming', 'duo']);
    expect(ready.d.limits.maxSignalBytes).toBe(defaultLimits.maxSignalBytes);
    client.heartbeat();
    await client.nextOp(GatewayOp.HeartbeatAck);
    expect(client.invalid).toEqual([]);
  });

  it('closes 4004 on a bad or expired token, 4003 before auth, 4005 on a second IDENTIFY, 4012 without ?v=1', async () => {
    const g = await start();
    const forged = await TestClient.connect(g.wsUrl);
    await forged.nextOp(GatewayOp.Hello);
    const other = new TokenSigner('another-secret-0123456789').issue('Mallory').token;
    forged.send({ op: GatewayOp.Identify, d: { token: other, kind: 'web', version: '1', platform: 'x' } });
    expect((await forged.closed).code).toBe(CloseCode.AuthenticationFailed);

    const expired = await TestClient.connect(g.wsUrl);
    await expired.nextOp(GatewayOp.Hello);
    const old = new TokenSigner(TEST_SECRET, 1000).issue('Old', Date.now() - 5000).token;
    expired.send({ op: GatewayOp.Identify, d: { token: old, kind: 'web', version: '1', platform: 'x' } });
    expect(await expired.closed).toMatchObject({ code: 4004, reason: 'token is expired' });

    const early = await TestClient.connect(g.wsUrl);
    early.send({ op: GatewayOp.Speaking, d: { speaking: 1 } });
    expect((await early.closed).code).toBe(CloseCode.NotAuthenticated);

    const { client } = await g.client('Twice');
    const { token } = await g.token('Twice');
    client.send({ op: GatewayOp.Identify, d: { token, kind: 'web', version: '1', platform: 'x' } });
    expect((await client.closed).code).toBe(CloseCode.AlreadyAuthenticated);

    const noVersion = await TestClient.connect(g.wsUrl.replace('?v=1', ''));
    expect((await noVersion.closed).code).toBe(CloseCode.InvalidVersion);
    const v2 = await TestClient.connect(g.wsUrl.replace('v=1', 'v=2'));
    expect((await v2.closed).code).toBe(CloseCode.InvalidVersion);
    const twoVersions = await TestClient.connect(`${g.wsUrl}&v=2`);
    expect((await twoVersions.closed).code).toBe(CloseCode.InvalidVersion);
    // Only /ws upgrades; any other path, an HTTP route's included, is refused before the handshake.
    await expect(TestClient.connect(g.wsUrl.replace('/ws?', '/other?'))).rejects.toThrow(/404/);
    await expect(TestClient.connect(g.wsUrl.replace('/ws?', '/healthz?'))).rejects.toThrow(/404/);
  });

  it('joins, moves and leaves voice; others see each change once', async () => {
    const g = await start();
    const alice = await g.client('Alice');
    const bob = await g.client('Bob');
    alice.client.joinVoice('general');
    await alice.client.dispatch('VOICE_STATE', (d) => d.userId === alice.userId && d.channelId === 'general');
    bob.client.joinVoice('general', { selfMute: true });
    const seen = await alice.client.dispatch('VOICE_STATE', (d) => d.userId === bob.userId);
    expect(seen.d).toMatchObject({
      channelId: 'general',
      selfMute: true,
      displayName: 'Bob',
      sessionId: bob.sessionId,
    });
    bob.client.joinVoice('gaming');
    await alice.client.dispatch('VOICE_STATE', (d) => d.userId === bob.userId && d.channelId === 'gaming');
    bob.client.joinVoice(null);
    await bob.client.dispatch('VOICE_STATE', (d) => d.userId === bob.userId && d.channelId === null);
    // A late joiner sees who is in voice in READY.
    const carol = await g.client('Carol');
    const ready = carol.client.seen('READY')[0];
    expect(ready?.d.voiceStates.map((s) => s.userId)).toEqual([alice.userId]);
    alice.client.joinVoice('nowhere');
    const error = await alice.client.nextOp(GatewayOp.Error);
    expect(error.d).toMatchObject({ code: 'UNKNOWN_CHANNEL', op: GatewayOp.VoiceStateUpdate });
  });

  it('answers CHANNEL_FULL when the user limit is reached', async () => {
    const g = await start();
    const [a, b, c] = [await g.client('A'), await g.client('B'), await g.client('C')];
    a.client.joinVoice('duo');
    await a.client.dispatch('VOICE_STATE', (d) => d.channelId === 'duo');
    b.client.joinVoice('duo');
    await b.client.dispatch('VOICE_STATE', (d) => d.userId === b.userId && d.channelId === 'duo');
    c.client.joinVoice('duo');
    const error = await c.client.nextOp(GatewayOp.Error);
    expect(error.d).toMatchObject({ code: 'CHANNEL_FULL', op: GatewayOp.VoiceStateUpdate });
    expect(c.client.seen('VOICE_STATE').filter((s) => s.d.userId === c.userId)).toEqual([]);
  });

  it('keeps a user in one voice channel across sessions: joining elsewhere moves them', async () => {
    const g = await start();
    const { token, userId } = await g.token('Dana');
    const desktop = await TestClient.connect(g.wsUrl);
    const desktopReady = await desktop.identify(token, 'desktop');
    const web = await TestClient.connect(g.wsUrl);
    await web.identify(token, 'web');
    const watcher = await g.client('Watcher');
    watcher.client.send({
      op: GatewayOp.Subscribe,
      d: { id: 'w', topics: ['voice:general', 'voice:gaming'] },
    });
    await watcher.client.dispatch('SUBSCRIBE_ACK');
    desktop.joinVoice('general');
    await watcher.client.dispatch('VOICE_STATE', (d) => d.userId === userId && d.channelId === 'general');
    web.joinVoice('gaming');
    const left = await desktop.dispatch(
      'VOICE_STATE',
      (d) => d.sessionId === desktopReady.d.sessionId && d.channelId === null,
    );
    expect(left.d.userId).toBe(userId);
    await watcher.client.dispatch('VOICE_STATE', (d) => d.userId === userId && d.channelId === 'gaming');
    expect(
      g.app.gateway.directory
        .states()
        .filter((s) => s.userId === userId)
        .map((s) => s.channelId),
    ).toEqual(['gaming']);
  });

  it('relays SIGNAL within a channel with a server-stamped sender, and refuses others', async () => {
    const g = await start();
    const [a, b, c] = [await g.client('A'), await g.client('B'), await g.client('C')];
    a.client.joinVoice('general');
    b.client.joinVoice('general');
    c.client.joinVoice('gaming');
    await a.client.dispatch('VOICE_STATE', (d) => d.userId === b.userId);
    await c.client.dispatch('VOICE_STATE', (d) => d.userId === c.userId);
    a.client.send({ op: GatewayOp.Signal, d: { to: b.userId, data: offer } });
    const signal = await b.client.dispatch('SIGNAL');
    expect(signal.d).toEqual({ from: a.userId, data: offer });

    // A peer in another channel cannot be reached.
    a.client.send({ op: GatewayOp.Signal, d: { to: c.userId, data: offer } });
    expect((await a.client.nextOp(GatewayOp.Error)).d.code).toBe('PEER_NOT_IN_CHANNEL');
    // Choosing one's sender is impossible: `from` is not part of a client SIGNAL, in `d` or the envelope.
    a.client.send({ op: GatewayOp.Signal, d: { to: b.userId, from: c.userId, data: offer } });
    const spoof = await a.client.nextOp(GatewayOp.Error);
    expect(spoof.d).toMatchObject({ code: 'INVALID_PAYLOAD', op: GatewayOp.Signal });
    expect(spoof.d.message).toContain('/d/from');
    // Someone outside voice cannot signal into a channel.
    const d = await g.client('D');
    d.client.send({ op: GatewayOp.Signal, d: { to: b.userId, data: offer } });
    expect((await d.client.nextOp(GatewayOp.Error)).d.code).toBe('NOT_IN_VOICE');
    a.client.send({ op: GatewayOp.Signal, d: { to: b.userId, data: { type: 'answer', sdp: 'x' } } });
    await b.client.dispatch('SIGNAL', (s) => s.data.type === 'answer');
    expect(b.client.seen('SIGNAL').map((s) => s.d.from)).toEqual([a.userId, a.userId]);
    expect(c.client.seen('SIGNAL')).toEqual([]);
    // A candidate, the bulk of SIGNALs (written by encodeSignalData), arrives with every field as sent.
    const candidate = {
      type: 'candidate',
      candidate: {
        candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host "ü\\',
        sdpMLineIndex: null,
        sdpMid: '0',
      },
    } as const;
    a.client.send({ op: GatewayOp.Signal, d: { to: b.userId, data: candidate } });
    const relayed = await b.client.dispatch('SIGNAL', (s) => s.data.type === 'candidate');
    expect(relayed.d).toEqual({ from: a.userId, data: candidate });
    a.client.send({ op: GatewayOp.Signal, d: { from: c.userId, to: b.userId, data: offer } as never });
    a.client.send(JSON.stringify({ op: GatewayOp.Signal, d: { to: b.userId, data: offer }, from: c.userId }));
    expect((await a.client.closed).code).toBe(CloseCode.DecodeError);
  });

  it('sends SPEAKING to the channel, and subscribers of voice:<id> see its voice states', async () => {
    const g = await start();
    const [a, b, watcher] = [await g.client('A'), await g.client('B'), await g.client('W', 'web')];
    watcher.client.send({ op: GatewayOp.Subscribe, d: { id: 'sub1', topics: ['voice:general'] } });
    const ack = await watcher.client.dispatch('SUBSCRIBE_ACK');
    expect(ack.d).toEqual({ id: 'sub1', topics: ['voice:general'], voiceStates: [] });
    a.client.joinVoice('general');
    b.client.joinVoice('general');
    await watcher.client.dispatch('VOICE_STATE', (d) => d.userId === a.userId);
    await a.client.dispatch('VOICE_STATE', (d) => d.userId === b.userId);
    a.client.send({ op: GatewayOp.Speaking, d: { speaking: 1 } });
    const heard = await b.client.dispatch('SPEAKING');
    expect(heard.d).toEqual({ userId: a.userId, channelId: 'general', speaking: 1 });
    await watcher.client.dispatch('SPEAKING');
    watcher.client.send({ op: GatewayOp.Subscribe, d: { id: 'bad', topics: ['voice:nope'] } });
    expect((await watcher.client.nextOp(GatewayOp.Error)).d).toMatchObject({
      code: 'INVALID_TOPIC',
      id: 'bad',
    });
    watcher.client.send({ op: GatewayOp.Unsubscribe, d: { id: 'u1', topics: ['voice:general'] } });
    await watcher.client.dispatch('UNSUBSCRIBE_ACK', (d) => d.id === 'u1');
    b.client.joinVoice(null);
    await a.client.dispatch('VOICE_STATE', (d) => d.userId === b.userId && d.channelId === null);
    expect(
      watcher.client.seen('VOICE_STATE').some((s) => s.d.userId === b.userId && s.d.channelId === null),
    ).toBe(false);
  });

  it('closes 4008 over the SIGNAL rate limit, 4002 on oversize frames, 4001 on unknown ops', async () => {
    const g = await start({ limits: { signal: { capacity: 5, refillPerSecond: 0.01 } } });
    const [a, b] = [await g.client('A'), await g.client('B')];
    a.client.joinVoice('general');
    b.client.joinVoice('general');
    await a.client.dispatch('VOICE_STATE', (d) => d.userId === b.userId);
    for (let i = 0; i < 10; i++) a.client.send({ op: GatewayOp.Signal, d: { to: b.userId, data: offer } });
    expect((await a.client.closed).code).toBe(CloseCode.RateLimited);
    expect(b.client.seen('SIGNAL').length).toBeLessThanOrEqual(5);

    const big = await g.client('Big');
    big.client.send(JSON.stringify({ op: 1, d: 0, pad: 'x'.repeat(defaultLimits.maxFrameBytes) }));
    expect((await big.client.closed).code).toBe(CloseCode.DecodeError);
    const unknown = await g.client('Unknown');
    unknown.client.send({ op: 99, d: null });
    expect((await unknown.client.closed).code).toBe(CloseCode.UnknownOpcode);
    const binary = await g.client('Binary');
    binary.client.send(Buffer.from('{"op":1,"d":0}'), { binary: true });
    expect((await binary.client.closed).code).toBe(CloseCode.DecodeError);
    // Invalid UTF-8 in a text frame is the decoder's to refuse (4002), as the protocol says, not ws's (1007).
    const garbled = await g.client('Garbled');
    garbled.client.send(Buffer.from([0x7b, 0x22, 0x6f, 0x70, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), {
      binary: false,
    });
    expect(await garbled.client.closed).toMatchObject({
      code: CloseCode.DecodeError,
      reason: /not valid UTF-8/,
    });
  });

  it('closes 4009 on heartbeat silence and tells the channel', async () => {
    const g = await start({ limits: { heartbeatIntervalMs: 200, heartbeatDeadlineMs: 600 } });
    const [quiet, talker] = [await g.client('Quiet'), await g.client('Talker')];
    quiet.client.joinVoice('general');
    talker.client.joinVoice('general');
    await talker.client.dispatch('VOICE_STATE', (d) => d.userId === talker.userId);
    // A socket that only heartbeats and never authenticates is closed too.
    const lurker = await TestClient.connect(g.wsUrl);
    const beat = setInterval(() => {
      talker.client.heartbeat();
      if (lurker.isOpen) lurker.heartbeat();
    }, 100);
    try {
      expect((await quiet.client.closed).code).toBe(CloseCode.SessionTimedOut);
      expect((await lurker.closed).code).toBe(CloseCode.SessionTimedOut);
      await talker.client.dispatch('VOICE_STATE', (d) => d.userId === quiet.userId && d.channelId === null);
      expect(talker.client.isOpen).toBe(true);
    } finally {
      clearInterval(beat);
    }
  });

  it('removes a cleanly closed session at once; keeps a dropped one for the resume window', async () => {
    const g = await start({ limits: { resumeWindowMs: 30_000 } });
    const [leaver, dropper, peer] = [
      await g.client('Leaver'),
      await g.client('Dropper'),
      await g.client('Peer'),
    ];
    peer.client.joinVoice('general');
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === peer.userId);
    for (const s of [leaver, dropper]) s.client.joinVoice('general');
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === dropper.userId);
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === leaver.userId);
    await leaver.client.close(1000);
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === leaver.userId && d.channelId === null);
    await dropper.client.drop();
    await until(() => g.app.gateway.sessions.get(dropper.sessionId)?.state.status === 'detached');
    expect(
      peer.client.seen('VOICE_STATE').filter((s) => s.d.userId === dropper.userId && s.d.channelId === null),
    ).toEqual([]);
  });

  it('resumes with the missed dispatches replayed and no leave/join for the others', async () => {
    const g = await start();
    const [a, b] = await pairInVoice(g);
    const seq = await acknowledged(a);
    await a.client.drop();
    await until(() => g.app.gateway.sessions.get(a.sessionId)?.state.status === 'detached');
    b.client.send({ op: GatewayOp.Signal, d: { to: a.userId, data: offer } });
    b.client.send({ op: GatewayOp.Speaking, d: { speaking: 1 } });
    await until(() => (g.app.gateway.sessions.get(a.sessionId)?.seq ?? 0) >= seq + 2);

    const again = await resumeOn(g, a, seq);
    const resumed = await again.dispatch('RESUMED');
    expect(resumed.d.replayed).toBe(2);
    expect(again.seen('SIGNAL').map((s) => s.d)).toEqual([{ from: b.userId, data: offer }]);
    expect(again.seen('SPEAKING').length).toBe(1);
    expect(resumed.s).toBe(seq + 3);
    // Still in voice: a SIGNAL to A after the resume arrives on the new socket.
    b.client.send({ op: GatewayOp.Signal, d: { to: a.userId, data: { type: 'answer', sdp: 'y' } } });
    await again.dispatch('SIGNAL', (s) => s.data.type === 'answer');
    expect(
      b.client
        .seen('VOICE_STATE')
        .filter((s) => s.d.userId === a.userId)
        .map((s) => s.d.channelId),
    ).toEqual(['general']);
    // READY is not kept for replay: a resume from before it cannot be served.
    expect(g.app.gateway.sessions.get(a.sessionId)?.replay.since(0)).toBeNull();
    // RESUME claiming more than was sent → 4007.
    const greedy = await TestClient.connect(g.wsUrl);
    await greedy.nextOp(GatewayOp.Hello);
    greedy.send({ op: GatewayOp.Resume, d: { token: b.token, sessionId: b.sessionId, seq: 10_000 } });
    expect((await greedy.closed).code).toBe(CloseCode.InvalidSeq);
  });

  it('replays SIGNALs still unacknowledged when the socket dropped (kept off the heap until then)', async () => {
    const g = await start();
    const [a, b] = await pairInVoice(g);
    const seq = await acknowledged(a);
    const sdps = ['one', 'two ü', 'three 🎙️'];
    for (const sdp of sdps)
      b.client.send({ op: GatewayOp.Signal, d: { to: a.userId, data: { type: 'offer', sdp } } });
    await until(() => (g.app.gateway.sessions.get(a.sessionId)?.seq ?? 0) >= seq + 3);
    const frames = g.app.gateway.frames;
    expect(frames.stats().frames).toBe(3);
    await a.client.drop();
    await until(() => g.app.gateway.sessions.get(a.sessionId)?.state.status === 'detached');
    // Detached: its frames are strings again, the store holds nothing for it.
    expect(frames.stats().frames).toBe(0);

    const again = await resumeOn(g, a, seq);
    expect((await again.dispatch('RESUMED')).d.replayed).toBe(3);
    expect(again.seen('SIGNAL').map((s) => s.d)).toEqual(
      sdps.map((sdp) => ({ from: b.userId, data: { type: 'offer', sdp } })),
    );
    // Acknowledged by a heartbeat: released.
    b.client.send({ op: GatewayOp.Signal, d: { to: a.userId, data: { type: 'answer', sdp: 'x' } } });
    await again.dispatch('SIGNAL', (s) => s.data.type === 'answer');
    expect(frames.stats().frames).toBe(1);
    again.heartbeat();
    await again.nextOp(GatewayOp.HeartbeatAck);
    expect(frames.stats().frames).toBe(0);
  });

  it('drops a client that stops reading once its backlog passes the send limit (4010); it resumes', async () => {
    const g = await start({
      limits: {
        maxBufferedBytes: 256 * 1024,
        signal: { capacity: 100_000, refillPerSecond: 100_000 },
        replayBufferSize: 5_000,
      },
    });
    const [a, b] = await pairInVoice(g);
    const seq = await acknowledged(a);
    // A stops reading: the kernel's socket buffers fill first, then the node's own queue for A.
    a.client.ws.pause();
    const sdp = `v=0\r\n${'a=x\r\n'.repeat(3_000)}`;
    const session = () => g.app.gateway.sessions.get(a.sessionId);
    const backlog = () => {
      const state = session()?.state;
      return state?.status === 'attached' ? state.connection.socket.bufferedAmount : 0;
    };
    let sent = 0;
    while (backlog() <= 256 * 1024) {
      if (sent >= 2_000)
        throw new Error(`backlog still ${backlog()} after ${sent} SIGNALs of ${sdp.length} bytes`);
      for (let i = 0; i < 20; i++, sent++)
        b.client.send({
          op: GatewayOp.Signal,
          d: { to: a.userId, data: { type: 'offer', sdp: `${sent} ${sdp}` } },
        });
      await until(() => (session()?.seq ?? 0) >= seq + sent);
    }
    // Over the limit and not draining: a sweep a second later drops it (within about two seconds).
    await until(() => session()?.state.status !== 'attached', 5_000, 'the slow consumer to be dropped');
    expect(session()?.state.status).toBe('detached');
    expect(g.app.gateway.metrics.closes[String(CloseCode.SlowConsumer)]).toBe(1);
    // The close frame was behind the backlog; the node dropped the socket without waiting for it.
    a.client.ws.resume();
    expect((await a.client.closed).code).toBe(1006);
    // Every SIGNAL got its seq, delivered or not, and waits in the replay buffer. The replay is a burst far
    // over the limit for the new socket; a client that reads drains it and is not dropped.
    expect(session()?.seq).toBe(seq + sent);
    const again = await resumeOn(g, a, seq);
    expect((await again.dispatch('RESUMED')).d.replayed).toBe(sent);
    const signals = again.seen('SIGNAL');
    expect(signals.map((s) => (s.d.data.type === 'offer' ? Number.parseInt(s.d.data.sdp, 10) : -1))).toEqual(
      Array.from({ length: sent }, (_, i) => i),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(again.isOpen).toBe(true);
    expect(b.client.isOpen).toBe(true);
  });

  it('answers INVALID_SESSION to a resume after the window, and the channel was told', async () => {
    const g = await start({ limits: { resumeWindowMs: 300 } });
    const [a, b] = await pairInVoice(g);
    await a.client.drop();
    await b.client.dispatch('VOICE_STATE', (d) => d.userId === a.userId && d.channelId === null);
    const late = await resumeOn(g, a, a.client.lastSeq);
    const invalid = await late.nextOp(GatewayOp.InvalidSession);
    expect(invalid.d).toBe(false);
    // The socket stays usable: IDENTIFY starts a new session.
    late.send({ op: GatewayOp.Identify, d: { token: a.token, kind: 'web', version: '1', platform: 'x' } });
    const ready = await late.dispatch('READY');
    expect(ready.d.sessionId).not.toBe(a.sessionId);
  });
});
