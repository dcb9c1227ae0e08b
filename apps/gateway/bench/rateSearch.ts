import { defaultLimits } from '@miscord/protocol';
import type { BenchStage } from './BenchStage';
import { measureTraffic, type TrafficSummary } from './measureTraffic';
import type { SearchOptions } from './options';

export interface SearchStep {
  readonly rate: number;
  readonly pass: boolean;
  readonly p99Ms: number;
  readonly achievedRate: number;
  readonly lost: number;
  readonly serverCpuShare: number;
  readonly generatorCpuShare: number;
}

export interface SearchResult {
  /** Highest rate that passed, or null when even the first step failed. */
  readonly highestRate: number | null;
  /**
   * Why the search stopped: a step failed (the figure is a measured limit), or it reached the
   * per-connection SIGNAL rate limit or ran out of steps first (the figure is only a lower bound).
   */
  readonly endedBy: 'failure' | 'rate-limit' | 'steps';
  readonly steps: readonly SearchStep[];
}

/** A step passes when p99 is within the limit, nothing was lost and at least 95 % of the rate arrived. */
function passes(summary: TrafficSummary, limitMs: number): boolean {
  return (
    summary.p99Ms <= limitMs &&
    summary.lost === 0 &&
    summary.misdelivered === 0 &&
    summary.achievedRate >= 0.95 * summary.targetRate
  );
}

/**
 * The highest aggregate rate whose p99 relay latency stays within the limit: grow the rate geometrically
 * until a step fails, then bisect twice between the last pass and the first failure. Never asks more than
 * 90 % of what the gateway's SIGNAL token bucket allows each connection, so the search measures
 * throughput, not the rate limiter.
 */
export async function searchHighestRate(
  stage: BenchStage,
  n: number,
  options: SearchOptions,
): Promise<SearchResult> {
  const ceiling = Math.floor(0.9 * n * defaultLimits.signal.refillPerSecond);
  const steps: SearchStep[] = [];
  const timing = { warmupS: options.warmupS, durationS: options.durationS, drainS: 10 };
  const measure = async (rate: number): Promise<boolean> => {
    const summary = await measureTraffic(stage.server, stage.fleet, rate, timing);
    const pass = passes(summary, options.p99LimitMs);
    steps.push({
      rate,
      pass,
      p99Ms: summary.p99Ms,
      achievedRate: summary.achievedRate,
      lost: summary.lost,
      serverCpuShare: summary.serverCpuShare,
      generatorCpuShare: summary.generatorCpuShare,
    });
    return pass;
  };
  let lastPass: number | null = null;
  let firstFail: number | null = null;
  let rate = Math.min(options.startRate, ceiling);
  let endedBy: SearchResult['endedBy'] = 'steps';
  for (let step = 0; step < options.maxSteps; step++) {
    if (!(await measure(rate))) {
      firstFail = rate;
      endedBy = 'failure';
      break;
    }
    lastPass = rate;
    if (rate >= ceiling) {
      endedBy = 'rate-limit';
      break;
    }
    rate = Math.min(ceiling, Math.round(rate * options.growth));
  }
  if (lastPass !== null && firstFail !== null) {
    let low = lastPass;
    let high = firstFail;
    for (let step = 0; step < 2; step++) {
      const mid = Math.round((low + high) / 2);
      if (await measure(mid)) low = mid;
      else high = mid;
    }
    lastPass = low;
  }
  return { highestRate: lastPass, endedBy, steps };
}
