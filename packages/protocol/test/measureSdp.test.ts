/**
 * Runs scripts/measure-sdp.ts against the real Chromium (one run per scenario) so the SIGNAL limit is
 * checked against what the browser produces today, not only against the recorded fixtures.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/index';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../scripts/measure-sdp.ts', import.meta.url));

interface Summary {
  chromium: string;
  rows: { scenario: string; round: string; kind: string; gatheredFrame: number; accepted: boolean }[];
  candidates: { count: number; maxFrame: number };
  largestFrame: number;
  allAccepted: boolean;
}

describe('measure-sdp.ts in Chromium', () => {
  it('every real offer, answer and candidate passes decodeClientFrame, with ≥ 2× headroom', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, '--runs', '1', '--json'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 150_000,
    });
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.allAccepted).toBe(true);
    expect(new Set(summary.rows.map((row) => row.scenario))).toEqual(
      new Set(['audio', 'audio+screen', 'renegotiation']),
    );
    expect(summary.rows).toHaveLength(10);
    expect(summary.candidates.count).toBeGreaterThan(0);
    expect(summary.candidates.maxFrame).toBeLessThan(1024);
    const audioOffer = summary.rows.find((row) => row.scenario === 'audio' && row.kind === 'offer');
    expect(audioOffer?.gatheredFrame).toBeGreaterThan(1000);
    expect(summary.largestFrame * 2).toBeLessThanOrEqual(defaultLimits.maxSignalBytes);
  }, 180_000);
});
