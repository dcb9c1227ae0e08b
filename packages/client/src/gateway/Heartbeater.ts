export interface HeartbeaterOptions {
  readonly intervalMs: number;
  /** Send one HEARTBEAT (the caller adds the seq). */
  readonly beat: () => void;
  /** A beat came due while the previous one was still unacknowledged: the connection is a zombie. */
  readonly onZombie: () => void;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * Heartbeats at the interval from HELLO. The first beat waits a random fraction of the interval so a
 * node restart does not make every client beat at the same instant. A beat that finds the previous
 * one unacknowledged reports a zombie and stops; the connection then closes and resumes.
 */
export class Heartbeater {
  readonly intervalMs: number;
  readonly #options: HeartbeaterOptions;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sentAt: number | null = null;
  #lastRttMs: number | null = null;
  #beats = 0;
  #acks = 0;

  constructor(options: HeartbeaterOptions) {
    if (!(options.intervalMs > 0))
      throw new RangeError(`heartbeat interval must be > 0, got ${options.intervalMs}`);
    this.intervalMs = options.intervalMs;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Delay before the first beat: a random fraction of the interval. */
  firstDelayMs(): number {
    return Math.floor(this.intervalMs * (this.#options.random ?? Math.random)());
  }

  start(): void {
    this.stop();
    this.#schedule(this.firstDelayMs());
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#sentAt = null;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  /** HEARTBEAT_ACK arrived; returns the round trip in ms (null for an unexpected ack). */
  ack(): number | null {
    if (this.#sentAt === null) return null;
    this.#lastRttMs = this.#now() - this.#sentAt;
    this.#sentAt = null;
    this.#acks++;
    return this.#lastRttMs;
  }

  get lastRttMs(): number | null {
    return this.#lastRttMs;
  }

  get counts(): { beats: number; acks: number } {
    return { beats: this.#beats, acks: this.#acks };
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#tick(), delayMs);
  }

  #tick(): void {
    this.#timer = null;
    if (this.#sentAt !== null) {
      this.stop();
      this.#options.onZombie();
      return;
    }
    this.#sentAt = this.#now();
    this.#beats++;
    this.#options.beat();
    this.#schedule(this.intervalMs);
  }
}
