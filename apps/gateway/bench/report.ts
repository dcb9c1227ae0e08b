import type { StageSetup } from './BenchStage';
import type { FlushResult } from './flush';
import type { TrafficSummary } from './measureTraffic';
import type { SearchResult } from './rateSearch';
import type { ReaperResult } from './reaper';
import { ServerKind } from './servers';
import { median, ratio } from './stats';

export interface RunRecord {
  readonly round: number;
  readonly server: ServerKind;
  /** 1-minute load average of the machine when the run started. */
  readonly loadAverage: number;
  readonly setup: StageSetup;
  readonly traffic: TrafficSummary;
}

export interface SearchRecord {
  readonly round: number;
  readonly server: ServerKind;
  readonly result: SearchResult;
}

export interface Aggregate {
  readonly server: ServerKind;
  readonly runs: number;
  readonly connectMs: number;
  readonly sessionsMs: number;
  readonly joinMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly achievedRate: number;
  /** Lost messages over all rounds (not a median: any loss counts). */
  readonly lost: number;
  readonly sent: number;
  readonly serverCpuMicrosPerMessage: number;
  readonly serverSystemMicrosPerMessage: number;
  readonly redisCpuMicrosPerMessage: number;
  readonly rssPerConnectionBytes: number;
  readonly rssPerConnectionBeforeGcBytes: number;
  readonly highestRate: number;
  readonly redisCommandsPerThousandMessages: number;
}

/** Medians over rounds, per server. */
export function aggregate(
  server: ServerKind,
  runs: readonly RunRecord[],
  searches: readonly SearchRecord[],
): Aggregate {
  const mine = runs.filter((run) => run.server === server);
  const of = (pick: (run: RunRecord) => number | null | undefined) =>
    median(mine.map((run) => pick(run) ?? Number.NaN));
  return {
    server,
    runs: mine.length,
    connectMs: of((run) => run.setup.connectMs),
    sessionsMs: of((run) => run.setup.sessionsMs),
    joinMs: of((run) => run.setup.joinMs),
    p50Ms: of((run) => run.traffic.p50Ms),
    p99Ms: of((run) => run.traffic.p99Ms),
    achievedRate: of((run) => run.traffic.achievedRate),
    lost: mine.reduce((sum, run) => sum + run.traffic.lost + run.traffic.misdelivered, 0),
    sent: mine.reduce((sum, run) => sum + run.traffic.sent, 0),
    serverCpuMicrosPerMessage: of((run) => run.traffic.serverCpuMicrosPerMessage),
    serverSystemMicrosPerMessage: of((run) => run.traffic.serverSystemMicrosPerMessage),
    redisCpuMicrosPerMessage: of((run) => run.traffic.redisCpuMicrosPerMessage),
    rssPerConnectionBytes: of((run) => run.setup.rssPerConnectionBytes),
    rssPerConnectionBeforeGcBytes: of((run) => run.setup.rssPerConnectionBeforeGcBytes),
    highestRate: median(
      searches
        .filter((search) => search.server === server)
        .map((search) => search.result.highestRate ?? Number.NaN),
    ),
    redisCommandsPerThousandMessages: of((run) => run.traffic.redisCommandsPerThousandMessages),
  };
}

type Verdict = 'met' | 'MISSED' | '';

interface Row {
  readonly label: string;
  readonly value: (aggregate: Aggregate) => number;
  readonly format: (value: number) => string;
  /** Target as a ratio vs the relay: `max` (≤) or `min` (≥). */
  readonly target?: { readonly kind: 'max' | 'min'; readonly ratio: number };
  /** Absolute target on the gateway's own value. */
  readonly absolute?: { readonly text: string; readonly met: (value: number) => boolean };
}

const fixed = (digits: number) => (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const thousands = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';

export const rows: readonly Row[] = [
  { label: 'connect, all N to READY (s)', value: (a) => a.connectMs / 1000, format: fixed(2) },
  { label: 'sessions, POST ×N (s)', value: (a) => a.sessionsMs / 1000, format: fixed(2) },
  { label: 'voice join, all pairs (s)', value: (a) => a.joinMs / 1000, format: fixed(2) },
  { label: 'relay latency p50 (ms)', value: (a) => a.p50Ms, format: fixed(2) },
  {
    label: 'relay latency p99 (ms)',
    value: (a) => a.p99Ms,
    format: fixed(2),
    target: { kind: 'max', ratio: 1.5 },
  },
  { label: 'achieved rate (msg/s)', value: (a) => a.achievedRate, format: thousands },
  {
    label: 'lost messages (all rounds)',
    value: (a) => a.lost,
    format: thousands,
    absolute: { text: '0', met: (value) => value === 0 },
  },
  {
    label: 'server CPU per message (µs)',
    value: (a) => a.serverCpuMicrosPerMessage,
    format: fixed(1),
    target: { kind: 'max', ratio: 1.2 },
  },
  { label: '  of which in the kernel (µs)', value: (a) => a.serverSystemMicrosPerMessage, format: fixed(1) },
  { label: 'redis-server CPU per message (µs)', value: (a) => a.redisCpuMicrosPerMessage, format: fixed(1) },
  {
    label: 'RSS per idle connection (KB)',
    value: (a) => a.rssPerConnectionBeforeGcBytes / 1024,
    format: fixed(1),
    target: { kind: 'max', ratio: 1.5 },
  },
  {
    label: '  same, after a forced full GC (KB)',
    value: (a) => a.rssPerConnectionBytes / 1024,
    format: fixed(1),
    target: { kind: 'max', ratio: 1.5 },
  },
  {
    label: 'highest rate, p99 ≤ limit (msg/s)',
    value: (a) => a.highestRate,
    format: thousands,
    target: { kind: 'min', ratio: 0.85 },
  },
  {
    label: 'Redis commands per 1,000 messages',
    value: (a) => a.redisCommandsPerThousandMessages,
    format: fixed(2),
  },
];

function verdict(row: Row, value: number, baseline: number): Verdict {
  if (row.absolute) return Number.isFinite(value) ? (row.absolute.met(value) ? 'met' : 'MISSED') : '';
  if (!row.target) return '';
  const r = ratio(value, baseline);
  if (!Number.isFinite(r)) return '';
  const met = row.target.kind === 'max' ? r <= row.target.ratio : r >= row.target.ratio;
  return met ? 'met' : 'MISSED';
}

function targetText(row: Row): string {
  if (row.absolute) return row.absolute.text;
  if (!row.target) return '';
  return `${row.target.kind === 'max' ? '≤' : '≥'} ${row.target.ratio}× relay`;
}

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

/** The figures table: medians per server, each gateway value with its ratio to the relay and verdict. */
export function formatTable(aggregates: readonly Aggregate[]): string {
  const relay = aggregates.find((a) => a.server === ServerKind.Relay);
  const gateways = aggregates.filter((a) => a.server !== ServerKind.Relay);
  const header = [pad('metric (median of rounds)', 36), padLeft('relay', 10)];
  for (const gateway of gateways) header.push(padLeft(gateway.server, 16), padLeft('× relay', 16));
  header.push('  target');
  const lines = [header.join(' ')];
  for (const row of rows) {
    const baseline = relay ? row.value(relay) : Number.NaN;
    const cells = [pad(row.label, 36), padLeft(relay ? row.format(baseline) : '—', 10)];
    for (const gateway of gateways) {
      const value = row.value(gateway);
      const r = ratio(value, baseline);
      const mark = verdict(row, value, baseline);
      cells.push(
        padLeft(row.format(value), 16),
        padLeft(`${Number.isFinite(r) ? `${r.toFixed(2)}×` : ''}${mark ? ` ${mark}` : ''}`, 16),
      );
    }
    cells.push(`  ${targetText(row)}`);
    lines.push(cells.join(' '));
  }
  return lines.join('\n');
}

/**
 * CPU per message of each gateway run divided by the relay's of the same round, and their median. The
 * runs of a round follow each other within a few minutes, so a machine whose speed drifts between rounds
 * (this one's relay went from 30 to 34 µs per message in one benchmark) moves both sides of each ratio
 * together. The table's ratio of medians stays the verdict; this line shows how much of it is drift.
 */
export function formatPairedCpu(runs: readonly RunRecord[]): string {
  const cpu = (run: RunRecord) => run.traffic.serverCpuMicrosPerMessage;
  const relayOf = new Map(
    runs.filter((run) => run.server === ServerKind.Relay).map((run) => [run.round, cpu(run)]),
  );
  const servers = [...new Set(runs.map((run) => run.server))].filter((server) => server !== ServerKind.Relay);
  const lines = ['server CPU per message, each round against its own relay run:'];
  for (const server of servers) {
    const ratios = runs
      .filter((run) => run.server === server)
      .map((run) => ratio(cpu(run), relayOf.get(run.round) ?? Number.NaN))
      .filter((r) => Number.isFinite(r));
    if (ratios.length === 0) continue;
    const each = ratios.map((r) => `${r.toFixed(2)}×`).join(' / ');
    lines.push(`  ${server.padEnd(15)} ${each}  → median ${median(ratios).toFixed(2)}×`);
  }
  return lines.length > 1 ? lines.join('\n') : '';
}

export function formatReaper(result: ReaperResult): string {
  const lines = [`reaper sweep: ${result.method}`];
  for (const mode of result.modes) {
    const parts = mode.samples.map(
      (sample) => `${sample.live.toLocaleString('en-US')} live: ${sample.sweepMs.toFixed(1)} ms`,
    );
    const r = mode.largeOverSmall;
    const verdictText = Number.isFinite(r) ? (r <= 1.5 ? 'met' : 'MISSED') : '';
    lines.push(
      `  ${mode.mode.padEnd(7)} ${parts.join(', ')}  → large ÷ small ${Number.isFinite(r) ? `${r.toFixed(2)}×` : '—'} ${verdictText} (target: flat, read as ≤ 1.5×)`,
    );
  }
  return lines.join('\n');
}

export function formatFlush(result: FlushResult): string {
  const lines = [`Redis round trips per heartbeat flush: ${result.method}`];
  for (const sample of result.samples) {
    const commands = Object.entries(sample.byCommand)
      .map(([name, calls]) => `${name}×${calls}`)
      .join(' ');
    lines.push(
      `  ${sample.touched.toLocaleString('en-US').padStart(7)} connections heartbeated: ` +
        (sample.error
          ? `flush FAILED (${sample.error}); the touches were lost`
          : `${sample.roundTrips} round trip(s), ${sample.commands} command(s) [${commands}]`),
    );
  }
  return lines.join('\n');
}
