import { describe, expect, it } from 'vitest';
import type { StageSetup } from '../BenchStage';
import type { TrafficSummary } from '../measureTraffic';
import { aggregate, formatPairedCpu, formatTable, type RunRecord } from '../report';
import type { ServerKind } from '../servers';

const setup: StageSetup = {
  sessionsMs: 0,
  connectMs: 1_000,
  joinMs: 0,
  rssBaselineBytes: 0,
  rssIdleBytes: 0,
  rssPerConnectionBytes: 4 * 1024,
  rssPerConnectionBeforeGcBytes: 8 * 1024,
};

function run(server: ServerKind, round: number, cpu: number, p99: number, lost = 0): RunRecord {
  const traffic = {
    p99Ms: p99,
    p50Ms: 0.3,
    serverCpuMicrosPerMessage: cpu,
    serverSystemMicrosPerMessage: cpu / 2,
    achievedRate: 10_000,
    lost,
    misdelivered: 0,
    sent: 100_000,
    redisCpuMicrosPerMessage: null,
    redisCommandsPerThousandMessages: null,
  } as unknown as TrafficSummary;
  return { round, server, loadAverage: 1, setup, traffic };
}

describe('bench report', () => {
  const runs = [
    run('relay', 1, 30, 2),
    run('relay', 2, 28, 3),
    run('relay', 3, 90, 2.5),
    run('gateway-memory', 1, 33, 3.5),
    run('gateway-memory', 2, 40, 4),
    run('gateway-memory', 3, 34, 100, 1),
  ];

  it('takes medians over rounds, so one noisy round does not decide', () => {
    const relay = aggregate('relay', runs, []);
    expect(relay.serverCpuMicrosPerMessage).toBe(30);
    expect(relay.serverSystemMicrosPerMessage).toBe(15);
    expect(relay.p99Ms).toBe(2.5);
    const gateway = aggregate('gateway-memory', runs, []);
    expect(gateway.serverCpuMicrosPerMessage).toBe(34);
    expect(gateway.lost).toBe(1);
  });

  it('prints each gateway figure as a ratio to the relay with its verdict', () => {
    const table = formatTable([aggregate('relay', runs, []), aggregate('gateway-memory', runs, [])]);
    const line = (label: string) => table.split('\n').find((row) => row.startsWith(label)) ?? '';
    expect(line('server CPU per message')).toMatch(/30\.0\s+34\.0\s+1\.13× met\s+≤ 1\.2× relay/);
    expect(line('relay latency p99')).toMatch(/2\.50\s+4\.00\s+1\.60× MISSED/);
    expect(line('lost messages')).toMatch(/MISSED/);
    // The kernel's part is shown beside the ratio, with no target of its own.
    expect(line('  of which in the kernel')).toMatch(/15\.0\s+17\.0\s+1\.13×\s*$/);
  });

  it('divides the gateway CPU of each round by the relay CPU of the same round', () => {
    // Rounds: 33/30, 40/28, 34/90.
    expect(formatPairedCpu(runs)).toContain('gateway-memory  1.10× / 1.43× / 0.38×  → median 1.10×');
    expect(formatPairedCpu(runs.filter((r) => r.server === 'relay'))).toBe('');
  });
});
