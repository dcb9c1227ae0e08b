import { defaultLimits, heartbeatDeadlineMs, type Limits } from '@miscord/protocol';

/** The limits in force on a node: the protocol's READY limits plus timing the node enforces. */
export interface GatewayLimits extends Limits {
  readonly heartbeatIntervalMs: number;
  readonly heartbeatDeadlineMs: number;
  readonly resumeWindowMs: number;
  readonly replayBufferSize: number;
}

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
    ...overrides,
    heartbeatIntervalMs,
    heartbeatDeadlineMs: overrides.heartbeatDeadlineMs ?? heartbeatDeadlineMs(heartbeatIntervalMs),
  };
}
