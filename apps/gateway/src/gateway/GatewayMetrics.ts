import { closeCodeTable, opName } from '@miscord/protocol';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FrameStoreStats } from './FrameStore';

export type Tally = Record<string, number>;

export interface CleanupStats {
  lastRunAt: string | null;
  durationMs: number | null;
  staleRemoved: number;
  totalRemoved: number;
}

const inc = (tally: Tally, key: string, by = 1): void => {
  tally[key] = (tally[key] ?? 0) + by;
};

/** Names of client ops, computed once (the hot path only indexes). */
const opNames: string[] = Array.from({ length: 16 }, (_, op) => opName(op));
export const nameOfOp = (op: number): string => (op >= 0 && op < 16 ? (opNames[op] as string) : opName(op));

export const nameOfClose = (code: number): string =>
  (closeCodeTable as Record<number, { name: string } | undefined>)[code]?.name ?? `CLOSE_${code}`;

/**
 * Counters of one node: plain tallies on the hot path (an object property increment per frame), exposed
 * by the stats endpoint and, at scrape time, as prom-client `miscord_gateway_*` metrics.
 */
export class GatewayMetrics {
  readonly messagesIn: Tally = {};
  readonly messagesOut: Tally = {};
  readonly rejected: Tally = {};
  readonly closes: Tally = {};
  readonly rateLimitHits: Tally = {};
  readonly signalsRelayed: Tally = { local: 0, remote: 0 };
  readonly cleanup: CleanupStats = { lastRunAt: null, durationMs: null, staleRemoved: 0, totalRemoved: 0 };
  readonly prometheus = new Registry();
  private readonly reaperDuration: Histogram;

  constructor(
    localConnections: () => { total: number; desktop: number; web: number; sessions: number },
    frameStore: () => FrameStoreStats,
  ) {
    collectDefaultMetrics({ register: this.prometheus, prefix: 'miscord_gateway_' });
    const tallyCounter = (name: string, help: string, label: string, tally: Tally) =>
      new Counter({
        name,
        help,
        labelNames: [label],
        registers: [this.prometheus],
        collect() {
          this.reset();
          for (const [key, value] of Object.entries(tally)) this.inc({ [label]: key }, value);
        },
      });
    tallyCounter('miscord_gateway_messages_in_total', 'Frames received, by op.', 'op', this.messagesIn);
    tallyCounter(
      'miscord_gateway_messages_out_total',
      'Frames sent, by op or dispatch event.',
      'type',
      this.messagesOut,
    );
    tallyCounter(
      'miscord_gateway_messages_rejected_total',
      'Frames refused, by reason.',
      'reason',
      this.rejected,
    );
    tallyCounter(
      'miscord_gateway_closes_total',
      'Connections closed by this node, by code.',
      'code',
      this.closes,
    );
    tallyCounter(
      'miscord_gateway_rate_limit_hits_total',
      'Rate-limit hits, by bucket.',
      'bucket',
      this.rateLimitHits,
    );
    tallyCounter(
      'miscord_gateway_signals_relayed_total',
      'SIGNALs relayed, by route.',
      'route',
      this.signalsRelayed,
    );
    new Gauge({
      name: 'miscord_gateway_connections',
      help: 'WebSocket connections on this node, by client kind.',
      labelNames: ['kind'],
      registers: [this.prometheus],
      collect() {
        const counts = localConnections();
        this.set({ kind: 'desktop' }, counts.desktop);
        this.set({ kind: 'web' }, counts.web);
      },
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.prometheus],
        collect() {
          this.set(read());
        },
      });
    gauge(
      'miscord_gateway_sessions',
      'Sessions held by this node (attached or waiting for a resume).',
      () => localConnections().sessions,
    );
    gauge(
      'miscord_gateway_replay_store_bytes',
      'Bytes of the replay store (off the heap) in chunks that hold frames of attached sessions.',
      () => frameStore().bytes,
    );
    gauge(
      'miscord_gateway_replay_store_frames',
      'Relayed frames in the replay store not yet acknowledged by their clients.',
      () => frameStore().frames,
    );
    const cleanup = this.cleanup;
    new Counter({
      name: 'miscord_gateway_reaper_removed_total',
      help: 'Stale connections removed by the reaper.',
      registers: [this.prometheus],
      collect() {
        this.reset();
        this.inc(cleanup.totalRemoved);
      },
    });
    this.reaperDuration = new Histogram({
      name: 'miscord_gateway_reaper_duration_seconds',
      help: 'Duration of reaper sweeps.',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.prometheus],
    });
  }

  frameIn(op: number): void {
    inc(this.messagesIn, nameOfOp(op));
  }

  frameOut(type: string): void {
    inc(this.messagesOut, type);
  }

  reject(reason: string): void {
    inc(this.rejected, reason);
  }

  closed(code: number): void {
    inc(this.closes, String(code));
  }

  rateLimited(bucket: string): void {
    inc(this.rateLimitHits, bucket);
  }

  swept(staleRemoved: number, durationMs: number): void {
    this.cleanup.lastRunAt = new Date().toISOString();
    this.cleanup.durationMs = durationMs;
    this.cleanup.staleRemoved = staleRemoved;
    this.cleanup.totalRemoved += staleRemoved;
    this.reaperDuration.observe(durationMs / 1000);
  }
}
