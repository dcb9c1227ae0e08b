/**
 * The promise of one join()/move(): resolved when the gateway confirms our own VOICE_STATE, rejected
 * on a refusal (CHANNEL_FULL, UNKNOWN_CHANNEL) or a timeout. A newer join supersedes an older one
 * without failing the session.
 */
export class JoinWaiter {
  readonly channelId: string;
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: Error) => void;
  readonly #timer: ReturnType<typeof setTimeout>;
  #settled = false;

  constructor(channelId: string, timeoutMs: number, onTimeout: (error: Error) => void) {
    this.channelId = channelId;
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#timer = setTimeout(
      () => onTimeout(new Error(`no confirmation from the gateway for ${channelId} in ${timeoutMs} ms`)),
      timeoutMs,
    );
  }

  get settled(): boolean {
    return this.#settled;
  }

  resolve(): void {
    if (this.#finish()) this.#resolve();
  }

  reject(error: Error): void {
    if (this.#finish()) this.#reject(error);
  }

  /** Another join replaced this one: its caller learns it did not complete, as it asked for elsewhere. */
  supersede(nextChannelId: string): void {
    this.reject(new Error(`join of ${this.channelId} superseded by a join of ${nextChannelId}`));
  }

  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    return true;
  }
}
