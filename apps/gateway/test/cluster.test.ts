import { CloseCode, GatewayOp, type WebSocketStats } from '@miscord/protocol';
import { RedisConnectionRegistry } from '@miscord/registry';
import { startRedisServer, type TestRedisServer } from '@miscord/registry/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, startGateway, until } from './helpers/gatewayHarness';
import { TestClient } from './helpers/TestClient';

const offer = { type: 'offer', sdp: 'v=0\r\n' } as const;

describe('two gateway nodes on one Redis', () => {
  let redis: TestRedisServer;
  const nodes: Harness[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.close().catch(() => {});
    const admin = new Redis(redis.url);
    await admin.flushdb();
    await admin.quit();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('relays SIGNAL across nodes; a drained node’s client resumes on the other with its voice state intact', async () => {
    const nodeA = await startGateway(redis.url, { nodeId: 'node-a' });
    const nodeB = await startGateway(redis.url, { nodeId: 'node-b' });
    nodes.push(nodeA, nodeB);
    const bob = await nodeB.client('Bob');
    bob.client.joinVoice('general');
    await bob.client.dispatch('VOICE_STATE', (d) => d.userId === bob.userId);
    const alice = await nodeA.client('Alice');
    alice.client.send({ op: GatewayOp.Subscribe, d: { id: 'watch', topics: ['voice:gaming'] } });
    await alice.client.dispatch('SUBSCRIBE_ACK');
    alice.client.joinVoice('general');
    // Bob (node B) hears Alice (node A) join through the bus.
    await bob.client.dispatch('VOICE_STATE', (d) => d.userId === alice.userId && d.channelId === 'general');
    await until(
      () => nodeA.app.gateway.directory.get(bob.userId)?.nodeId === 'node-b',
      10_000,
      'directory on A',
    );

    alice.client.send({ op: GatewayOp.Signal, d: { to: bob.userId, data: offer } });
    const signal = await bob.client.dispatch('SIGNAL');
    expect(signal.d).toEqual({ from: alice.userId, data: offer });
    expect(nodeA.app.gateway.metrics.signalsRelayed.remote).toBe(1);
    bob.client.send({ op: GatewayOp.Signal, d: { to: alice.userId, data: { type: 'answer', sdp: 'a' } } });
    await alice.client.dispatch('SIGNAL', (d) => d.from === bob.userId);

    // Node A shuts down gracefully: RECONNECT, then close 1001.
    alice.client.heartbeat();
    await alice.client.nextOp(GatewayOp.HeartbeatAck);
    const closing = nodeA.app.close();
    await alice.client.nextOp(GatewayOp.Reconnect);
    expect((await alice.client.closed).code).toBe(CloseCode.GoingAway);
    await closing;
    // While Alice is away, Bob signals her: the dispatch waits in her replay.
    bob.client.send({ op: GatewayOp.Speaking, d: { speaking: 1 } });

    const resumed = await TestClient.connect(nodeB.wsUrl);
    await resumed.nextOp(GatewayOp.Hello);
    resumed.send({
      op: GatewayOp.Resume,
      d: { token: alice.token, sessionId: alice.sessionId, seq: alice.client.lastSeq },
    });
    const done = await resumed.dispatch('RESUMED');
    expect(done.s).toBeGreaterThan(alice.client.lastSeq);
    // Bob never saw Alice leave or rejoin.
    expect(
      bob.client
        .seen('VOICE_STATE')
        .filter((s) => s.d.userId === alice.userId)
        .map((s) => s.d.channelId),
    ).toEqual(['general']);
    // Her voice state is intact: Bob (now on the same node) reaches her, and she him.
    bob.client.send({ op: GatewayOp.Signal, d: { to: alice.userId, data: offer } });
    await resumed.dispatch('SIGNAL', (d) => d.from === bob.userId && d.data.type === 'offer');
    resumed.send({ op: GatewayOp.Signal, d: { to: bob.userId, data: { type: 'answer', sdp: 'b' } } });
    await bob.client.dispatch('SIGNAL', (d) => d.from === alice.userId && d.data.type === 'answer');
    // Her subscriptions came along: she still hears voice:gaming.
    const carol = await nodeB.client('Carol');
    carol.client.joinVoice('gaming');
    await resumed.dispatch('VOICE_STATE', (d) => d.userId === carol.userId && d.channelId === 'gaming');
    const stats = (await (
      await fetch(`${nodeB.httpUrl}/api/debug/websocket-stats`)
    ).json()) as WebSocketStats;
    expect(stats.connections.byNode).toEqual({ 'node-b': 3 });
    expect(stats.connections.byChannel).toEqual({ general: 2, gaming: 1 });
  });

  it('takes a session over from a node that still holds it on a zombie socket', async () => {
    const nodeA = await startGateway(redis.url, { nodeId: 'zombie-a' });
    const nodeB = await startGateway(redis.url, { nodeId: 'zombie-b' });
    nodes.push(nodeA, nodeB);
    const peer = await nodeB.client('Peer');
    peer.client.joinVoice('general');
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === peer.userId);
    const mover = await nodeA.client('Mover');
    mover.client.joinVoice('general');
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === mover.userId && d.channelId === 'general');
    await mover.client.dispatch('VOICE_STATE', (d) => d.userId === mover.userId);
    // The old socket on node A stays open (node A cannot tell it is dead); the client resumes on node B.
    const fresh = await TestClient.connect(nodeB.wsUrl);
    await fresh.nextOp(GatewayOp.Hello);
    fresh.send({
      op: GatewayOp.Resume,
      d: { token: mover.token, sessionId: mover.sessionId, seq: mover.client.lastSeq },
    });
    expect((await fresh.dispatch('RESUMED')).d.replayed).toBe(0);
    expect((await mover.client.closed).code).toBe(4014);
    peer.client.send({ op: GatewayOp.Signal, d: { to: mover.userId, data: offer } });
    await fresh.dispatch('SIGNAL', (d) => d.from === peer.userId);
    expect(
      peer.client
        .seen('VOICE_STATE')
        .filter((s) => s.d.userId === mover.userId)
        .map((s) => s.d.channelId),
    ).toEqual(['general']);
    await until(() => !nodeA.app.gateway.sessions.has(mover.sessionId), 10_000, 'node A to drop the session');
  });

  it('a session that resumes on another node and back gets its SIGNALs on its newest socket', async () => {
    const nodeA = await startGateway(redis.url, { nodeId: 'back-a' });
    const nodeB = await startGateway(redis.url, { nodeId: 'back-b' });
    nodes.push(nodeA, nodeB);
    const peer = await nodeA.client('Peer');
    peer.client.joinVoice('general');
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === peer.userId);
    const mover = await nodeA.client('Mover');
    mover.client.joinVoice('general');
    await peer.client.dispatch('VOICE_STATE', (d) => d.userId === mover.userId && d.channelId === 'general');
    // A SIGNAL on node A: its directory entry for the mover now remembers the mover's session there.
    peer.client.send({ op: GatewayOp.Signal, d: { to: mover.userId, data: offer } });
    await mover.client.dispatch('SIGNAL', (d) => d.from === peer.userId);

    let socket = mover.client;
    for (const node of [nodeB, nodeA]) {
      const next = await TestClient.connect(node.wsUrl);
      await next.nextOp(GatewayOp.Hello);
      next.send({
        op: GatewayOp.Resume,
        d: { token: mover.token, sessionId: mover.sessionId, seq: socket.lastSeq },
      });
      await next.dispatch('RESUMED');
      expect((await socket.closed).code).toBe(4014);
      await until(
        () => nodeA.app.gateway.directory.get(mover.userId)?.nodeId === node.app.gateway.nodeId,
        10_000,
        'node A to see where the mover is',
      );
      socket = next;
      peer.client.send({
        op: GatewayOp.Signal,
        d: { to: mover.userId, data: { type: 'answer', sdp: node.app.gateway.nodeId } },
      });
      await socket.dispatch(
        'SIGNAL',
        (d) => d.from === peer.userId && d.data.type === 'answer' && d.data.sdp === node.app.gateway.nodeId,
      );
    }
  });

  it('a node whose voice events were lost catches up by itself, reloading only the channels that drifted', async () => {
    const node = await startGateway(redis.url, { nodeId: 'listener', directoryResyncMs: 50 });
    nodes.push(node);
    const gateway = node.app.gateway;
    // Another node's registry writes to Redis without publishing anything: as if every bus message
    // about it was lost on the way.
    const silent = new RedisConnectionRegistry({ nodeId: 'silent', url: redis.url });
    await silent.start();
    try {
      const lost = {
        connectionId: 'lost-conn',
        sessionId: 'lost-session',
        userId: 'lost-user',
        displayName: 'Lost',
        kind: 'web' as const,
        channelId: null,
        ip: '127.0.0.1',
        userAgent: 'vitest',
        nodeId: 'silent',
        connectedAt: Date.now(),
        lastSeenAt: Date.now(),
        selfMute: false,
        selfDeaf: false,
        streaming: false,
      };
      await silent.register(lost);
      const flags = { selfMute: true, selfDeaf: false, streaming: false };
      await silent.updateVoice(lost.connectionId, { channelId: 'gaming', ...flags }, 0);
      expect(gateway.directory.get('lost-user')).toBeUndefined();
      await until(() => gateway.directory.get('lost-user') !== undefined, 10_000, 'the join to be found');
      expect(gateway.directory.get('lost-user')).toMatchObject({
        nodeId: 'silent',
        state: { channelId: 'gaming', selfMute: true, sessionId: 'lost-session' },
      });

      // In step: the resyncs read the counts and reload nothing but the periodic full pass.
      const counts = vi.spyOn(gateway.registry, 'counts');
      const members = vi.spyOn(gateway.registry, 'voiceMembers');
      await until(() => counts.mock.calls.length >= 5, 10_000, 'five resyncs');
      expect(members.mock.calls.length).toBeLessThanOrEqual(1);
      for (const call of members.mock.calls) expect(call[0]).toBeUndefined();

      // A lost move, then a lost leave.
      await silent.updateVoice(lost.connectionId, { channelId: 'general', ...flags }, 0);
      await until(
        () => gateway.directory.get('lost-user')?.state.channelId === 'general',
        10_000,
        'the move to be found',
      );
      expect(gateway.directory.participants('gaming')).toBe(0);
      expect(members.mock.calls.some((call) => call[0]?.includes('general'))).toBe(true);
      await silent.disconnect(lost.connectionId);
      await until(() => gateway.directory.get('lost-user') === undefined, 10_000, 'the leave to be found');
      expect(gateway.directory.participants('general')).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('the reaper removes the sessions of a dead node and tells their channels', async () => {
    const survivor = await startGateway(redis.url, { nodeId: 'survivor', staleAfterMs: 500 });
    const doomed = await startGateway(redis.url, { nodeId: 'doomed' });
    nodes.push(survivor, doomed);
    const watcher = await survivor.client('Watcher');
    watcher.client.joinVoice('gaming');
    await watcher.client.dispatch('VOICE_STATE', (d) => d.userId === watcher.userId);
    const ghost = await doomed.client('Ghost');
    ghost.client.joinVoice('gaming');
    await watcher.client.dispatch(
      'VOICE_STATE',
      (d) => d.userId === ghost.userId && d.channelId === 'gaming',
    );
    // Simulate a crash: the node's registry stops writing and its sockets vanish without a drain.
    await doomed.app.gateway.registry.close();
    ghost.client.ws.terminate();
    const beat = setInterval(() => watcher.client.heartbeat(), 100);
    try {
      await until(
        async () => {
          await survivor.app.gateway.sweepOnce();
          return (await survivor.app.gateway.registry.findSession(ghost.sessionId)) === null;
        },
        15_000,
        'reaper to remove the ghost',
      );
      expect(await survivor.app.gateway.registry.findSession(watcher.sessionId)).not.toBeNull();
      expect(survivor.app.gateway.metrics.cleanup.totalRemoved).toBe(1);
      await watcher.client.dispatch('VOICE_STATE', (d) => d.userId === ghost.userId && d.channelId === null);
      expect(watcher.client.isOpen).toBe(true);
    } finally {
      clearInterval(beat);
    }
  });
});
