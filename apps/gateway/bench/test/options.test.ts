import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../options';

describe('bench options', () => {
  it('defaults to the issue targets: N=5000 at 10,000 msg/s, 5 rounds of all three servers', () => {
    const options = parseBenchOptions([], {});
    if (options === 'help') throw new Error('help');
    expect(options).toMatchObject({ n: 5_000, rate: 10_000, rounds: 5, quick: false });
    expect(options.servers).toEqual(['relay', 'gateway-memory', 'gateway-redis']);
    expect(options.search).toMatchObject({ enabled: true, n: 1_000, p99LimitMs: 50 });
    expect(options.reaper).toMatchObject({ small: 1_000, large: 100_000 });
  });

  it('reads flags in both spellings, BENCH_* variables, and lets flags win', () => {
    const options = parseBenchOptions(['--quick', '--n', '400', '--rate=2_000', '--no-search'], {
      BENCH_N: '1000',
      BENCH_ROUNDS: '2',
      BENCH_SEARCH_N: '50',
    });
    if (options === 'help') throw new Error('help');
    expect(options).toMatchObject({ quick: true, n: 400, rate: 2_000, rounds: 2 });
    expect(options.search).toMatchObject({ enabled: false, n: 50 });
  });

  it('refuses unknown options, odd N and out-of-range numbers with a clear message', () => {
    expect(() => parseBenchOptions(['--nn=3'], {})).toThrow(/unknown option\(s\): nn/);
    expect(() => parseBenchOptions(['--n=301'], {})).toThrow(/even/);
    expect(() => parseBenchOptions(['--rate=-1'], {})).toThrow(/--rate must be a number/);
    expect(() => parseBenchOptions(['--servers=relay,nginx'], {})).toThrow(/unknown nginx/);
  });
});
