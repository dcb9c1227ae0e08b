import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeater } from '../../src/gateway/Heartbeater';

describe('Heartbeater', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits a random fraction of the interval before the first beat, then beats every interval', () => {
    const beat = vi.fn();
    const hb = new Heartbeater({ intervalMs: 1000, beat, onZombie: vi.fn(), random: () => 0.25 });
    expect(hb.firstDelayMs()).toBe(250);
    hb.start();
    vi.advanceTimersByTime(249);
    expect(beat).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(beat).toHaveBeenCalledTimes(1);
    hb.ack();
    vi.advanceTimersByTime(1000);
    expect(beat).toHaveBeenCalledTimes(2);
    hb.stop();
  });

  it('reports a zombie when a beat is due and the previous one was never acknowledged', () => {
    const beat = vi.fn();
    const onZombie = vi.fn();
    const hb = new Heartbeater({ intervalMs: 100, beat, onZombie, random: () => 0 });
    hb.start();
    vi.advanceTimersByTime(0);
    expect(beat).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100);
    expect(onZombie).toHaveBeenCalledTimes(1);
    expect(beat).toHaveBeenCalledTimes(1);
    expect(hb.running).toBe(false);
  });

  it('measures the round trip of each ack and ignores unexpected acks', () => {
    let now = 0;
    const hb = new Heartbeater({
      intervalMs: 100,
      beat: vi.fn(),
      onZombie: vi.fn(),
      random: () => 0,
      now: () => now,
    });
    expect(hb.ack()).toBeNull();
    hb.start();
    vi.advanceTimersByTime(0);
    now = 42;
    expect(hb.ack()).toBe(42);
    expect(hb.lastRttMs).toBe(42);
    expect(hb.counts).toEqual({ beats: 1, acks: 1 });
    hb.stop();
  });

  it('refuses a non-positive interval', () => {
    expect(() => new Heartbeater({ intervalMs: 0, beat: vi.fn(), onZombie: vi.fn() })).toThrow(RangeError);
  });
});
