/**
 * Pages of the voice browser entry (test/voice/browser/voiceEntry.ts): one user = one browser context with
 * a fake microphone, one GatewayConnection and one VoiceSession against a FakeGateway. Shared by the voice
 * and screen-share Chromium tests.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { GatewayConnection } from '../../src/gateway/GatewayConnection';
import type { VoiceSession } from '../../src/voice/VoiceSession';
import { type ChromiumHarness, startHarness } from './chromiumHarness';
import { FakeGateway, waitFor } from './FakeGateway';

/** What voiceEntry.ts puts on the page as `miscordTest`. */
export interface VoiceTestGlobals {
  events: string[];
  devices: { unplug(deviceId: string): void; plug(deviceId: string): void };
  start(url: string, token: string, channel: string, pluggable?: boolean): Promise<void>;
}

declare const miscord: { voice: VoiceSession; gateway: GatewayConnection };
declare const miscordTest: VoiceTestGlobals;

const voiceEntry = fileURLToPath(new URL('../voice/browser/voiceEntry.ts', import.meta.url));

/**
 * Register the suite's hooks: Chromium serving the voice entry, and a FakeGateway (2 s heartbeats).
 * `gateway()` is the suite's gateway once `beforeAll` ran.
 */
export function voicePages() {
  let harness: ChromiumHarness | undefined;
  let fake: FakeGateway | undefined;
  beforeAll(async () => {
    harness = await startHarness(voiceEntry);
    fake = await FakeGateway.start();
    fake.heartbeatIntervalMs = 2_000;
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    await fake?.close();
  });
  const setup = () => {
    if (!harness || !fake) throw new Error('voicePages() used before its beforeAll ran');
    return { harness, gateway: fake };
  };

  /** A new user (`token-<id>`) in the voice channel `lobby`; `pluggable` swaps in a device layer tests can unplug. */
  async function openUser(token: string, pluggable = false): Promise<Page> {
    const { harness, gateway } = setup();
    const context = await harness.browser.newContext();
    await context.grantPermissions(['microphone'], { origin: harness.origin });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error (${token}):`, error));
    if (process.env.VOICE_TEST_LOG) page.on('console', (m) => console.log(`[${token}] ${m.text()}`));
    await page.goto(process.env.VOICE_TEST_LOG ? `${harness.origin}/?log=debug` : harness.origin);
    await page.evaluate(
      ([url, t, p]) => miscordTest.start(url as string, t as string, 'lobby', p as boolean),
      [gateway.url, token, pluggable] as const,
    );
    return page;
  }

  /** Wait until `fn` is truthy in `page`; a timeout names what the page's voice looked like then. */
  async function poll<T>(page: Page, fn: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
    try {
      return (await waitFor(async () => page.evaluate(fn), what, timeoutMs)) as T;
    } catch (error) {
      const seen = await page
        .evaluate(() => {
          const info = miscord.voice.getDebugInfo();
          return JSON.stringify({
            peers: info.peers.map((p) => ({
              userId: p.userId,
              initiator: p.initiator,
              status: p.status,
              signalingState: p.signalingState,
              remoteTracks: p.remoteTracks.length,
              transceivers: p.transceivers.map((t) => `${t.kind}:${t.currentDirection}`),
            })),
            shares: miscord.voice.screen.shares().map((share) => ({
              userId: share.userId,
              shareId: share.shareId,
              stream: share.stream != null,
            })),
          });
        })
        .catch(() => 'unavailable');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; the page's voice then: ${seen}`,
      );
    }
  }

  /**
   * What `page` hears from `from` over ~1.5 s: the loudest Web Audio level of their decoded stream and
   * the inbound RTP bytes before/after. (Inbound-rtp audioLevel/totalAudioEnergy read 0 by design: the
   * element that makes Chromium decode is muted; what you hear goes through Web Audio — see AudioOutput.)
   */
  async function hear(page: Page, from: string): Promise<{ level: number; bytes: [number, number] }> {
    return page.evaluate(async (u) => {
      const bytes = async () => (await miscord.voice.collectStats())[u]?.inbound?.bytesReceived ?? 0;
      const first = await bytes();
      let level = 0;
      for (let i = 0; i < 60; i++) {
        const peer = miscord.voice.getDebugInfo().peers.find((p) => p.userId === u);
        level = Math.max(level, peer?.outputLevel ?? 0);
        await new Promise((r) => setTimeout(r, 25));
      }
      return { level, bytes: [first, await bytes()] as [number, number] };
    }, from);
  }

  const audible = async (page: Page, from: string) => {
    const h = await hear(page, from);
    return h.level > 0.05 && h.bytes[1] > h.bytes[0];
  };

  return { openUser, poll, hear, audible, gateway: () => setup().gateway };
}
