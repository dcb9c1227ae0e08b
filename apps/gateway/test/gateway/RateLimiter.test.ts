import { describe, expect, it } from 'vitest';
import { Bucket, RateLimiter, RatePolicy } from '../../src/gateway/RateLimiter';

const limits = {
  control: { capacity: 3, refillPerSecond: 2 },
  signal: { capacity: 400, refillPerSecond: 100 },
  speaking: { capacity: 20, refillPerSecond: 5 },
  subscribe: { capacity: 1, refillPerSecond: 4 },
};

/**
 * The token bucket the limiter stands for, written the obvious way: a token count and a last-refill time.
 * It counts thousandths of a token, so its arithmetic is exact (integers) for whole-millisecond clocks.
 */
class ReferenceBucket {
  private milliTokens: number;
  private at: number;
  constructor(
    private readonly limit: { capacity: number; refillPerSecond: number },
    now: number,
  ) {
    this.milliTokens = limit.capacity * 1000;
    this.at = now;
  }
  take(now: number): number {
    if (now > this.at) {
      const refilled = this.milliTokens + (now - this.at) * this.limit.refillPerSecond;
      this.milliTokens = Math.min(this.limit.capacity * 1000, refilled);
      this.at = now;
    }
    if (this.milliTokens >= 1000) {
      this.milliTokens -= 1000;
      return 0;
    }
    return Math.ceil((1000 - this.milliTokens) / this.limit.refillPerSecond);
  }
}

describe('RateLimiter', () => {
  it('allows a burst of the capacity, then refills at the rate', () => {
    const limiter = new RateLimiter(new RatePolicy(limits, 0));
    const take = (now: number) => limiter.take(Bucket.Control, now);
    expect([take(0), take(0), take(0)]).toEqual([0, 0, 0]);
    expect(take(0)).toBe(500);
    expect(take(250)).toBe(250);
    expect(take(500)).toBe(0);
    expect([take(10_000), take(10_000), take(10_000)]).toEqual([0, 0, 0]);
    expect(take(10_000)).toBe(500);
  });

  it('keeps each bucket apart', () => {
    const limiter = new RateLimiter(new RatePolicy(limits, 1_000));
    expect(limiter.take(Bucket.Subscribe, 1_000)).toBe(0);
    expect(limiter.take(Bucket.Subscribe, 1_000)).toBe(250);
    for (let i = 0; i < 3; i++) expect(limiter.take(Bucket.Control, 1_000)).toBe(0);
    expect(limiter.take(Bucket.Control, 1_000)).toBe(500);
    for (let i = 0; i < 400; i++) expect(limiter.take(Bucket.Signal, 1_000)).toBe(0);
    expect(limiter.take(Bucket.Signal, 1_000)).toBe(10);
    expect(limiter.take(Bucket.Speaking, 1_000)).toBe(0);
  });

  it('answers exactly as a token bucket would, over random traffic', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const start = 1_796_000_000_000;
    const limiter = new RateLimiter(new RatePolicy(limits, start));
    const names = ['control', 'signal', 'speaking', 'subscribe'] as const;
    const reference = names.map((name) => new ReferenceBucket(limits[name], start));
    let now = start;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      // Mostly bursts (same millisecond), sometimes pauses long enough to refill a bucket or two.
      const r = random();
      now += r < 0.6 ? 0 : r < 0.95 ? Math.floor(random() * 20) : Math.floor(random() * 5_000);
      const bucket = Math.floor(random() * 4) as Bucket;
      const wait = limiter.take(bucket, now);
      expect(wait, `take ${i} of bucket ${names[bucket]} at +${now - start} ms`).toBe(
        (reference[bucket] as ReferenceBucket).take(now),
      );
      if (wait > 0) refused++;
    }
    // The traffic was hard enough to be refused often, and not so hard that nothing passed.
    expect(refused).toBeGreaterThan(2_000);
    expect(refused).toBeLessThan(18_000);
  });

  it('stays correct on a node older than the small-integer range of its clock', () => {
    const epoch = 0;
    const limiter = new RateLimiter(new RatePolicy(limits, epoch));
    const late = 2 ** 31 + 0.5; // past what V8 keeps as a small integer, and fractional
    expect([0, 0, 0].map(() => limiter.take(Bucket.Control, late))).toEqual([0, 0, 0]);
    expect(limiter.take(Bucket.Control, late)).toBe(500);
    expect(limiter.take(Bucket.Control, late + 500)).toBe(0);
  });
});
