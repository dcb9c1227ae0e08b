import { describe, expect, it } from 'vitest';
import { DefaultReconnectPolicy, defaultReconnectDelaysMs } from '../../src/gateway/ReconnectPolicy';

const ctx = (attempt: number) => ({ attempt, closeCode: 1006, elapsedMs: 0 });

describe('DefaultReconnectPolicy', () => {
  it('waits 1, 2, 4, 8, 16, 32 s and then 32 s forever when jitter is zero', () => {
    const policy = new DefaultReconnectPolicy({ jitter: 0 });
    const delays = Array.from({ length: 10 }, (_, i) => policy.nextDelayMs(ctx(i + 1)));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000, 32000, 32000]);
    expect(policy.nextDelayMs(ctx(10_000))).toBe(32_000);
  });

  it('keeps every delay within ±jitter of its base', () => {
    for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
      const policy = new DefaultReconnectPolicy({ jitter: 0.2, random: () => r });
      defaultReconnectDelaysMs.forEach((base, i) => {
        const d = policy.nextDelayMs(ctx(i + 1)) as number;
        expect(d).toBeGreaterThanOrEqual(base * 0.8);
        expect(d).toBeLessThanOrEqual(base * 1.2);
      });
    }
  });

  it('spreads clients: different random draws give different delays', () => {
    const low = new DefaultReconnectPolicy({ random: () => 0 }).nextDelayMs(ctx(3));
    const high = new DefaultReconnectPolicy({ random: () => 0.99 }).nextDelayMs(ctx(3));
    expect(low).toBe(3200);
    expect(high).toBeGreaterThan(4700);
  });

  it('gives up (null) after maxAttempts', () => {
    const policy = new DefaultReconnectPolicy({ jitter: 0, maxAttempts: 2, delaysMs: [10] });
    expect(policy.nextDelayMs(ctx(1))).toBe(10);
    expect(policy.nextDelayMs(ctx(2))).toBe(10);
    expect(policy.nextDelayMs(ctx(3))).toBeNull();
  });

  it('refuses nonsense configuration and attempts', () => {
    expect(() => new DefaultReconnectPolicy({ delaysMs: [] })).toThrow(RangeError);
    expect(() => new DefaultReconnectPolicy({ delaysMs: [-1] })).toThrow(RangeError);
    expect(() => new DefaultReconnectPolicy({ jitter: 1 })).toThrow(RangeError);
    expect(() => new DefaultReconnectPolicy().nextDelayMs(ctx(0))).toThrow(RangeError);
  });
});
