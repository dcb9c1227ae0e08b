import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCpuTimes } from '../procStats';

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
