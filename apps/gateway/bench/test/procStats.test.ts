import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMachineTimes, readCpuTimes, readMachineTimes, stealShare } from '../procStats';

describe('readCpuTimes', () => {
  it("reads this process's CPU from /proc, the kernel's part no larger than the whole", async () => {
    const before = await readCpuTimes(process.pid);
    // Spend some user time, and some system time (each statSync is a system call).
    const until = Date.now() + 150;
    while (Date.now() < until) statSync('/proc/self');
    const after = await readCpuTimes(process.pid);
    expect(after.cpuSeconds).toBeGreaterThan(before.cpuSeconds);
    expect(after.systemSeconds).toBeGreaterThanOrEqual(before.systemSeconds);
    expect(after.systemSeconds).toBeLessThanOrEqual(after.cpuSeconds);
    expect(after.cpuSeconds - before.cpuSeconds).toBeLessThan(10);
  });
});

describe('machine times', () => {
  it('reads the steal column of /proc/stat and the total of the eight time columns', () => {
    const times = parseMachineTimes(
      'cpu  250497 40 51040 611822 787 0 23084 28521 7 3\ncpu0 1 2 3 4 5 6 7 8 0 0\n',
    );
    expect(times).toEqual({
      totalTicks: 250497 + 40 + 51040 + 611822 + 787 + 0 + 23084 + 28521,
      stealTicks: 28521,
    });
    expect(stealShare(times, { totalTicks: times.totalTicks + 200, stealTicks: times.stealTicks + 30 })).toBe(
      0.15,
    );
    expect(stealShare(times, times)).toBeNaN();
  });

  it('refuses a first line that is not the cpu total', () => {
    expect(() => parseMachineTimes('intr 1 2 3\n')).toThrow(/unreadable \/proc\/stat/);
    expect(() => parseMachineTimes('cpu 1 2 3\n')).toThrow(/unreadable/);
  });

  it("reads this machine's /proc/stat: time passes, steal is part of it", async () => {
    const before = await readMachineTimes();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await readMachineTimes();
    expect(after.totalTicks).toBeGreaterThan(before.totalTicks);
    const share = stealShare(before, after);
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
  });
});
