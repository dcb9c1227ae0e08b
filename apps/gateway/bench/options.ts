import { allServerKinds, type ServerKind } from './servers';

export interface SearchOptions {
  readonly enabled: boolean;
  readonly n: number;
  readonly startRate: number;
  /** Each step multiplies the rate by this until p99 passes the limit; then two bisection steps. */
  readonly growth: number;
  readonly maxSteps: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly p99LimitMs: number;
}

export interface BenchOptions {
  readonly quick: boolean;
  readonly n: number;
  readonly rate: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly drainS: number;
  readonly rounds: number;
  readonly workers: number;
  readonly connectConcurrency: number;
  /** Idle wait before RSS is read, s (lets the server's GC settle after the setup's garbage). */
  readonly settleS: number;
  /** Pairs sharing one voice channel (1 = a channel per pair). */
  readonly pairsPerChannel: number;
  readonly servers: readonly ServerKind[];
  readonly search: SearchOptions;
  readonly reaper: { readonly enabled: boolean; readonly small: number; readonly large: number };
  readonly flush: { readonly enabled: boolean };
  readonly out: string;
  /** Print each run's per-second latency timeline. */
  readonly verbose: boolean;
  /** Folder for V8 CPU profiles of every server run (node --cpu-prof), or undefined. */
  readonly cpuProfileDir: string | undefined;
}

const HELP = `npm run bench:gateway -- [flags]     (each flag also reads BENCH_<NAME>, e.g. BENCH_N=2000)
  --quick               small and short (< 60 s): N=100, 1,000 msg/s, 1 round — a smoke check
  --n=5000              client connections (pairs of two, N/2 pairs)
  --rate=10000          aggregate SIGNAL messages per second
  --duration=10         measured window, s (after --warmup=8 s of traffic); stragglers are awaited
                        until all arrived, none arrived for 3 s, or --drain=20 s passed
  --rounds=5            alternations relay → gateway-memory → gateway-redis; medians are reported
  --workers=2           load-generator processes
  --settle=3            idle seconds before RSS is read (after the warm-up pairs, and with all N)
  --pairs-per-channel=10  pairs sharing a voice channel (each client signals only its partner)
  --servers=relay,gateway-memory,gateway-redis
  --search-n=1000       N of the "highest rate with p99 ≤ 50 ms" search; --no-search skips it
  --search-start=4000   first rate of the search (× --search-growth=1.5 per step, --search-steps=9 at most)
  --reaper-small=1000 --reaper-large=100000   live connections seeded for the reaper sweep; --no-reaper
  --no-flush            skip the Redis round trips per heartbeat flush
  --out=bench/results/latest.json
  --verbose             print each run's latency per second of sending (warm-up first)
  --cpu-prof=DIR        write a V8 CPU profile of every server run into DIR (open in Chrome DevTools)`;

type Raw = Map<string, string>;

function readRaw(argv: readonly string[], env: NodeJS.ProcessEnv): Raw {
  const raw: Raw = new Map();
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('BENCH_') && value !== undefined) {
      raw.set(key.slice(6).toLowerCase().replaceAll('_', '-'), value);
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${HELP}`);
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq >= 0) raw.set(body.slice(0, eq), body.slice(eq + 1));
    else if (body.startsWith('no-')) raw.set(body.slice(3), 'false');
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--'))
      raw.set(body, argv[++i] as string);
    else raw.set(body, 'true');
  }
  return raw;
}

function numberOf(raw: Raw, key: string, fallback: number, min: number, max: number): number {
  const text = raw.get(key);
  raw.delete(key);
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${key} must be a number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function flagOf(raw: Raw, key: string, fallback: boolean): boolean {
  const text = raw.get(key);
  raw.delete(key);
  if (text === undefined) return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new Error(`--${key} is a flag (true/false), got "${text}"`);
}

function serversOf(raw: Raw): ServerKind[] {
  const text = raw.get('servers');
  raw.delete('servers');
  if (text === undefined) return [...allServerKinds];
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !allServerKinds.includes(name as ServerKind));
  if (unknown.length > 0)
    throw new Error(`--servers: unknown ${unknown.join(', ')} (know ${allServerKinds.join(', ')})`);
  return names as ServerKind[];
}

/**
 * Seconds of traffic before the measured window. The full GC before the traffic (for the after-GC RSS row)
 * is a low-memory notification, and V8 answers it by shrinking the young generation to its minimum; at
 * 10,000 msg/s it takes ~5 s of traffic to grow back, with scavenges every 30–250 ms and promotions (and so
 * mark-compacts) meanwhile. A window that starts sooner measures the recovery from the benchmark's own GC.
 */
const DEFAULT_WARMUP_S = 8;

/** Options from flags and BENCH_* variables; flags win. Throws with the usage text on anything unknown. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const raw = readRaw(argv, env);
  if (raw.has('help')) return 'help';
  const quick = flagOf(raw, 'quick', false);
  const options: BenchOptions = {
    quick,
    n: numberOf(raw, 'n', quick ? 100 : 5_000, 4, 20_000),
    rate: numberOf(raw, 'rate', quick ? 1_000 : 10_000, 1, 1_000_000),
    warmupS: numberOf(raw, 'warmup', quick ? 0.5 : DEFAULT_WARMUP_S, 0, 600),
    durationS: numberOf(raw, 'duration', quick ? 2 : 10, 0.5, 600),
    drainS: numberOf(raw, 'drain', quick ? 5 : 20, 0.5, 120),
    rounds: numberOf(raw, 'rounds', quick ? 1 : 5, 1, 20),
    workers: numberOf(raw, 'workers', 2, 1, 8),
    connectConcurrency: numberOf(raw, 'concurrency', 32, 1, 512),
    settleS: numberOf(raw, 'settle', quick ? 0.2 : 3, 0, 120),
    pairsPerChannel: numberOf(raw, 'pairs-per-channel', 10, 1, 49),
    servers: serversOf(raw),
    search: {
      enabled: flagOf(raw, 'search', true),
      n: numberOf(raw, 'search-n', quick ? 100 : 1_000, 4, 20_000),
      startRate: numberOf(raw, 'search-start', quick ? 1_000 : 4_000, 1, 1_000_000),
      growth: numberOf(raw, 'search-growth', quick ? 2 : 1.5, 1.05, 4),
      maxSteps: numberOf(raw, 'search-steps', quick ? 2 : 9, 1, 20),
      warmupS: numberOf(raw, 'search-warmup', quick ? 0.5 : 1, 0, 60),
      durationS: numberOf(raw, 'search-duration', quick ? 1 : 3, 0.5, 60),
      p99LimitMs: numberOf(raw, 'search-p99', 50, 1, 10_000),
    },
    reaper: {
      enabled: flagOf(raw, 'reaper', true),
      small: numberOf(raw, 'reaper-small', 1_000, 1, 1_000_000),
      large: numberOf(raw, 'reaper-large', quick ? 5_000 : 100_000, 1, 1_000_000),
    },
    flush: { enabled: flagOf(raw, 'flush', true) },
    out: raw.get('out') ?? 'bench/results/latest.json',
    verbose: flagOf(raw, 'verbose', false),
    cpuProfileDir: raw.get('cpu-prof'),
  };
  raw.delete('out');
  raw.delete('cpu-prof');
  if (raw.size > 0) throw new Error(`unknown option(s): ${[...raw.keys()].join(', ')}\n${HELP}`);
  if (options.n % 2 !== 0 || options.search.n % 2 !== 0)
    throw new Error('--n and --search-n must be even (pairs)');
  return options;
}

export const usage = HELP;
