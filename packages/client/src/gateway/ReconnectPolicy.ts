/** Decides how long to wait before reconnect attempt `attempt` (1-based); `null` means give up. */
export interface ReconnectPolicy {
  nextDelayMs(context: ReconnectContext): number | null;
}

export interface ReconnectContext {
  /** 1 for the first attempt after a drop. */
  readonly attempt: number;
  /** Close code of the last drop (1006 when the socket vanished without one). */
  readonly closeCode: number;
  /** Milliseconds since the connection first dropped. */
  readonly elapsedMs: number;
}

export interface DefaultReconnectPolicyOptions {
  /** Delays for attempts 1…n; the last one repeats forever. */
  readonly delaysMs?: readonly number[];
  /** Fraction of the delay added or removed at random (0.2 → ±20 %). */
  readonly jitter?: number;
  /** Stop after this many attempts (default: never, while the app is open). */
  readonly maxAttempts?: number;
  readonly random?: () => number;
}

export const defaultReconnectDelaysMs: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/**
 * 1, 2, 4, 8, 16, 32 s, then every 32 s, each ±jitter so clients dropped by one node restart do not
 * return in lockstep. The caller resets `attempt` after a connection stayed up long enough.
 */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  readonly delaysMs: readonly number[];
  readonly jitter: number;
  readonly maxAttempts: number;
  readonly #random: () => number;

  constructor(options: DefaultReconnectPolicyOptions = {}) {
    const delays = options.delaysMs ?? defaultReconnectDelaysMs;
    if (delays.length === 0 || delays.some((d) => !(d >= 0))) {
      throw new RangeError('delaysMs must hold at least one non-negative delay');
    }
    const jitter = options.jitter ?? 0.2;
    if (!(jitter >= 0 && jitter < 1)) throw new RangeError('jitter must be in [0, 1)');
    this.delaysMs = delays;
    this.jitter = jitter;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.#random = options.random ?? Math.random;
  }

  nextDelayMs({ attempt }: ReconnectContext): number | null {
    if (!Number.isInteger(attempt) || attempt < 1)
      throw new RangeError(`attempt must be ≥ 1, got ${attempt}`);
    if (attempt > this.maxAttempts) return null;
    const base = this.delaysMs[Math.min(attempt, this.delaysMs.length) - 1] as number;
    const offset = (this.#random() * 2 - 1) * this.jitter * base;
    return Math.max(0, Math.round(base + offset));
  }
}
