/** Default limits of protocol v1. The gateway sends the ones in force in READY (`limits`). */

export const PROTOCOL_VERSION = 1;

export const KiB = 1024;

export const defaultLimits = {
  /** Largest text frame the server accepts; larger closes 4002. */
  maxFrameBytes: 64 * KiB,
  /**
   * Largest SIGNAL frame. Measured with scripts/measure-sdp.ts in Chromium 156 (docs/protocol.md,
   * "Limits"): audio-only offers travel in ~2.2 KB frames, audio + one screen in ~6.8 KB, and the
   * largest, a re-offer after both peers share screens (audio, data channel, two video m-lines with
   * every codec and inlined candidates), in 10,810 bytes. 32 KiB is 3× that: room for simulcast,
   * screen audio and new codecs, yet a flood of oversized frames is refused before parsing `d`.
   */
  maxSignalBytes: 32 * KiB,
  /**
   * Largest frame of any other op. The largest valid one is a SUBSCRIBE with 128 topics of 64-character
   * channel ids (about 9.5 KB), so 16 KiB; everything else fits in well under 4 KiB.
   */
  maxControlBytes: 16 * KiB,
  /** Control ops (IDENTIFY, RESUME, VOICE_STATE_UPDATE, SUBSCRIBE, UNSUBSCRIBE): token bucket. */
  control: { capacity: 120, refillPerSecond: 2 },
  /** SIGNAL: a burst fits one negotiation with every peer of a full channel (offer + trickle ICE). */
  signal: { capacity: 400, refillPerSecond: 100 },
  /** SPEAKING: over this rate frames are dropped with ERROR RATE_LIMITED. */
  speaking: { capacity: 20, refillPerSecond: 5 },
  /** SUBSCRIBE and UNSUBSCRIBE requests per second (on top of the control bucket). */
  subscribe: { capacity: 5, refillPerSecond: 5 },
  maxTopicsPerConnection: 1024,
  maxTopicsPerRequest: 128,
  heartbeatIntervalMs: 15_000,
  /** How long a dropped session stays resumable and its dispatches replayable. */
  resumeWindowMs: 60_000,
  /** Dispatches kept per session for replay. */
  replayBufferSize: 1000,
} as const;

export interface TokenBucketLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** The server closes a connection that sent no heartbeat for this long (4009). */
export function heartbeatDeadlineMs(intervalMs: number): number {
  return intervalMs * 2 + 5_000;
}
