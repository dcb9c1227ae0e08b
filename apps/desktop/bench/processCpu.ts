import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times (100 on Linux almost everywhere). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, in ticks. */
  readonly ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, ticks: utime + stime };
  } catch {
    return null; // exited between listing and reading
  }
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
}

/** CPU ticks used so far by every descendant of `root`, skipping the subtrees rooted at `exclude`. */
export function treeTicks(root: number, exclude: readonly number[] = []): number {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as ProcStat;
    if (exclude.includes(next.pid)) continue;
    total += next.ticks;
    stack.push(...(children.get(next.pid) ?? []));
  }
  return total;
}

/** Percent of one core used by the descendants of `root` (minus `exclude`) over `windowMs`. */
export async function measureCpu(
  root: number,
  exclude: readonly number[],
  windowMs: number,
): Promise<number> {
  const start = treeTicks(root, exclude);
  const startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const ticks = treeTicks(root, exclude) - start;
  const seconds = (performance.now() - startedAt) / 1000;
  return (ticks / TICKS_PER_SECOND / seconds) * 100;
}

/** Percent of one core used by `root` itself and all its descendants over `windowMs`. */
export async function measureTreeCpu(root: number, windowMs: number): Promise<number> {
  const ticks = () => (readStat(root)?.ticks ?? 0) + treeTicks(root);
  const start = ticks();
  const startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const seconds = (performance.now() - startedAt) / 1000;
  return ((ticks() - start) / TICKS_PER_SECOND / seconds) * 100;
}
