import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildProcesses } from '../ChildProcesses';
import { RedisRoundTripProxy } from '../RedisRoundTripProxy';
import { type RedisServer, startRedis } from '../redisServer';
import { RespCounter } from '../respCounter';

describe('RespCounter', () => {
  it('counts complete values across arbitrary chunk boundaries, nested arrays included', () => {
    const stream = Buffer.from(
      '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n+OK\r\n*2\r\n*1\r\n:1\r\n$-1\r\n$5\r\nhello\r\n-ERR x\r\n',
    );
    for (const size of [1, 2, 3, 7, stream.length]) {
      const counter = new RespCounter();
      let total = 0;
      for (let i = 0; i < stream.length; i += size) total += counter.feed(stream.subarray(i, i + size));
      expect(total).toBe(5);
    }
  });
});

describe('RedisRoundTripProxy against a throwaway redis-server', () => {
  const processes = new ChildProcesses();
  let redis: RedisServer;
  let proxy: RedisRoundTripProxy;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis(processes);
    proxy = await RedisRoundTripProxy.start(redis.port);
    client = new Redis(proxy.url);
    await client.ping();
  }, 30_000);

  afterAll(async () => {
    client?.disconnect();
    await proxy?.close();
    processes.killAll();
  });

  it('counts a pipeline of 5,000 commands as one round trip and awaited commands as one each', async () => {
    const before = proxy.counts();
    const pipeline = client.pipeline();
    for (let i = 0; i < 5_000; i++) pipeline.hset(`conn:${i}`, 'lastSeenAt', String(Date.now()));
    await pipeline.exec();
    const afterPipeline = proxy.counts();
    expect(afterPipeline.roundTrips - before.roundTrips).toBe(1);
    expect(afterPipeline.commands - before.commands).toBe(5_000);
    for (let i = 0; i < 3; i++) await client.hget(`conn:${i}`, 'lastSeenAt');
    const afterAwaited = proxy.counts();
    expect(afterAwaited.roundTrips - afterPipeline.roundTrips).toBe(3);
    await client.multi().incr('a').incr('b').exec();
    expect(proxy.counts().roundTrips - afterAwaited.roundTrips).toBe(1);
  }, 30_000);
});
