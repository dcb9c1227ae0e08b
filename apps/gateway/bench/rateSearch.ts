import { defaultLimits } from '@miscord/protocol';
import type { BenchStage } from './BenchStage';
import { measureTraffic, type TrafficSummary } from './measureTraffic';
import type { SearchOptions } from './options';

export interface SearchStep {
  readonly rate: number;
  readonly pass: boolean;
  /**
   * A failed step measured while the hypervisor took more than STEAL_VOID_SHARE of the machine: it does
   * not count, and the same rate is measured once more right after it.
   */
  readonly void: boolean;
  readonly p99Ms: number;
  readonly achievedRate: number;
  readonly lost: number;
  readonly serverCpuShare: number;
  readonly generatorCpuShare: number;
  readonly stealShare: number;
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

/**
 * Steal above this share of the machine's CPU voids a failed step. On this 2-core VM steal is a few tenths
 * of a percent most of the time and comes in bursts; a burst stalls whichever process runs on the robbed
 * virtual CPU for tens of milliseconds, which is a p99 over the limit at any rate. One step's
 * verdict then says nothing about the server, so it is measured again (once: a host that stays busy
 * fails the step).
 */
export const STEAL_VOID_SHARE = 0.05;

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
 * until a step fails, then bisect twice between the last pass and the first failure, never above
 * `ceiling`. `measure` runs one step.
 */
export async function searchRates(
  options: SearchOptions,
  ceiling: number,
  measure: (rate: number) => Promise<TrafficSummary>,
): Promise<SearchResult> {
  const steps: SearchStep[] = [];
  const step = (rate: number, summary: TrafficSummary, pass: boolean, isVoid: boolean): SearchStep => ({
    rate,
    pass,
    void: isVoid,
    p99Ms: summary.p99Ms,
    achievedRate: summary.achievedRate,
    lost: summary.lost,
    serverCpuShare: summary.serverCpuShare,
    generatorCpuShare: summary.generatorCpuShare,
    stealShare: summary.stealShare,
  });
  const tryRate = async (rate: number): Promise<boolean> => {
    let summary = await measure(rate);
    let pass = passes(summary, options.p99LimitMs);
    if (!pass && summary.stealShare > STEAL_VOID_SHARE) {
      steps.push(step(rate, summary, pass, true));
      summary = await measure(rate);
      pass = passes(summary, options.p99LimitMs);
    }
    steps.push(step(rate, summary, pass, false));
    return pass;
  };
  let lastPass: number | null = null;
  let firstFail: number | null = null;
  let rate = Math.min(options.startRate, ceiling);
  let endedBy: SearchResult['endedBy'] = 'steps';
  for (let count = 0; count < options.maxSteps; count++) {
    if (!(await tryRate(rate))) {
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
    for (let count = 0; count < 2; count++) {
      const mid = Math.round((low + high) / 2);
      if (await tryRate(mid)) low = mid;
      else high = mid;
    }
    lastPass = low;
  }
  return { highestRate: lastPass, endedBy, steps };
}

/**
 * The search on a stage of `n` connections. Never asks more than 90 % of what the gateway's SIGNAL token
 * bucket allows each connection, so it measures throughput, not the rate limiter.
 */
export function searchHighestRate(
  stage: BenchStage,
  n: number,
  options: SearchOptions,
): Promise<SearchResult> {
  const ceiling = Math.floor(0.9 * n * defaultLimits.signal.refillPerSecond);
  const timing = { warmupS: options.warmupS, durationS: options.durationS, drainS: 10 };
  return searchRates(options, ceiling, (rate) => measureTraffic(stage.server, stage.fleet, rate, timing));
}
