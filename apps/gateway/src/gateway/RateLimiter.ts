import type { TokenBucketLimit } from '@miscord/protocol';

/** A connection's rate-limited kinds of frame, each with its own bucket (an index into the limiter). */
export const Bucket = { Control: 0, Signal: 1, Speaking: 2, Subscribe: 3 } as const;
export type Bucket = (typeof Bucket)[keyof typeof Bucket];

export interface BucketLimits {
  readonly control: TokenBucketLimit;
  readonly signal: TokenBucketLimit;
  readonly speaking: TokenBucketLimit;
  readonly subscribe: TokenBucketLimit;
}

/** The node's limits in the form every connection's limiter reads them: computed once, shared. */
export class RatePolicy {
  /** Milliseconds one frame costs, by bucket. */
  readonly interval: readonly number[];
  /** How far ahead of the clock a bucket's due time may run: (capacity − 1) intervals, the burst. */
  readonly tolerance: readonly number[];

  /** `epoch`: the zero of the limiters' clock (see RateLimiter). */
  constructor(
    limits: BucketLimits,
    readonly epoch = Date.now(),
  ) {
    const ordered = [limits.control, limits.signal, limits.speaking, limits.subscribe];
    const interval = ordered.map((limit) => 1000 / limit.refillPerSecond);
    this.interval = interval;
    this.tolerance = ordered.map((limit, i) => (Math.max(1, limit.capacity) - 1) * (interval[i] as number));
  }
}

/**
 * A connection's four token buckets, as the generic cell rate algorithm keeps them: one number per
 * bucket, the time its next frame is due if frames came at exactly the refill rate. A frame is allowed
 * while that time is at most a burst (`tolerance`) ahead of the clock, and moves it on by one interval.
 * Equivalent to a bucket of `capacity` tokens refilled at `refillPerSecond` (the test checks it against
 * one), without a token count and a last-update time per bucket in objects of their own: 334 bytes of
 * heap per connection before, 70 now (100,000 of each, after a full GC). The due times count
 * milliseconds from the policy's epoch, so they stay small integers, which V8 keeps in the object
 * unboxed, for the first twelve days of a node's life (plain numbers after that). Four fields, not an
 * array: a written array literal costs 60 bytes more.
 */
export class RateLimiter {
  private control = 0;
  private signal = 0;
  private speaking = 0;
  private subscribe = 0;

  constructor(private readonly policy: RatePolicy) {}

  /** Take a token from `bucket`: 0 when the frame is allowed, else the ms until it would be. */
  take(bucket: Bucket, now: number): number {
    const policy = this.policy;
    const clock = now - policy.epoch;
    const due = Math.max(this.dueOf(bucket), clock);
    const wait = due - (policy.tolerance[bucket] as number) - clock;
    if (wait > 0) return Math.ceil(wait);
    this.setDue(bucket, due + (policy.interval[bucket] as number));
    return 0;
  }

  private dueOf(bucket: Bucket): number {
    switch (bucket) {
      case Bucket.Control:
        return this.control;
      case Bucket.Signal:
        return this.signal;
      case Bucket.Speaking:
        return this.speaking;
      case Bucket.Subscribe:
        return this.subscribe;
    }
  }

  private setDue(bucket: Bucket, due: number): void {
    switch (bucket) {
      case Bucket.Control:
        this.control = due;
        return;
      case Bucket.Signal:
        this.signal = due;
        return;
      case Bucket.Speaking:
        this.speaking = due;
        return;
      case Bucket.Subscribe:
        this.subscribe = due;
        return;
    }
  }
}
