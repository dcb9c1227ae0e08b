import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { defaultLimits, encode, heartbeatDeadlineMs, KiB, Limits } from '../src/index';
import { limits, twoScreensOfferSdp } from './fixtures/messages';

describe('defaultLimits', () => {
  it('the part sent in READY matches the Limits schema', () => {
    expect(Compile(Limits).Check(limits)).toBe(true);
  });

  it('maxSignalBytes is a power of two KiB, 2–4× the largest SIGNAL measured in Chromium', () => {
    const kib = defaultLimits.maxSignalBytes / KiB;
    expect(Number.isInteger(Math.log2(kib))).toBe(true);
    // The fixture is the largest case of scripts/measure-sdp.ts: a re-offer after both peers share screens.
    const largest = Buffer.byteLength(
      encode({ op: 5, d: { to: 'x'.repeat(36), data: { type: 'offer', sdp: twoScreensOfferSdp } } }),
    );
    expect(largest).toBeGreaterThan(8 * KiB);
    expect(defaultLimits.maxSignalBytes / largest).toBeGreaterThanOrEqual(2);
    expect(defaultLimits.maxSignalBytes / largest).toBeLessThanOrEqual(4);
  });

  it('frame limits nest: control ≤ signal ≤ frame', () => {
    expect(defaultLimits.maxControlBytes).toBeLessThanOrEqual(defaultLimits.maxSignalBytes);
    expect(defaultLimits.maxSignalBytes).toBeLessThanOrEqual(defaultLimits.maxFrameBytes);
    expect(defaultLimits.maxFrameBytes).toBe(64 * KiB);
  });

  it('the control bucket allows 120 requests per 60 s', () => {
    expect(defaultLimits.control.capacity).toBe(120);
    expect(defaultLimits.control.refillPerSecond * 60).toBe(120);
  });
});

describe('heartbeatDeadlineMs', () => {
  it('is 2 × interval + 5 s', () => {
    expect(heartbeatDeadlineMs(15_000)).toBe(35_000);
    expect(heartbeatDeadlineMs(1_000)).toBe(7_000);
  });
});
