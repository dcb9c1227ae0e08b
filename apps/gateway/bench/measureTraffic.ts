import { delay } from './concurrency';
import type { LoadFleet } from './LoadFleet';
import type { TrafficResult } from './loadProtocol';
import {
  type MachineTimes,
  nowMicros,
  type ProcessSample,
  readMachineTimes,
  sampleProcess,
  stealShare,
} from './procStats';
import { commandDelta, commandStats, connectRedis } from './redisServer';
import type { ServerUnderTest } from './servers';
import { mergeSorted, quantileSorted } from './stats';

export interface TrafficSummary {
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  readonly lossRatio: number;
  readonly duplicates: number;
  readonly misdelivered: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Server process utime+stime over the window ÷ messages relayed in it. */
  readonly serverCpuMicrosPerMessage: number;
  /** The part of it spent in the kernel (stime): socket system calls, mostly. */
  readonly serverSystemMicrosPerMessage: number;
  /** Same for the redis-server process (gateway-redis only). */
  readonly redisCpuMicrosPerMessage: number | null;
  /** Server CPU over the window as a share of one core. */
  readonly serverCpuShare: number;
  /** Load generators' CPU over the window as a share of one core (all workers together). */
  readonly generatorCpuShare: number;
  /**
   * The share of the machine's CPU time the hypervisor gave to others during the window (/proc/stat
   * steal). Each stolen slice stalls whatever ran on that virtual CPU, so a high figure means the window
   * measured the host as much as the server.
   */
  readonly stealShare: number;
  readonly maxPacerLagMs: number;
  /** Per second of sending (warm-up first): mean and largest latency, ms. */
  readonly timeline: readonly {
    readonly second: number;
    readonly count: number;
    readonly meanMs: number;
    readonly maxMs: number;
  }[];
  readonly problems: Readonly<Record<string, number>>;
  /** gateway-redis: commands Redis executed during the window, by name (INFO commandstats; INFO left out). */
  readonly redisCommands: Readonly<Record<string, number>> | null;
  /** gateway-redis: those commands per 1,000 messages relayed in the window. */
  readonly redisCommandsPerThousandMessages: number | null;
}

/** Resolves at an absolute process.hrtime µs (a few ms late at worst on a busy loop). */
const until = (atMicros: number): Promise<void> => delay(Math.max(0, (atMicros - nowMicros()) / 1000));

/** The processes and the machine's CPU times at one edge of the window. */
async function sampleAt(
  pids: readonly number[],
  atMicros: number,
): Promise<{ processes: ProcessSample[]; machine: MachineTimes }> {
  await until(atMicros);
  const [processes, machine] = await Promise.all([
    Promise.all(pids.map((pid) => sampleProcess(pid))),
    readMachineTimes(),
  ]);
  return { processes, machine };
}

function sumCpu(samples: readonly ProcessSample[]): number {
  return samples.reduce((sum, sample) => sum + sample.cpuSeconds, 0);
}

/**
 * One paced traffic phase: `warmupS` of traffic, then a measured window of `durationS` in which the
 * server's CPU (and Redis's, and the generators') is read from /proc at the window's edges, then up to
 * `drainS` for the last messages to arrive. Latency counts messages sent inside the window; CPU per
 * message divides by the messages that arrived inside it.
 */
export async function measureTraffic(
  server: ServerUnderTest,
  fleet: LoadFleet,
  rate: number,
  timing: { readonly warmupS: number; readonly durationS: number; readonly drainS: number },
): Promise<TrafficSummary> {
  const startAt = nowMicros() + 200_000;
  const measureFrom = startAt + timing.warmupS * 1e6;
  const measureTo = measureFrom + timing.durationS * 1e6;
  const drainUntil = measureTo + timing.drainS * 1e6;
  const serverPids = [server.pid, ...(server.redis ? [server.redis.pid] : [])];
  const generatorPids = fleet.pids;
  const pids = [...serverPids, ...generatorPids];
  const redis = server.redis ? connectRedis(server.redis.url) : undefined;
  try {
    const statsAt = (at: number) => (redis ? until(at).then(() => commandStats(redis)) : undefined);
    const [before, after, results, statsBefore, statsAfter] = await Promise.all([
      sampleAt(pids, measureFrom),
      sampleAt(pids, measureTo),
      fleet.traffic(rate, { startAt, measureFrom, measureTo, drainUntil }),
      statsAt(measureFrom),
      statsAt(measureTo),
    ]);
    const summary = {
      ...summarise(rate, results, before.processes, after.processes, serverPids.length),
      stealShare: stealShare(before.machine, after.machine),
    };
    if (!statsBefore || !statsAfter) return summary;
    const commands = commandDelta(statsBefore, statsAfter);
    commands.delete('info');
    const total = [...commands.values()].reduce((sum, calls) => sum + calls, 0);
    const relayed = (summary.achievedRate * (measureTo - measureFrom)) / 1e6;
    return {
      ...summary,
      redisCommands: Object.fromEntries(commands),
      redisCommandsPerThousandMessages: relayed > 0 ? (total * 1000) / relayed : Number.NaN,
    };
  } finally {
    redis?.disconnect();
  }
}

function mergeTimelines(results: readonly TrafficResult[]): TrafficSummary['timeline'] {
  const seconds = Math.max(0, ...results.map((r) => r.timeline.length));
  return Array.from({ length: seconds }, (_, second) => {
    let count = 0;
    let sum = 0;
    let max = 0;
    for (const result of results) {
      const bucket = result.timeline[second];
      if (!bucket) continue;
      count += bucket.count;
      sum += bucket.sumMicros;
      max = Math.max(max, bucket.maxMicros);
    }
    return { second, count, meanMs: count > 0 ? sum / count / 1000 : Number.NaN, maxMs: max / 1000 };
  });
}

function summarise(
  targetRate: number,
  results: readonly TrafficResult[],
  before: readonly ProcessSample[],
  after: readonly ProcessSample[],
  serverProcesses: number,
): Omit<TrafficSummary, 'stealShare'> {
  const total = (pick: (result: TrafficResult) => number) => results.reduce((sum, r) => sum + pick(r), 0);
  const sent = total((r) => r.sent);
  const received = total((r) => r.received);
  const receivedInWindow = total((r) => r.receivedInWindow);
  const seconds = ((after[0]?.atMicros ?? 0) - (before[0]?.atMicros ?? 0)) / 1e6;
  const cpuOf = (index: number, part: 'cpuSeconds' | 'systemSeconds' = 'cpuSeconds') =>
    (after[index]?.[part] ?? 0) - (before[index]?.[part] ?? 0);
  const serverCpu = cpuOf(0);
  const serverSystem = cpuOf(0, 'systemSeconds');
  const redisCpu = serverProcesses > 1 ? cpuOf(1) : null;
  const generatorCpu = sumCpu(after.slice(serverProcesses)) - sumCpu(before.slice(serverProcesses));
  const latencies = mergeSorted(results.map((r) => r.latenciesMicros));
  const problems: Record<string, number> = {};
  for (const result of results) {
    for (const [kind, count] of Object.entries(result.errors)) problems[kind] = (problems[kind] ?? 0) + count;
  }
  const perMessage = (cpu: number) => (receivedInWindow > 0 ? (cpu * 1e6) / receivedInWindow : Number.NaN);
  return {
    targetRate,
    achievedRate: seconds > 0 ? receivedInWindow / seconds : Number.NaN,
    sent,
    received,
    lost: sent - received,
    lossRatio: sent > 0 ? (sent - received) / sent : Number.NaN,
    duplicates: total((r) => r.duplicates),
    misdelivered: total((r) => r.misdelivered),
    p50Ms: quantileSorted(latencies, 0.5) / 1000,
    p99Ms: quantileSorted(latencies, 0.99) / 1000,
    maxMs: (latencies.length > 0 ? (latencies[latencies.length - 1] as number) : Number.NaN) / 1000,
    serverCpuMicrosPerMessage: perMessage(serverCpu),
    serverSystemMicrosPerMessage: perMessage(serverSystem),
    redisCpuMicrosPerMessage: redisCpu === null ? null : perMessage(redisCpu),
    serverCpuShare: seconds > 0 ? serverCpu / seconds : Number.NaN,
    generatorCpuShare: seconds > 0 ? generatorCpu / seconds : Number.NaN,
    maxPacerLagMs: Math.max(0, ...results.map((r) => r.maxPacerLagMs)),
    timeline: mergeTimelines(results),
    problems,
    redisCommands: null,
    redisCommandsPerThousandMessages: null,
  };
}
