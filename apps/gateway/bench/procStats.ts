import { readFile } from 'node:fs/promises';

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux this runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /** utime + stime of the process, in seconds. */
  readonly cpuSeconds: number;
  /** stime alone: the part spent in the kernel on the process's behalf (system calls, page faults). */
  readonly systemSeconds: number;
  /** Resident set size in bytes (VmRSS). */
  readonly rssBytes: number;
  /** When the sample was taken (process.hrtime, µs). */
  readonly atMicros: number;
}

export function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface CpuTimes {
  /** utime + stime, s. */
  readonly cpuSeconds: number;
  /** stime, s. */
  readonly systemSeconds: number;
}

/** utime + stime, and stime alone, of a process from /proc/<pid>/stat, in seconds. */
export async function readCpuTimes(pid: number): Promise<CpuTimes> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return {
    cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND,
    systemSeconds: stime / CLOCK_TICKS_PER_SECOND,
  };
}

/** VmRSS of a process from /proc/<pid>/status, in bytes. */
export async function readRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

export async function sampleProcess(pid: number): Promise<ProcessSample> {
  const [cpu, rssBytes] = await Promise.all([readCpuTimes(pid), readRssBytes(pid)]);
  return { ...cpu, rssBytes, atMicros: nowMicros() };
}

/** The machine's CPU time so far, every core together, in clock ticks (the first line of /proc/stat). */
export interface MachineTimes {
  readonly totalTicks: number;
  /** Time the hypervisor gave this machine's virtual CPUs to someone else (steal). */
  readonly stealTicks: number;
}

/**
 * The `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice. guest
 * and guest_nice are already counted in user and nice, so the total is the sum of the first eight.
 */
export function parseMachineTimes(procStat: string): MachineTimes {
  const line = procStat.slice(0, procStat.indexOf('\n'));
  const fields = line.trim().split(/\s+/);
  const ticks = fields.slice(1, 9).map(Number);
  if (fields[0] !== 'cpu' || ticks.length < 8 || ticks.some((n) => !Number.isFinite(n))) {
    throw new Error(`unreadable /proc/stat: "${line}"`);
  }
  return { totalTicks: ticks.reduce((sum, n) => sum + n, 0), stealTicks: ticks[7] as number };
}

export async function readMachineTimes(): Promise<MachineTimes> {
  return parseMachineTimes(await readFile('/proc/stat', 'utf8'));
}

/** The share of the machine's CPU time the hypervisor took between two readings (0–1; NaN if none passed). */
export function stealShare(before: MachineTimes, after: MachineTimes): number {
  const total = after.totalTicks - before.totalTicks;
  return total > 0 ? (after.stealTicks - before.stealTicks) / total : Number.NaN;
}
