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

  it('never replays across a missing frame', () => {
    const stored = [
      { seq: 4, frame: 'd' },
      { seq: 6, frame: 'f' },
      { seq: 7, frame: 'g' },
    ];
    const rebuilt = ReplayBuffer.from(stored, 100, 7);
    expect(rebuilt.since(5)?.map((f) => f.frame)).toEqual(['f', 'g']);
    expect(rebuilt.since(3)).toBeNull();
    // Frames after the last one stored are missing too: only a resume from lastSeq can continue.
    const short = ReplayBuffer.from(stored.slice(0, 1), 100, 7);
    expect(short.since(7)).toEqual([]);
    expect(short.since(4)).toBeNull();
    short.push(8, 'h');
    expect(short.since(7)?.map((f) => f.seq)).toEqual([8]);
  });

  it('holds nothing once everything is acknowledged, and grows again after', () => {
    const buffer = new ReplayBuffer(1000);
    for (let s = 1; s <= 40; s++) buffer.push(s, `f${s}`);
    buffer.acknowledge(40);
    expect(buffer.size).toBe(0);
    expect(buffer.since(40)).toEqual([]);
    expect(buffer.since(39)).toBeNull();
    for (let s = 41; s <= 60; s++) buffer.push(s, `f${s}`);
    expect(buffer.since(50)?.map((f) => f.frame)).toEqual(Array.from({ length: 10 }, (_, i) => `f${51 + i}`));
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
