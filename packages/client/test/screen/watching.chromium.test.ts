/**
 * Opt-in watching end to end in real Chromium: three members over real simple-peer connections, the
 * watch request over the data channel, the sender gated per peer. Only the member who watches decodes
 * frames; the other gets no video bytes; unwatching stops the frames. See browser/watchingEntry.ts.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumHarness, startHarness } from '../helpers/chromiumHarness';

let harness: ChromiumHarness;

beforeAll(async () => {
  harness = await startHarness(fileURLToPath(new URL('./browser/watchingEntry.ts', import.meta.url)));
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

interface WatchingResult {
  gatedAtAdd: boolean[];
  activeAfterRenegotiation: Array<boolean | null>;
  annFramesWhileWatching: number;
  benFramesWhileAnnWatched: number;
  benBytesWhileAnnWatched: number;
  annFramesAfterUnwatch: number;
  samLineToBen: string;
  logs: Record<'sam' | 'ann' | 'ben', string[]>;
}

describe('opt-in watching over simple-peer in Chromium', () => {
  it('sends the share only to the member who watches it', async () => {
    const page = await harness.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(harness.origin);
    await page.waitForFunction(() => 'miscordWatching' in window, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() =>
      (window as unknown as { miscordWatching(): Promise<unknown> }).miscordWatching(),
    )) as WatchingResult;
    if (process.env.PRINT_RAW) console.log(JSON.stringify(result));
    expect(errors).toEqual([]);
    expect(result.logs).toEqual({ sam: [], ann: [], ben: [] });

    // The track was gated as soon as it was added, and simple-peer's renegotiation kept it gated.
    expect(result.gatedAtAdd).toEqual([true, true]);
    expect(result.activeAfterRenegotiation).toEqual([false, false]);
    // ann watched: frames decoded. ben did not: no frames and (almost) no video bytes.
    expect(result.annFramesWhileWatching).toBeGreaterThanOrEqual(20);
    expect(result.benFramesWhileAnnWatched).toBe(0);
    expect(result.benBytesWhileAnnWatched).toBeLessThan(5_000);
    expect(result.samLineToBen).toBe('out off');
    // ann stopped watching: the frames stop (a couple in flight at most).
    expect(result.annFramesAfterUnwatch).toBeLessThanOrEqual(2);
    await page.close();
  }, 120_000);
});
