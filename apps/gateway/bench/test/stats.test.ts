import { describe, expect, it } from 'vitest';
import { median, mergeSorted, quantileSorted, ratio } from '../stats';

describe('bench statistics', () => {
  it('takes nearest-rank quantiles of sorted samples', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileSorted(sorted, 0.5)).toBe(50);
    expect(quantileSorted(sorted, 0.99)).toBe(99);
    expect(quantileSorted(sorted, 1)).toBe(100);
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('merges worker samples into one sorted array', () => {
    expect([...mergeSorted([Uint32Array.of(5, 1), Uint32Array.of(3), []])]).toEqual([1, 3, 5]);
  });

  it('medians ignore missing values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, Number.NaN, 2, 3])).toBe(2.5);
    expect(median([Number.NaN])).toBeNaN();
  });

  it('ratios of missing or zero baselines are NaN', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });
});
