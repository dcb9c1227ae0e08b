import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnectionRegistry } from '../src';
import { startRedisServer, type TestRedisServer } from '../src/testing/redisServer';
import { record, registryContract } from './contract';

let server: TestRedisServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  await admin?.quit();
  await server?.stop();
});

registryContract('RedisConnectionRegistry', {
  create: async (nodeId) => {
    const registry = new RedisConnectionRegistry({ nodeId, url: server.url, flushIntervalMs: 200 });
    await registry.start();
    return registry;
  },
  reset: async () => {
    await admin.flushdb();
  },
});

describe('RedisConnectionRegistry specifics', () => {
  it('coalesces touches into one write per flush and keeps the node alive key', async () => {
    await admin.flushdb();
    const registry = new RedisConnectionRegistry({ nodeId: 'n1', url: server.url, flushIntervalMs: 60_000 });
    await registry.start();
    try {
      const r = record({ lastSeenAt: 1 });
      await registry.register(r);
      const monitor = await admin.duplicate();
      const commands: string[] = [];
      await monitor
        .monitor()
        .then((m) => m.on('monitor', (_t: string, args: string[]) => commands.push(args[0]!.toLowerCase())));
      for (let i = 2; i < 500; i++) registry.touch(r.connectionId, i);
      await registry.flush();
      await expect.poll(() => commands.filter((c) => c === 'zadd').length, { timeout: 5_000 }).toBe(1);
      expect(await admin.zscore('miscord:lastseen', r.connectionId)).toBe('499');
      expect(await admin.get('miscord:node:n1:alive')).not.toBeNull();
      expect(await registry.aliveNodes()).toEqual(['n1']);
      monitor.disconnect();
    } finally {
      await registry.close();
    }
    expect(await admin.get('miscord:node:n1:alive')).toBeNull();
  });

  it('flushes 100,000 coalesced touches in one pipeline without overflowing the stack', async () => {
    await admin.flushdb();
    const registry = new RedisConnectionRegistry({ nodeId: 'n1', url: server.url, flushIntervalMs: 60_000 });
    await registry.start();
    try {
      const count = 100_000;
      const seeded = admin.pipeline();
      for (let i = 0; i < count; i++) seeded.zadd('miscord:lastseen', 1, `t${i}`);
      await seeded.exec();
      for (let i = 0; i < count; i++) registry.touch(`t${i}`, 5_000 + i);
      await registry.flush();
      expect(await admin.zscore('miscord:lastseen', 't99999')).toBe(String(5_000 + 99_999));
      expect(await admin.zcount('miscord:lastseen', '-inf', 1)).toBe(0);
    } finally {
      await registry.close();
    }
  });

  it('lets one sweeper run at a time through the lock', async () => {
    await admin.flushdb();
    const registry = new RedisConnectionRegistry({ nodeId: 'n1', url: server.url });
    await registry.start();
    try {
      await admin.set('miscord:reaper:lock', 'someone-else', 'PX', 10_000);
      const blocked = await registry.sweep({ staleAfterMs: 0 });
      expect(blocked.ran).toBe(false);
      await admin.del('miscord:reaper:lock');
      await registry.register(record({ lastSeenAt: 1 }));
      const swept = await registry.sweep({ staleAfterMs: 1_000, now: 10_000 });
      expect(swept).toMatchObject({ ran: true, staleRemoved: 1 });
      expect(await admin.exists('miscord:reaper:lock')).toBe(0);
    } finally {
      await registry.close();
    }
  });

  it('keeps the documented key layout', async () => {
    await admin.flushdb();
    const registry = new RedisConnectionRegistry({ nodeId: 'n1', url: server.url });
    await registry.start();
    try {
      const r = record({ connectionId: 'cx', sessionId: 'sx', userId: 'ux', lastSeenAt: 42 });
      await registry.register(r);
      await registry.updateVoice(
        'cx',
        { channelId: 'general', selfMute: false, selfDeaf: false, streaming: false },
        0,
      );
      expect(await admin.hget('miscord:conn:cx', 'userId')).toBe('ux');
      expect(await admin.zscore('miscord:lastseen', 'cx')).toBe('42');
      expect(await admin.smembers('miscord:node:node-a:conns')).toEqual(['cx']);
      expect(await admin.smembers('miscord:channel:general:conns')).toEqual(['cx']);
      expect(await admin.smembers('miscord:user:ux:conns')).toEqual(['cx']);
      expect(await admin.get('miscord:session:sx')).toBe('cx');
      await registry.disconnect('cx');
      const left = (await admin.keys('miscord:*')).filter(
        (k) => !k.startsWith('miscord:node') && k !== 'miscord:nodes',
      );
      expect(left).toEqual([]);
    } finally {
      await registry.close();
    }
  });
});
