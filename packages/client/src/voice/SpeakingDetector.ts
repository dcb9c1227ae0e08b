export interface SpeakingDetectorOptions {
  /** dBFS above which the input counts as speech (-100 … 0). */
  readonly thresholdDb: number;
  /** Speaking stays on this long after the level falls below the threshold (no flicker between words). */
  readonly hangoverMs: number;
}

/** RMS of time-domain samples (−1…1) in dBFS; silence is −100. */
export function rmsDb(samples: ArrayLike<number>): number {
  if (samples.length === 0) return -100;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as number;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / samples.length);
  return rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100;
}

/** dBFS → 0..1 for a meter (−100 → 0, 0 → 1). */
export const dbToLevel = (db: number): number => Math.min(1, Math.max(0, (db + 100) / 100));

/**
 * Speaking from a stream of levels: on as soon as a level exceeds the threshold, off once no level
 * has exceeded it for `hangoverMs`. Pure: time comes in with each sample.
 */
export class SpeakingDetector {
  #thresholdDb: number;
  #hangoverMs: number;
  #speaking = false;
  #lastAboveAt = Number.NEGATIVE_INFINITY;

  constructor(options: SpeakingDetectorOptions) {
    this.#thresholdDb = SpeakingDetector.#checkThreshold(options.thresholdDb);
    this.#hangoverMs = Math.max(0, options.hangoverMs);
  }

  static #checkThreshold(db: number): number {
    if (!(db >= -100 && db <= 0))
      throw new RangeError(`speaking threshold must be in [-100, 0] dBFS, got ${db}`);
    return db;
  }

  get speaking(): boolean {
    return this.#speaking;
  }
  get thresholdDb(): number {
    return this.#thresholdDb;
  }
  set thresholdDb(db: number) {
    this.#thresholdDb = SpeakingDetector.#checkThreshold(db);
  }
  set hangoverMs(ms: number) {
    this.#hangoverMs = Math.max(0, ms);
  }

  /** Feed one level; returns the new value when speaking changed, else null. */
  update(levelDb: number, nowMs: number): boolean | null {
    if (levelDb > this.#thresholdDb) this.#lastAboveAt = nowMs;
    const next = nowMs - this.#lastAboveAt <= this.#hangoverMs;
    if (next === this.#speaking) return null;
    this.#speaking = next;
    return next;
  }

  /** Force silence (mute, push-to-talk released); returns false when that changed the state. */
  reset(): boolean | null {
    this.#lastAboveAt = Number.NEGATIVE_INFINITY;
    if (!this.#speaking) return null;
    this.#speaking = false;
    return false;
  }
}
