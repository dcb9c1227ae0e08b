/**
 * `npm run bench:gateway`: the signalling gateway against a trivial `ws` relay, measured in the same run,
 * servers alternated run by run, medians and ratios reported. See bench/README.md for the method.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchStage } from './BenchStage';
import { bundleChildren } from './bundle';
import { ChildProcesses } from './ChildProcesses';
import { type FlushResult, measureFlush } from './flush';
import { measureTraffic } from './measureTraffic';
import { type BenchOptions, parseBenchOptions, usage } from './options';
import { type SearchResult, searchHighestRate } from './rateSearch';
import { measureReaper, type ReaperResult } from './reaper';
import {
  aggregate,
  formatFlush,
  formatPairedCpu,
  formatReaper,
  formatTable,
  type RunRecord,
  type SearchRecord,
} from './report';
import { ServerKind } from './servers';

const gatewayRoot = fileURLToPath(new URL('..', import.meta.url));
const gatewayEntry = join(gatewayRoot, 'dist', 'server.js');

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function describeRun(record: RunRecord, verbose: boolean): string {
  const { setup, traffic } = record;
  const problems = Object.entries(traffic.problems)
    .map(([kind, count]) => `${kind}×${count}`)
    .join(', ');
  return (
    `  round ${record.round} ${record.server.padEnd(14)} connect ${seconds(setup.connectMs)}, ` +
    `p50 ${traffic.p50Ms.toFixed(2)} ms, p99 ${traffic.p99Ms.toFixed(2)} ms, ` +
    `${Math.round(traffic.achievedRate)} msg/s, lost ${traffic.lost}/${traffic.sent}, ` +
    `cpu ${traffic.serverCpuMicrosPerMessage.toFixed(1)} µs/msg (${traffic.serverSystemMicrosPerMessage.toFixed(1)} in the kernel, ${(traffic.serverCpuShare * 100).toFixed(0)} % core), ` +
    `generators ${(traffic.generatorCpuShare * 100).toFixed(0)} %, host steal ${percent(traffic.stealShare)}, rss/conn ${(setup.rssPerConnectionBytes / 1024).toFixed(1)} KB after GC ` +
    `(${(setup.rssPerConnectionBeforeGcBytes / 1024).toFixed(1)} KB before)` +
    (traffic.maxPacerLagMs > 50 ? `, pacer lag ${traffic.maxPacerLagMs.toFixed(0)} ms` : '') +
    (problems ? `, problems: ${problems}` : '') +
    (verbose
      ? `\n      per second (mean/max ms): ${traffic.timeline.map((b) => `${b.meanMs.toFixed(1)}/${b.maxMs.toFixed(0)}`).join(' ')}`
      : '')
  );
}

interface Failure {
  readonly round: number;
  readonly server: ServerKind;
  readonly part: 'run' | 'search';
  readonly message: string;
}

/** One server run; a failure is logged and recorded, and the benchmark goes on with the next. */
async function attempt(
  failures: Failure[],
  round: number,
  server: ServerKind,
  part: Failure['part'],
  task: () => Promise<void>,
): Promise<void> {
  try {
    await task();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ round, server, part, message });
    log(`  round ${round} ${server.padEnd(14)} ${part} FAILED: ${message}`);
  }
}

function describeSearch(round: number, server: ServerKind, n: number, result: SearchResult): string {
  // ∅: a failed step voided by the host's steal (measured again next); steal shown from 1 %.
  const steps = result.steps
    .map((step) => {
      const mark = step.void ? '∅' : step.pass ? '✓' : '✗';
      const steal = step.stealShare >= 0.01 ? `, steal ${percent(step.stealShare)}` : '';
      return `${step.rate}${mark}(p99 ${step.p99Ms.toFixed(1)}${steal})`;
    })
    .join(' ');
  const bound = result.endedBy === 'failure' ? '' : '≥ ';
  return `  round ${round} ${server.padEnd(14)} search N=${n}: highest ${bound}${result.highestRate ?? '—'} msg/s  [${steps}]`;
}

function loadRange(runs: readonly RunRecord[]): string {
  const loads = runs.map((run) => run.loadAverage).filter(Number.isFinite);
  if (loads.length === 0) return '—';
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (${cpus().length} cores)`;
}

async function main(): Promise<void> {
  const parsed = parseBenchOptions(process.argv.slice(2), process.env);
  if (parsed === 'help') {
    log(usage);
    return;
  }
  const options: BenchOptions = parsed;
  const needsGateway = options.servers.some((server) => server !== ServerKind.Relay);
  if (needsGateway && !existsSync(gatewayEntry)) {
    throw new Error(
      `${gatewayEntry} is missing: run \`npm run bench:gateway\` from the repo root (it builds first)`,
    );
  }
  const started = performance.now();
  const processes = new ChildProcesses();
  const bundles = await bundleChildren();
  const workDir = await mkdtemp(join(tmpdir(), 'miscord-bench-work-'));
  const cpuProfileDir = options.cpuProfileDir ? resolve(options.cpuProfileDir) : undefined;
  if (cpuProfileDir) await mkdir(cpuProfileDir, { recursive: true });
  const context = {
    processes,
    relayBundle: bundles.relay,
    gatewayEntry,
    loadWorkerBundle: bundles.loadWorker,
    cpuProfileDir,
  };
  log(
    `gateway bench: N=${options.n}, ${options.rate} msg/s, ${options.warmupS} s warm-up + ${options.durationS} s measured, ` +
      `${options.rounds} round(s) of ${options.servers.join(' → ')}; ${options.workers} load workers; ` +
      `${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`,
  );
  const runs: RunRecord[] = [];
  const searches: SearchRecord[] = [];
  const failures: Failure[] = [];
  let reaper: ReaperResult | null = null;
  let flush: FlushResult | null = null;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const server of options.servers) {
        await attempt(failures, round, server, 'run', async () => {
          const loadAverage = loadavg()[0] ?? Number.NaN;
          const stage = await BenchStage.open(context, server, { ...options, workDir });
          try {
            const traffic = await measureTraffic(stage.server, stage.fleet, options.rate, options);
            const record: RunRecord = { round, server, loadAverage, setup: stage.setup, traffic };
            runs.push(record);
            log(describeRun(record, options.verbose));
          } finally {
            await stage.close();
          }
        });
      }
      if (options.search.enabled) {
        for (const server of options.servers) {
          await attempt(failures, round, server, 'search', async () => {
            const stage = await BenchStage.open(context, server, {
              ...options,
              n: options.search.n,
              workDir,
            });
            try {
              const result = await searchHighestRate(stage, options.search.n, options.search);
              searches.push({ round, server, result });
              log(describeSearch(round, server, options.search.n, result));
            } finally {
              await stage.close();
            }
          });
        }
      }
    }
    if (options.flush.enabled) {
      const sizes = [...new Set([1_000, options.n, options.reaper.large])].sort((a, b) => a - b);
      flush = await measureFlush(processes, sizes);
      log(`  flush round trips measured at ${sizes.join(', ')} heartbeating connections`);
    }
    if (options.reaper.enabled) {
      reaper = await measureReaper(processes, options.reaper.small, options.reaper.large);
      log(`  reaper sweeps measured at ${options.reaper.small} and ${options.reaper.large} live connections`);
    }
  } finally {
    processes.killAll();
    await rm(workDir, { recursive: true, force: true });
    await rm(bundles.dir, { recursive: true, force: true });
  }
  const aggregates = options.servers.map((server) => aggregate(server, runs, searches));
  log('');
  log(formatTable(aggregates));
  const paired = formatPairedCpu(runs);
  if (paired) log(paired);
  for (const server of options.servers) {
    const bounds = searches.filter(
      (search) => search.server === server && search.result.endedBy !== 'failure',
    );
    if (bounds.length > 0) {
      log(
        `  note: ${server}'s highest rate is a lower bound in ${bounds.length} round(s) ` +
          `(the search reached ${bounds.map((search) => search.result.endedBy).join(', ')} before any step failed)`,
      );
    }
  }
  if (flush) log(formatFlush(flush));
  if (reaper) log(formatReaper(reaper));
  if (failures.length > 0) log(`  ${failures.length} run(s) FAILED; see above and "failures" in the JSON`);
  log(
    `\nN=${options.n}, ${options.rate} msg/s; search at N=${options.search.n}, p99 ≤ ${options.search.p99LimitMs} ms; ` +
      `${options.rounds} round(s); machine load average ${loadRange(runs)} during the runs; ` +
      `took ${seconds(performance.now() - started)}`,
  );
  const out = resolve(gatewayRoot, options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cores: cpus().length, load: loadavg() },
        options,
        aggregates,
        runs,
        searches,
        reaper,
      },
      (_, value: unknown) => (value instanceof Uint32Array ? undefined : value),
      2,
    )}\n`,
  );
  log(`results: ${out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
