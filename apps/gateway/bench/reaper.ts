import {
  type ConnectionRecord,
  type ConnectionRegistry,
  MemoryConnectionRegistry,
  RedisConnectionRegistry,
} from '@miscord/registry';
import type { ChildProcesses } from './ChildProcesses';
import { startRedis } from './redisServer';
import { median, ratio } from './stats';

export interface ReaperSample {
  readonly live: number;
  readonly stale: number;
  /** Median wall time of one sweep over the repetitions. */
  readonly sweepMs: number;
  readonly sweepsMs: readonly number[];
  readonly removed: number;
}

export interface ReaperModeResult {
  readonly mode: 'memory' | 'redis';
  readonly samples: readonly ReaperSample[];
  /** Sweep time with the large live population ÷ with the small one (flat ≈ 1). */
  readonly largeOverSmall: number;
}

export interface ReaperResult {
  readonly method: string;
  readonly modes: readonly ReaperModeResult[];
}

const STALE_AFTER_MS = 60_000;
const SEED_BATCH = 2_000;
const REPETITIONS = 5;

function record(id: string, lastSeenAt: number, index: number): ConnectionRecord {
  return {
    connectionId: id,
    sessionId: `s-${id}`,
    userId: `u-${id}`,
    displayName: `bench ${index}`,
    kind: index % 3 === 0 ? 'desktop' : 'web',
    // A quarter of the connections sit in voice, so a removal also leaves a channel.
    channelId: index % 4 === 0 ? `ch-${index % 50}` : null,
    ip: '127.0.0.1',
    userAgent: 'miscord-bench',
    nodeId: 'bench-node',
    connectedAt: lastSeenAt,
    lastSeenAt,
    selfMute: false,
    selfDeaf: false,
    streaming: false,
  };
}

/** Register `count` connections named `<prefix><i>`, `SEED_BATCH` in flight at a time. */
async function seed(registry: ConnectionRegistry, prefix: string, count: number, lastSeenAt: number) {
  for (let first = 0; first < count; first += SEED_BATCH) {
    const batch: Promise<void>[] = [];
    for (let i = first; i < Math.min(count, first + SEED_BATCH); i++) {
      batch.push(registry.register(record(`${prefix}${i}`, lastSeenAt, i)));
    }
    await Promise.all(batch);
  }
}

const liveId = (index: number) => `live-${index}`;

/**
 * Every live connection heartbeats once (touch, then the flush that writes the touches). Flushed every
 * 10,000 touches, as a node flushes every few seconds rather than once for everyone; the sweep, not the
 * flush, is measured here (measureFlush measures the flush).
 */
async function touchLive(registry: ConnectionRegistry, live: number): Promise<void> {
  const at = Date.now();
  for (let i = 0; i < live; i++) {
    registry.touch(liveId(i), at);
    if ((i + 1) % 10_000 === 0) await registry.flush();
  }
  await registry.flush();
}

/**
 * Sweep time with `small` then `large` live connections and the same `stale` ones each time: live ones
 * are seeded once and topped up, a fresh set of stale ones is seeded before every sweep.
 */
async function measureMode(
  mode: 'memory' | 'redis',
  registry: ConnectionRegistry,
  sizes: readonly number[],
  stale: number,
): Promise<ReaperModeResult> {
  const samples: ReaperSample[] = [];
  let live = 0;
  let staleBatch = 0;
  for (const size of sizes) {
    for (let i = live; i < size; i += SEED_BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(SEED_BATCH, size - i) }, (_, k) =>
          registry.register(record(liveId(i + k), Date.now(), i + k)),
        ),
      );
    }
    live = size;
    const sweepsMs: number[] = [];
    let removed = 0;
    for (let rep = 0; rep < REPETITIONS; rep++) {
      // As in service: the stale ones stopped heartbeating, the live ones heartbeated since.
      await seed(registry, `stale-${staleBatch++}-`, stale, Date.now() - 10 * STALE_AFTER_MS);
      await touchLive(registry, size);
      const started = performance.now();
      const result = await registry.sweep({ staleAfterMs: STALE_AFTER_MS });
      sweepsMs.push(performance.now() - started);
      removed = result.staleRemoved;
      if (!result.ran || result.staleRemoved !== stale) {
        throw new Error(
          `${mode} sweep removed ${result.staleRemoved} of ${stale} stale (ran: ${result.ran})`,
        );
      }
    }
    samples.push({ live: size, stale, sweepMs: median(sweepsMs), sweepsMs, removed });
  }
  const first = samples[0]?.sweepMs ?? Number.NaN;
  const last = samples[samples.length - 1]?.sweepMs ?? Number.NaN;
  return { mode, samples, largeOverSmall: ratio(last, first) };
}

/** The reaper's sweep time at `small` and `large` live connections with `small` stale, in both registries. */
export async function measureReaper(
  processes: ChildProcesses,
  small: number,
  large: number,
): Promise<ReaperResult> {
  const sizes = [small, large];
  const memory = new MemoryConnectionRegistry({ nodeId: 'bench-node' });
  await memory.start();
  const memoryResult = await measureMode('memory', memory, sizes, small);
  await memory.close();
  const redis = await startRedis(processes);
  const registry = new RedisConnectionRegistry({
    nodeId: 'bench-node',
    url: redis.url,
    flushIntervalMs: 60_000,
  });
  try {
    await registry.start();
    const redisResult = await measureMode('redis', registry, sizes, small);
    return {
      method:
        `registry.sweep() on ${small.toLocaleString('en-US')} then ${large.toLocaleString('en-US')} live connections, ` +
        `${small.toLocaleString('en-US')} stale seeded before each sweep, median of ${REPETITIONS} sweeps; ` +
        'Redis on a throwaway redis-server',
      modes: [memoryResult, redisResult],
    };
  } finally {
    await registry.close().catch(() => undefined);
    await processes.stop(redis.child, 1_000);
  }
}
