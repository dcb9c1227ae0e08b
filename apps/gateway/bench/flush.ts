import { type ConnectionRecord, RedisConnectionRegistry } from '@miscord/registry';
import type { ChildProcesses } from './ChildProcesses';
import { RedisRoundTripProxy } from './RedisRoundTripProxy';
import { commandDelta, commandStats, connectRedis, startRedis } from './redisServer';

export interface FlushSample {
  /** Connections that heartbeated (were touched) since the previous flush. */
  readonly touched: number;
  readonly roundTrips: number;
  readonly commands: number;
  /** Commands Redis executed for the flush, by name (INFO commandstats). */
  readonly byCommand: Readonly<Record<string, number>>;
  /** Why the flush failed, when it did (the touches are then lost). */
  readonly error: string | null;
}

export interface FlushResult {
  readonly method: string;
  readonly samples: readonly FlushSample[];
}

const SEED_BATCH = 2_000;

function record(id: string, index: number, now: number): ConnectionRecord {
  return {
    connectionId: id,
    sessionId: `s-${id}`,
    userId: `u-${id}`,
    displayName: `bench ${index}`,
    kind: 'web',
    channelId: null,
    ip: '127.0.0.1',
    userAgent: 'miscord-bench',
    nodeId: 'bench-node',
    connectedAt: now,
    lastSeenAt: now,
    selfMute: false,
    selfDeaf: false,
    streaming: false,
  };
}

/**
 * Redis round trips of one heartbeat flush, measured on the registry the gateway uses: register
 * `touched` connections, touch every one (as their heartbeats do between two flushes), then time one
 * `flush()` through a RESP-counting proxy. The registry's own timer is set far out so only this flush runs.
 */
export async function measureFlush(
  processes: ChildProcesses,
  sizes: readonly number[],
): Promise<FlushResult> {
  const redis = await startRedis(processes);
  const proxy = await RedisRoundTripProxy.start(redis.port);
  const registry = new RedisConnectionRegistry({
    nodeId: 'bench-node',
    url: proxy.url,
    flushIntervalMs: 3_600_000,
  });
  const direct = connectRedis(redis.url);
  try {
    await registry.start();
    const samples: FlushSample[] = [];
    let registered = 0;
    for (const touched of [...sizes].sort((a, b) => a - b)) {
      const now = Date.now();
      for (let first = registered; first < touched; first += SEED_BATCH) {
        const batch: Promise<void>[] = [];
        for (let i = first; i < Math.min(touched, first + SEED_BATCH); i++) {
          batch.push(registry.register(record(`c${i}`, i, now)));
        }
        await Promise.all(batch);
      }
      registered = Math.max(registered, touched);
      await registry.flush();
      const at = Date.now() + 1;
      for (let i = 0; i < touched; i++) registry.touch(`c${i}`, at);
      const statsBefore = await commandStats(direct);
      const before = proxy.counts();
      const error = await registry.flush().then(
        () => null,
        (cause: unknown) => (cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)),
      );
      const after = proxy.counts();
      const delta = commandDelta(statsBefore, await commandStats(direct));
      delta.delete('info');
      samples.push({
        touched,
        roundTrips: after.roundTrips - before.roundTrips,
        commands: after.commands - before.commands,
        byCommand: Object.fromEntries(delta),
        error,
      });
    }
    return {
      method:
        'RedisConnectionRegistry.flush() after touching every registered connection once, counted by a ' +
        'RESP-parsing proxy (a round trip = commands sent while none were outstanding) and INFO commandstats',
      samples,
    };
  } finally {
    direct.disconnect();
    await registry.close().catch(() => undefined);
    await proxy.close();
    await processes.stop(redis.child, 1_000);
  }
}
