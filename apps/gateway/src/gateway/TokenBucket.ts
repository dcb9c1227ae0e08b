import type { TokenBucketLimit } from '@miscord/protocol';

/** A token bucket: `take()` returns 0 when allowed, else the ms until a token is back. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: TokenBucketLimit,
    now: number,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = now;
  }

  take(now: number): number {
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.tokens = Math.min(
        this.limit.capacity,
        this.tokens + (elapsed * this.limit.refillPerSecond) / 1000,
      );
      this.updatedAt = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.limit.refillPerSecond);
  }
}
