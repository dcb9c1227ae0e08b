import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, FrameStore } from '../../src/gateway/FrameStore';
import { ReplayBuffer } from '../../src/gateway/ReplayBuffer';

// The same behaviour whether frames are kept as strings (detached sessions) or in a FrameStore (attached).
describe.each([
  ['strings', (): FrameStore | null => null],
  ['a frame store', (): FrameStore | null => new FrameStore()],
] as const)('ReplayBuffer keeping %s', (_mode, makeStore) => {
  const newBuffer = (capacity: number): ReplayBuffer => {
    const buffer = new ReplayBuffer(capacity);
    buffer.useStore(makeStore());
    return buffer;
  };

  it('returns the frames after a seq, drops acknowledged ones and reports gaps', () => {
    const buffer = newBuffer(3);
    for (let s = 1; s <= 5; s++) buffer.push(s, `f${s}`, true);
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
    const buffer = newBuffer(1000);
    for (let s = 1; s <= 10_000; s++) {
      buffer.push(s, `f${s}`, true);
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
    const buffer = newBuffer(1000);
    for (let s = 1; s <= 40; s++) buffer.push(s, `f${s}`, true);
    buffer.acknowledge(40);
    expect(buffer.size).toBe(0);
    expect(buffer.since(40)).toEqual([]);
    expect(buffer.since(39)).toBeNull();
    for (let s = 41; s <= 60; s++) buffer.push(s, `f${s}`, true);
    expect(buffer.since(50)?.map((f) => f.frame)).toEqual(Array.from({ length: 10 }, (_, i) => `f${51 + i}`));
  });

  it("keeps a busy session's ring through full acknowledgments and drops a quiet one's", () => {
    const quiet = newBuffer(1000);
    for (let s = 1; s <= 20; s++) quiet.push(s, `f${s}`, true);
    quiet.acknowledge(20);
    expect(quiet.slots).toBe(0);

    const busy = newBuffer(1000);
    let seq = 0;
    for (let beat = 0; beat < 5; beat++) {
      for (let i = 0; i < 300; i++) busy.push(++seq, `f${seq}`, true);
      busy.acknowledge(seq);
      expect(busy.size).toBe(0);
      expect(busy.slots).toBe(512);
      expect(busy.since(seq)).toEqual([]);
      expect(busy.since(seq - 1)).toBeNull();
    }
    // The kept ring wraps around where the last acknowledgment left it, in order.
    for (let i = 0; i < 400; i++) busy.push(++seq, `f${seq}`, true);
    busy.acknowledge(seq - 100);
    expect(busy.since(seq - 100)?.map((f) => f.seq)).toEqual(
      Array.from({ length: 100 }, (_, i) => seq - 99 + i),
    );
    expect(busy.slots).toBe(512);
    busy.clear();
    expect(busy.slots).toBe(0);
  });
});

describe('FrameStore', () => {
  it('gives back every frame byte for byte, whatever its characters, at a small-integer address', () => {
    const store = new FrameStore();
    const frames = ['{"a":"é"}', '{"b":"日本語"}', '{"c":"🎙️ voice"}', '{"d":"\\ud800"}', 'x'.repeat(100_000)];
    const addresses = frames.map((frame) => store.put(frame));
    expect(addresses.map((address) => store.read(address))).toEqual(frames);
    for (const address of addresses) expect(Number.isInteger(address) && address < 2 ** 31).toBe(true);
    expect(store.stats().frames).toBe(frames.length);
    // A frame larger than a chunk is not stored (its session keeps the string).
    expect(store.put('y'.repeat(CHUNK_BYTES))).toBe(-1);
  });

  it('reuses a chunk once its last frame is released, and says when it is full', () => {
    const store = new FrameStore(2);
    const frame = 'z'.repeat(1000);
    const perChunk = Math.floor(CHUNK_BYTES / (frame.length + 4));
    const first = Array.from({ length: perChunk * 2 }, () => store.put(frame));
    expect(first.every((address) => address >= 0)).toBe(true);
    expect(store.stats().chunks).toBe(2);
    expect(store.put(frame)).toBe(-1);
    // All but one frame of the first chunk released: still full. The last one: that chunk is free again.
    for (const address of first.slice(0, perChunk - 1)) store.release(address);
    expect(store.put(frame)).toBe(-1);
    store.release(first[perChunk - 1] as number);
    expect(store.stats().chunks).toBe(1);
    const again = store.put(frame);
    expect(Math.floor(again / CHUNK_BYTES)).toBe(Math.floor((first[0] as number) / CHUNK_BYTES));
    expect(store.read(again)).toBe(frame);
    for (const address of [...first.slice(perChunk), again]) store.release(address);
    expect(store.stats().frames).toBe(0);
  });

  it('stores nothing when its memory cannot be reserved: frames stay strings', () => {
    const store = new FrameStore(8, () => {
      throw new RangeError('Array buffer allocation failed');
    });
    expect(store.put('frame')).toBe(-1);
    const buffer = new ReplayBuffer(10);
    buffer.useStore(store);
    buffer.push(1, 'kept', true);
    expect(buffer.all()).toEqual([{ seq: 1, frame: 'kept' }]);
  });

  it('keeps only relayed SIGNALs, and nothing for a session that detached', () => {
    const store = new FrameStore();
    const buffer = new ReplayBuffer(100);
    buffer.useStore(store);
    buffer.push(1, '{"voice":"state"}');
    for (let s = 2; s <= 20; s++) buffer.push(s, `{"n":${s},"t":"ü"}`, true);
    expect(store.stats().frames).toBe(19);
    buffer.useStore(null);
    expect(store.stats().frames).toBe(0);
    buffer.push(21, 'last', true);
    expect(buffer.since(18)?.map((f) => f.frame)).toEqual(['{"n":19,"t":"ü"}', '{"n":20,"t":"ü"}', 'last']);
    expect(buffer.since(0)?.[0]?.frame).toBe('{"voice":"state"}');
    // Attached again: new frames go to the store, the strings stay as they are.
    buffer.useStore(store);
    buffer.push(22, 'again', true);
    expect(store.stats().frames).toBe(1);
    expect(buffer.since(20)?.map((f) => f.frame)).toEqual(['last', 'again']);
    buffer.clear();
    expect(store.stats().frames).toBe(0);
    expect(buffer.since(22)).toEqual([]);
  });
});
