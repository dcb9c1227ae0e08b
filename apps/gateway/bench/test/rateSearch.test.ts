import { describe, expect, it } from 'vitest';
import type { TrafficSummary } from '../measureTraffic';
import type { SearchOptions } from '../options';
import { STEAL_VOID_SHARE, searchRates } from '../rateSearch';

const options: SearchOptions = {
  enabled: true,
  n: 1_000,
  startRate: 4_000,
  growth: 1.5,
  maxSteps: 9,
  warmupS: 1,
  durationS: 3,
  p99LimitMs: 50,
};

/** What one step measured: the server's limit is `limit` msg/s; `steal` by rate, in the order asked. */
function fakeServer(limit: number, steal: Record<number, number[]> = {}) {
  const asked: number[] = [];
  const measure = async (rate: number): Promise<TrafficSummary> => {
    asked.push(rate);
    const stolen = steal[rate]?.shift() ?? 0.002;
    // A stall by the host fails a step at any rate; the server fails above its limit.
    const p99Ms = stolen > STEAL_VOID_SHARE || rate > limit ? 120 : 5;
    return {
      targetRate: rate,
      achievedRate: rate,
      lost: 0,
      misdelivered: 0,
      p99Ms,
      serverCpuShare: rate / limit,
      generatorCpuShare: 0.5,
      stealShare: stolen,
    } as TrafficSummary;
  };
  return { asked, measure };
}

describe('searchRates', () => {
  it('grows the rate until a step fails, then bisects twice', async () => {
    const server = fakeServer(40_000);
    const result = await searchRates(options, 90_000, server.measure);
    expect(server.asked).toEqual([4_000, 6_000, 9_000, 13_500, 20_250, 30_375, 45_563, 37_969, 41_766]);
    expect(result).toMatchObject({ highestRate: 37_969, endedBy: 'failure' });
    expect(result.steps.every((step) => !step.void)).toBe(true);
  });

  it('measures a failed step again when the host stole more than its share, and counts only the second', async () => {
    const server = fakeServer(40_000, { 6000: [0.12] });
    const result = await searchRates(options, 90_000, server.measure);
    expect(server.asked.slice(0, 3)).toEqual([4_000, 6_000, 6_000]);
    expect(result.steps[1]).toMatchObject({ rate: 6_000, pass: false, void: true, stealShare: 0.12 });
    expect(result.steps[2]).toMatchObject({ rate: 6_000, pass: true, void: false });
    expect(result.highestRate).toBe(37_969);
  });

  it('voids a step once only: a host that stays busy fails it', async () => {
    const server = fakeServer(40_000, { 6000: [0.12, 0.2] });
    const result = await searchRates(options, 90_000, server.measure);
    expect(server.asked).toEqual([4_000, 6_000, 6_000, 5_000, 5_500]);
    expect(result.highestRate).toBe(5_500);
  });

  it('keeps a failure with little steal: the server, not the host, failed it', async () => {
    const server = fakeServer(40_000, { 45563: [STEAL_VOID_SHARE / 2] });
    const result = await searchRates(options, 90_000, server.measure);
    expect(server.asked.filter((rate) => rate === 45_563)).toHaveLength(1);
    expect(result.highestRate).toBe(37_969);
  });

  it('stops at the ceiling with a lower bound', async () => {
    const server = fakeServer(1e9);
    const result = await searchRates(options, 30_000, server.measure);
    expect(result).toMatchObject({ highestRate: 30_000, endedBy: 'rate-limit' });
  });
});
