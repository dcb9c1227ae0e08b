import { defaultLimits, heartbeatDeadlineMs, type Limits } from '@miscord/protocol';

/** The limits in force on a node: the protocol's READY limits plus timing the node enforces. */
export interface GatewayLimits extends Limits {
  readonly heartbeatIntervalMs: number;
  readonly heartbeatDeadlineMs: number;
  readonly resumeWindowMs: number;
  readonly replayBufferSize: number;
  /**
   * Bytes that may wait in user space for a client (beyond what the kernel's socket buffers hold). Over it
   * for a second without shrinking, the node drops the connection (4010).
   */
  readonly maxBufferedBytes: number;
}

/** 1 MiB: dozens of SDP offers; a reading client drains a larger burst (a replay) within a second. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export type LimitOverrides = Partial<GatewayLimits>;

export function resolveLimits(overrides: LimitOverrides = {}): GatewayLimits {
  const heartbeatIntervalMs = overrides.heartbeatIntervalMs ?? defaultLimits.heartbeatIntervalMs;
  return {
    maxFrameBytes: defaultLimits.maxFrameBytes,
    maxSignalBytes: defaultLimits.maxSignalBytes,
    maxControlBytes: defaultLimits.maxControlBytes,
    control: defaultLimits.control,
    signal: defaultLimits.signal,
    speaking: defaultLimits.speaking,
    subscribe: defaultLimits.subscribe,
    maxTopicsPerConnection: defaultLimits.maxTopicsPerConnection,
    maxTopicsPerRequest: defaultLimits.maxTopicsPerRequest,
    resumeWindowMs: defaultLimits.resumeWindowMs,
    replayBufferSize: defaultLimits.replayBufferSize,
    maxBufferedBytes: MAX_BUFFERED_BYTES,
    ...overrides,
    heartbeatIntervalMs,
    heartbeatDeadlineMs: overrides.heartbeatDeadlineMs ?? heartbeatDeadlineMs(heartbeatIntervalMs),
  };
}
