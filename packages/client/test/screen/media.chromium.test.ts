/**
 * The screen building blocks in real Chromium (E2E-RECIPE §3–4): a fake 1280×720 screen from
 * getDisplayMedia, two RTCPeerConnections in one page, and this package's own presets.ts, sendGate.ts and
 * stats/video.ts bundled with esbuild. Proves what the fakes in the unit tests assume: the encodings array
 * exists right after addTrack, setParameters accepts the preset (degradationPreference included), and
 * `active: false` really stops the bytes while `true` brings frames back.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumHarness, startHarness } from '../helpers/chromiumHarness';

let harness: ChromiumHarness;

beforeAll(async () => {
  harness = await startHarness(fileURLToPath(new URL('./browser/mediaEntry.ts', import.meta.url)));
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

interface ProbeResult {
  captured: { width: number; height: number; frameRate: number; contentHint: string };
  encodingsBeforeNegotiation: number;
  gatedBeforeNegotiation: boolean;
  applied: { senderUpdated: boolean; scale: number };
  parameters: { degradationPreference: string | null; maxBitrate: number | null; active: boolean | null };
  bytesWhileOff: number;
  framesWhileOff: number;
  framesAfterOn: number;
  inbound: { frameWidth: number | null; framesPerSecond: number | null; bitrate: number | null };
  outbound: { bitrate: number | null; active: boolean | null; limitation: string | null };
}

describe('screen share blocks in Chromium', () => {
  it('applies a preset and gates the sender for real', async () => {
    const page = await harness.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(harness.origin);
    await page.waitForFunction(() => 'miscordScreenProbe' in window, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() =>
      (window as unknown as { miscordScreenProbe(): Promise<unknown> }).miscordScreenProbe(),
    )) as ProbeResult;
    expect(errors).toEqual([]);
    if (process.env.PRINT_RAW) console.log(JSON.stringify({ ...result, raw: undefined }));

    // The fake screen, captured with the 720p30 preset's constraints and hint.
    expect(result.captured).toMatchObject({ width: 1280, height: 720, contentHint: 'motion' });
    expect(result.captured.frameRate).toBeLessThanOrEqual(30);
    // Chromium has the encodings array before negotiation, so a share can start gated (no frame leaks).
    expect(result.encodingsBeforeNegotiation).toBe(1);
    expect(result.gatedBeforeNegotiation).toBe(true);
    // The text preset: setParameters took degradationPreference and the bitrate ceiling.
    expect(result.applied).toEqual({ senderUpdated: true, scale: 1 });
    expect(result.parameters).toEqual({
      degradationPreference: 'maintain-resolution',
      maxBitrate: 1_500_000,
      // Still gated: applying a preset leaves `active` to the gate.
      active: false,
    });
    // Gated off: (almost) no media bytes — RTCP and padding aside — and no decoded frames.
    expect(result.bytesWhileOff).toBeLessThan(5_000);
    expect(result.framesWhileOff).toBe(0);
    // Gated on: frames arrive and the video stats read them.
    expect(result.framesAfterOn).toBeGreaterThan(0);
    // Bandwidth estimation starts low, and with maintain-framerate the encoder starts at a lower
    // resolution (320×180 here) and climbs: any width up to the capture's.
    expect(result.inbound.frameWidth).toBeGreaterThan(0);
    expect(result.inbound.frameWidth).toBeLessThanOrEqual(1280);
    expect(result.inbound.bitrate).toBeGreaterThan(0);
    expect(result.outbound.bitrate).toBeGreaterThan(0);
    expect(result.outbound.active).toBe(true);
    await page.close();
  }, 120_000);
});
