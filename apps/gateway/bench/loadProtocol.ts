/** Messages between the benchmark's main process and its load-generator processes (IPC, structured clone). */

export type LoadTarget =
  | { readonly kind: 'relay'; readonly wsUrl: string }
  | { readonly kind: 'gateway'; readonly httpUrl: string; readonly wsUrl: string };

/** One pair of clients signalling each other; `channelId` is the gateway voice channel they share. */
export interface PairSpec {
  readonly index: number;
  readonly channelId: string;
}

export interface TrafficPlan {
  /** Messages per second this worker sends, spread evenly over its connections. */
  readonly ratePerSecond: number;
  /** process.hrtime in µs: sending starts (warm-up), the measured window opens and closes, receipts stop. */
  readonly startAt: number;
  readonly measureFrom: number;
  readonly measureTo: number;
  readonly drainUntil: number;
}

export type ToWorker =
  | {
      readonly type: 'setup';
      readonly target: LoadTarget;
      readonly pairs: readonly PairSpec[];
      readonly concurrency: number;
    }
  /** Open (and for the gateway: HELLO → IDENTIFY → READY) the connections of the first `pairs` pairs. */
  | { readonly type: 'connect'; readonly pairs: number }
  /** Gateway only: put the connected pairs in their voice channels and wait until each sees its partner. */
  | { readonly type: 'join' }
  /** Gateway only: every client heartbeats now with the last sequence it saw (acknowledging it all). */
  | { readonly type: 'acknowledge' }
  | { readonly type: 'traffic'; readonly plan: TrafficPlan }
  | { readonly type: 'close' };

export interface TrafficResult {
  readonly sent: number;
  readonly received: number;
  readonly duplicates: number;
  readonly misdelivered: number;
  readonly sentInWindow: number;
  /** Receipts whose arrival fell inside the measured window. */
  readonly receivedInWindow: number;
  /** Relay latency in µs of every message sent inside the window and received. */
  readonly latenciesMicros: Uint32Array;
  /** Per second since startAt, by send time: messages received, summed and largest latency (µs). */
  readonly timeline: readonly TimelineBucket[];
  /** Largest lag of the pacer behind its schedule, ms (the generator's own saturation). */
  readonly maxPacerLagMs: number;
  readonly errors: Readonly<Record<string, number>>;
}

export interface TimelineBucket {
  readonly count: number;
  readonly sumMicros: number;
  readonly maxMicros: number;
}

export type FromWorker =
  | { readonly type: 'setupDone'; readonly sessionsMs: number }
  | { readonly type: 'connected'; readonly connections: number; readonly ms: number }
  | { readonly type: 'joined'; readonly connections: number; readonly ms: number }
  | { readonly type: 'acknowledged' }
  | { readonly type: 'trafficDone'; readonly result: TrafficResult }
  | { readonly type: 'failed'; readonly message: string };
