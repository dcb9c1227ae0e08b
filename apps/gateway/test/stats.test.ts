import { CloseCode, WebSocketStats } from '@miscord/protocol';
import { startRedisServer, type TestRedisServer } from '@miscord/registry/testing';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryMode, startGateway, until } from './helpers/gatewayHarness';

const validStats = Compile(WebSocketStats);

describe.each<RegistryMode>(['memory', 'redis'])('GET /api/debug/websocket-stats (%s registry)', (mode) => {
  let redis: TestRedisServer | undefined;
  beforeAll(async () => {
    if (mode === 'redis') redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('reports exactly what the test did', async () => {
    const g = await startGateway(redis?.url, { nodeId: `stats-${mode}` });
    try {
      const d1 = await g.client('Desk One', 'desktop');
      const d2 = await g.client('Desk Two', 'desktop');
      const w1 = await g.client('Web One', 'web');
      d1.client.joinVoice('general');
      d2.client.joinVoice('gaming');
      w1.client.joinVoice('general');
      await until(() => g.app.gateway.directory.states().length === 3, 10_000, 'three in voice');
      // Closes: one 4001, one 4002 and one clean 1000 by a client.
      const bad1 = await g.client('Bad One', 'web');
      bad1.client.send({ op: 42, d: null });
      expect((await bad1.client.closed).code).toBe(CloseCode.UnknownOpcode);
      const bad2 = await g.client('Bad Two', 'web');
      bad2.client.send('not json');
      expect((await bad2.client.closed).code).toBe(CloseCode.DecodeError);
      const leaver = await g.client('Leaver', 'web');
      await leaver.client.close(1000);
      // Sessions closed with resumable codes stay (detached) until their window passes; remove them now.
      for (const s of [bad1, bad2]) {
        const session = g.app.gateway.sessions.get(s.sessionId);
        if (session) await g.app.gateway.removeSession(session, 'test cleanup');
      }
      await until(
        async () => (await g.app.gateway.registry.counts()).total === 3,
        10_000,
        'three connections',
      );
      const res = await fetch(`${g.httpUrl}/api/debug/websocket-stats?limit=2`);
      expect(res.status).toBe(200);
      const stats = (await res.json()) as WebSocketStats;
      expect(validStats.Check(stats)).toBe(true);
      expect(stats.node).toMatchObject({ id: `stats-${mode}`, state: 'ready' });
      expect(stats.connections).toMatchObject({
        total: 3,
        byKind: { desktop: 2, web: 1 },
        byChannel: { general: 2, gaming: 1 },
        byNode: { [`stats-${mode}`]: 3 },
        truncated: true,
      });
      expect(stats.connections.items).toHaveLength(2);
      expect(stats.connections.items[0]).toMatchObject({ ip: '127.0.0.1', nodeId: `stats-${mode}` });
      expect(stats.usersOnline).toBe(3);
      expect(stats.voiceChannels).toEqual([
        { channelId: 'general', name: 'General', participants: 2, userLimit: 0 },
        { channelId: 'gaming', name: 'Gaming', participants: 1, userLimit: 10 },
        { channelId: 'duo', name: 'Duo', participants: 0, userLimit: 2 },
      ]);
      expect(stats.closes).toEqual({ '4001': 1, '4002': 1 });
      expect(stats.messages.in).toMatchObject({ IDENTIFY: 6, VOICE_STATE_UPDATE: 3 });
      expect(stats.messages.rejected).toEqual({ UNKNOWN_OPCODE: 1, DECODE_ERROR: 1 });
      expect(stats.messages.out.READY).toBe(6);
      expect(stats.redis).toMatchObject({ mode, connected: true });
      if (mode === 'redis') expect(stats.redis.roundTripMs).toBeGreaterThanOrEqual(0);
    } finally {
      await g.close();
    }
  });
});
