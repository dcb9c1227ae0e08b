import { describe, expect, it } from 'vitest';
import { dbToLevel, rmsDb, SpeakingDetector } from '../../src/voice/SpeakingDetector';

describe('rmsDb', () => {
  it('gives 0 dBFS for a full-scale square wave and −100 for silence', () => {
    expect(rmsDb([1, -1, 1, -1])).toBeCloseTo(0);
    expect(rmsDb([0, 0, 0])).toBe(-100);
    expect(rmsDb([])).toBe(-100);
    expect(rmsDb([0.1, -0.1])).toBeCloseTo(-20);
  });
  it('maps dBFS to a 0..1 meter level', () => {
    expect(dbToLevel(-100)).toBe(0);
    expect(dbToLevel(0)).toBe(1);
    expect(dbToLevel(-50)).toBe(0.5);
    expect(dbToLevel(-150)).toBe(0);
  });
});

describe('SpeakingDetector', () => {
  /** Feed levels every 50 ms; return the times speaking flipped. */
  function run(detector: SpeakingDetector, levels: number[]): Array<[number, boolean]> {
    const flips: Array<[number, boolean]> = [];
    levels.forEach((db, i) => {
      const changed = detector.update(db, i * 50);
      if (changed !== null) flips.push([i * 50, changed]);
    });
    return flips;
  }

  it('turns on at the first level above the threshold and off only after the hangover', () => {
    const d = new SpeakingDetector({ thresholdDb: -50, hangoverMs: 200 });
    // silence, speech for 3 samples, silence
    const flips = run(d, [-80, -80, -30, -35, -40, -80, -80, -80, -80, -80, -80]);
    // last speech at 200 ms; 200 ms hangover keeps it on through 400 ms
    expect(flips).toEqual([
      [100, true],
      [450, false],
    ]);
  });

  it('does not flicker on short gaps between words shorter than the hangover', () => {
    const d = new SpeakingDetector({ thresholdDb: -50, hangoverMs: 300 });
    const flips = run(d, [-30, -80, -80, -30, -80, -80, -80, -30, -80, -80, -80, -80, -80, -80, -80, -80]);
    expect(flips).toEqual([
      [0, true],
      [700, false],
    ]);
  });

  it('levels at or below the threshold never count as speech', () => {
    const d = new SpeakingDetector({ thresholdDb: -40, hangoverMs: 0 });
    expect(run(d, [-40, -45, -60, -41])).toEqual([]);
  });

  it('a more sensitive threshold picks up quieter speech', () => {
    const quiet = [-80, -55, -55, -80];
    expect(run(new SpeakingDetector({ thresholdDb: -50, hangoverMs: 0 }), quiet)).toEqual([]);
    expect(run(new SpeakingDetector({ thresholdDb: -60, hangoverMs: 0 }), quiet)).toEqual([
      [50, true],
      [150, false],
    ]);
  });

  it('reset() forces silence and reports the change once', () => {
    const d = new SpeakingDetector({ thresholdDb: -50, hangoverMs: 1000 });
    d.update(-20, 0);
    expect(d.speaking).toBe(true);
    expect(d.reset()).toBe(false);
    expect(d.reset()).toBeNull();
    expect(d.update(-90, 10)).toBeNull();
  });

  it('refuses thresholds outside −100 … 0 dBFS', () => {
    expect(() => new SpeakingDetector({ thresholdDb: 3, hangoverMs: 0 })).toThrow(RangeError);
    const d = new SpeakingDetector({ thresholdDb: -50, hangoverMs: 0 });
    expect(() => {
      d.thresholdDb = -101;
    }).toThrow(RangeError);
  });
});
