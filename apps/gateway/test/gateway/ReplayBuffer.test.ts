import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/gateway/ReplayBuffer';
import { TokenBucket } from '../../src/gateway/TokenBucket';

describe('ReplayBuffer', () => {
  it('returns the frames after a seq, drops acknowledged ones and reports gaps', () => {
    const buffer = new ReplayBuffer(3);
    for (let s = 1; s <= 5; s++) buffer.push(s, `f${s}`);
    expect(buffer.size).toBe(3);
    expect(buffer.since(2)?.map((f) => f.frame)).toEqual(['f3', 'f4', 'f5']);
    expect(buffer.since(4)?.map((f) => f.seq)).toEqual([5]);
    expect(buffer.since(5)).toEqual([]);
    // Frame 2 was pushed out by the cap: a resume from seq 1 would miss it.
    expect(buffer.since(1)).toBeNull();
    buffer.acknowledge(4);
    expect(buffer.size).toBe(1);
    expect(buffer.since(4)?.map((f) => f.seq)).toEqual([5]);
    expect(buffer.since(3)).toBeNull();
  });

  it('stays correct across many compactions', () => {
    const buffer = new ReplayBuffer(1000);
    for (let s = 1; s <= 10_000; s++) {
      buffer.push(s, `f${s}`);
      if (s % 7 === 0) buffer.acknowledge(s - 3);
    }
    const all = buffer.all();
    expect(all.at(-1)?.seq).toBe(10_000);
    expect(all.map((f) => f.seq)).toEqual(
      Array.from({ length: all.length }, (_, i) => 10_000 - all.length + 1 + i),
    );
  });

  it('rebuilds from stored frames with the right gap boundary', () => {
    const rebuilt = ReplayBuffer.from(
      [
        { seq: 8, frame: 'a' },
        { seq: 9, frame: 'b' },
      ],
      100,
      9,
    );
    expect(rebuilt.since(7)?.map((f) => f.frame)).toEqual(['a', 'b']);
    expect(rebuilt.since(6)).toBeNull();
    expect(ReplayBuffer.from([], 100, 12).since(12)).toEqual([]);
  });
});

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then refills at its rate', () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(500);
    expect(bucket.take(250)).toBe(250);
    expect(bucket.take(500)).toBe(0);
    expect(bucket.take(10_000)).toBe(0);
    expect(bucket.take(10_000)).toBe(0);
    expect(bucket.take(10_000)).toBe(0);
    expect(bucket.take(10_000)).toBeGreaterThan(0);
  });
});
