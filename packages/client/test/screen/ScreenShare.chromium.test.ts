/**
 * Go Live through VoiceSession in real Chromium: members in one voice channel over the FakeGateway, fake
 * microphones and the fake screen of getDisplayMedia (E2E-RECIPE §4). The share rides the existing peers
 * by renegotiation; only members who watch get video; audio never stalls; presets change what the viewer
 * decodes; two shares started together both work; stopping cleans up on both sides.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayConnection } from '../../src/gateway/GatewayConnection';
import type { VoiceSession } from '../../src/voice/VoiceSession';
import { waitFor } from '../helpers/FakeGateway';
import { voicePages } from '../helpers/voicePages';

declare const miscord: { voice: VoiceSession; gateway: GatewayConnection };

const pages: Page[] = [];

afterEach(async () => {
  for (const page of pages.splice(0)) {
    await page.evaluate(() => miscord.voice.leave()).catch(() => undefined);
    await page.context().close();
  }
});

const { openUser, poll } = voicePages();

/** Users in the lobby, each connected to every other. */
async function call(...names: string[]): Promise<Page[]> {
  const opened: Page[] = [];
  for (const name of names) {
    const page = await openUser(`token-${name}`);
    pages.push(page);
    opened.push(page);
  }
  const others = pages.length - 1;
  for (const page of pages) {
    await waitFor(
      () =>
        page.evaluate(
          (n) => miscord.voice.peers().filter((p) => p.status === 'connected').length === n,
          others,
        ),
      'everyone connected',
      30_000,
    );
  }
  return opened;
}

/** What `page` decodes of `sharer`'s share now (a fresh stats sample). */
async function received(page: Page, sharer: string) {
  return page.evaluate(async (u) => {
    await miscord.voice.collectStats();
    return miscord.voice.getDebugInfo().screen.shares.find((s) => s.sharer === u)?.received ?? null;
  }, sharer);
}

/** Frames of `sharer`'s share decoded at `page` within ~1 s, and the last frame size. */
async function decoding(page: Page, sharer: string) {
  const before = (await received(page, sharer))?.frames ?? 0;
  await new Promise((r) => setTimeout(r, 1000));
  const after = await received(page, sharer);
  return {
    frames: (after?.frames ?? 0) - before,
    width: after?.frameWidth,
    height: after?.frameHeight,
    after,
  };
}

/** Start sampling the voice bytes `page` receives from `from` every 100 ms; `stop()` gives the longest stall. */
async function sampleVoice(page: Page, from: string) {
  await page.evaluate((u) => {
    const w = window as unknown as { voiceSamples: Array<[number, number]>; voiceTimer: number };
    w.voiceSamples = [];
    w.voiceTimer = window.setInterval(async () => {
      const bytes = (await miscord.voice.collectStats())[u]?.inbound?.bytesReceived ?? 0;
      w.voiceSamples.push([performance.now(), bytes]);
    }, 100);
  }, from);
  return {
    stop: () =>
      page.evaluate(() => {
        const w = window as unknown as { voiceSamples: Array<[number, number]>; voiceTimer: number };
        clearInterval(w.voiceTimer);
        let longest = 0;
        let lastGrowth = w.voiceSamples[0]?.[0] ?? 0;
        let lastBytes = w.voiceSamples[0]?.[1] ?? 0;
        for (const [at, bytes] of w.voiceSamples) {
          if (bytes > lastBytes) {
            longest = Math.max(longest, at - lastGrowth);
            lastGrowth = at;
            lastBytes = bytes;
          }
        }
        const end = w.voiceSamples.at(-1)?.[0] ?? lastGrowth;
        return { longestStallMs: Math.max(longest, end - lastGrowth), samples: w.voiceSamples.length };
      }),
  };
}

/**
 * The viewer decodes the preset's size. WebRTC may scale a `motion` share down while the sender's CPU or
 * the path is short (2 shared cores here); then the sender must say so, and the picture must keep its
 * shape — anything else is a bug.
 */
async function expectPresetSize(sender: Page, viewer: Page, sharer: string, width: number, height: number) {
  let last: unknown;
  const started = Date.now();
  await waitFor(
    async () => {
      const d = await decoding(viewer, sharer);
      const out = await sender.evaluate(
        async (v) => {
          await miscord.voice.collectStats();
          return miscord.voice.getDebugInfo().screen.sharing?.peers.find((p) => p.userId === v)?.sent ?? null;
        },
        await viewer.evaluate(() => miscord.gateway.userId),
      );
      last = { decoded: d, sent: out };
      if (d.frames < 3) return false;
      if (d.width === width && d.height === height) return true;
      const limited = out?.limitedBy === 'cpu' || out?.limitedBy === 'bandwidth';
      const sameShape = d.width && d.height && Math.abs(d.width / d.height - width / height) < 0.02;
      return Date.now() - started > 10_000 && limited && sameShape && (d.width ?? 0) < width;
    },
    `${width}×${height} decoded`,
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
  });
  if (process.env.VOICE_TEST_LOG) console.log('decoded', JSON.stringify(last));
}

const videoSenders = (page: Page) =>
  page.evaluate(() =>
    miscord.voice.getDebugInfo().peers.map((p) => ({
      userId: p.userId,
      video: p.localTracks.filter((t) => t.kind === 'video').length,
    })),
  );

describe('screen share through VoiceSession in Chromium', () => {
  it('goes live on the existing peers; only the watcher gets video; audio never stalls', async () => {
    const [ann, ben, cal] = (await call('ann', 'ben', 'cal')) as [Page, Page, Page];
    const peersBefore = await ann.evaluate(() => miscord.voice.peers().map((p) => p.userId));
    const atBen = await sampleVoice(ben, 'ann');
    const atCal = await sampleVoice(cal, 'ann');

    await ann.evaluate(() => miscord.voice.screen.start({ preset: '720p30' }));
    for (const page of [ben, cal]) {
      await poll(page, () => miscord.voice.screen.shares()[0]?.userId === 'ann', 'share announced');
      await poll(page, () => miscord.gateway.voiceStates.get('ann')?.streaming === true, 'ann streaming');
    }
    await poll(ben, () => miscord.voice.screen.shares()[0]?.stream !== null, 'share tracks at ben');
    await ben.evaluate(() => miscord.voice.screen.watch('ann'));
    await poll(ann, () => miscord.voice.screen.sharing?.watchers.join() === 'ben', 'ann sees ben watching');
    await expectPresetSize(ann, ben, 'ann', 1280, 720);
    // cal did not ask: its connection carries the share's tracks, but no video bytes.
    const calSees = await decoding(cal, 'ann');
    expect(calSees.frames).toBe(0);
    expect(calSees.after?.bytes ?? 0).toBeLessThan(5_000);
    const annInfo = await ann.evaluate(async () => {
      await miscord.voice.collectStats();
      return miscord.voice.getDebugInfo().screen.sharing;
    });
    expect(annInfo?.capture).toMatchObject({ width: 1280, height: 720, contentHint: 'motion' });
    const toCal = annInfo?.peers.find((p) => p.userId === 'cal');
    const toBen = annInfo?.peers.find((p) => p.userId === 'ben');
    expect(toCal).toMatchObject({ watching: false, sent: { active: false } });
    expect(toBen).toMatchObject({ watching: true, sent: { active: true } });
    expect(toBen?.sent?.bytes ?? 0).toBeGreaterThan(50_000);
    expect(toCal?.sent?.bytes ?? 0).toBeLessThan(5_000);

    // The renegotiation never interrupted ann's voice, and it happened on the same peers.
    for (const sampler of [atBen, atCal]) {
      const { longestStallMs, samples } = await sampler.stop();
      expect(samples).toBeGreaterThan(10);
      expect(longestStallMs).toBeLessThan(1000);
    }
    expect(await ann.evaluate(() => miscord.voice.peers().map((p) => p.userId))).toEqual(peersBefore);
    expect(await ann.evaluate(() => miscord.voice.peers().every((p) => p.status === 'connected'))).toBe(true);

    // Stop watching: frames stop at ben; ann's gate closes.
    await ben.evaluate(() => miscord.voice.screen.unwatch('ann'));
    await poll(ann, () => miscord.voice.screen.sharing?.watchers.length === 0, 'no watchers');
    await waitFor(async () => (await decoding(ben, 'ann')).frames <= 1, 'frames stop at ben', 10_000);
  }, 120_000);

  it('changes what the viewer decodes when the preset changes while live', async () => {
    const [ann, ben] = (await call('ann', 'ben')) as [Page, Page];
    await ann.evaluate(() => miscord.voice.screen.start({ preset: '720p30' }));
    await poll(ben, () => miscord.voice.screen.shares()[0]?.stream != null, 'share at ben');
    await ben.evaluate(() => miscord.voice.screen.watch('ann'));
    await expectPresetSize(ann, ben, 'ann', 1280, 720);

    await ann.evaluate(() => miscord.voice.screen.setPreset('1080p30'));
    await poll(ben, () => miscord.voice.screen.shares()[0]?.preset === '1080p30', 'ben told of 1080p30');
    await expectPresetSize(ann, ben, 'ann', 1920, 1080);

    await ann.evaluate(() => miscord.voice.screen.setPreset('text'));
    expect(await ann.evaluate(() => miscord.voice.getDebugInfo().screen.sharing?.capture.contentHint)).toBe(
      'detail',
    );
    await waitFor(
      async () => {
        const d = await decoding(ben, 'ann');
        return d.frames > 0 && d.frames <= 7 && (d.width ?? 0) > 1920;
      },
      'ben decodes the text preset: source resolution at about 5 fps',
      30_000,
    );
  }, 120_000);

  it('two members who start sharing within 50 ms both get watched (no glare)', async () => {
    const [ann, ben] = (await call('ann', 'ben')) as [Page, Page];
    const started = await Promise.all(
      [ann, ben].map((page) =>
        page.evaluate(async () => {
          const at = performance.timeOrigin + performance.now();
          await miscord.voice.screen.start({ preset: '720p30' });
          return at;
        }),
      ),
    );
    expect(Math.abs((started[0] ?? 0) - (started[1] ?? 0))).toBeLessThan(50);
    await poll(ann, () => miscord.voice.screen.shares()[0]?.stream != null, 'ben share at ann');
    await poll(ben, () => miscord.voice.screen.shares()[0]?.stream != null, 'ann share at ben');
    await ann.evaluate(() => miscord.voice.screen.watch('ben'));
    await ben.evaluate(() => miscord.voice.screen.watch('ann'));
    await waitFor(async () => (await decoding(ann, 'ben')).frames >= 5, 'ann decodes ben', 30_000);
    await waitFor(async () => (await decoding(ben, 'ann')).frames >= 5, 'ben decodes ann', 30_000);
    for (const page of [ann, ben]) {
      expect(await page.evaluate(() => miscord.voice.peers().map((p) => p.status))).toEqual(['connected']);
    }
  }, 120_000);

  it('a member who joins during a share sees it and can watch it', async () => {
    const [ann] = (await call('ann', 'ben')) as [Page, Page];
    await ann.evaluate(() => miscord.voice.screen.start({ preset: '720p30' }));
    const [dan] = (await call('dan')) as [Page];
    await poll(ann, () => miscord.voice.peers().length === 2, 'ann has two peers');
    await poll(dan, () => miscord.voice.screen.shares()[0]?.stream != null, 'share at dan');
    await dan.evaluate(() => miscord.voice.screen.watch('ann'));
    await waitFor(async () => (await decoding(dan, 'ann')).frames >= 5, 'dan decodes ann', 30_000);
  }, 120_000);

  it('stopping from the app or from the system removes the share on both sides', async () => {
    const [ann, ben] = (await call('ann', 'ben')) as [Page, Page];
    for (const how of ['app', 'system'] as const) {
      await ann.evaluate(() => miscord.voice.screen.start({ preset: '720p30' }));
      await poll(ben, () => miscord.voice.screen.shares()[0]?.stream != null, `share at ben (${how})`);
      await ben.evaluate(() => miscord.voice.screen.watch('ann'));
      await waitFor(async () => (await decoding(ben, 'ann')).frames >= 3, `ben decodes (${how})`, 30_000);
      expect(await videoSenders(ann)).toEqual([{ userId: 'ben', video: 1 }]);

      const capture = await ann.evaluate((h) => {
        const track = miscord.voice.screen.sharing?.stream.getVideoTracks()[0];
        // The browser's "Stop sharing" ends the track and fires `ended`.
        if (h === 'system') track?.dispatchEvent(new Event('ended'));
        else miscord.voice.screen.stop();
        return track?.readyState;
      }, how);
      expect(capture).toBe('ended');
      expect(await ann.evaluate(() => miscord.voice.screen.sharing)).toBeNull();
      await poll(ben, () => miscord.voice.screen.shares().length === 0, `share gone at ben (${how})`);
      await poll(ben, () => miscord.gateway.voiceStates.get('ann')?.streaming === false, 'not streaming');
      // Renegotiated away: no video sender at ann, no video transceiver still receiving at ben.
      await poll(
        ann,
        () => miscord.voice.getDebugInfo().peers[0]?.signalingState === 'stable',
        'renegotiated',
      );
      await waitFor(
        async () => JSON.stringify(await videoSenders(ann)) === JSON.stringify([{ userId: 'ben', video: 0 }]),
        'no video sender left at ann',
        10_000,
      );
      const videoDirections = (page: Page) =>
        page.evaluate(() =>
          (miscord.voice.getDebugInfo().peers[0]?.transceivers ?? [])
            .filter((t) => t.kind === 'video')
            .map((t) => t.currentDirection),
        );
      const sends = (d: string | null) => d === 'sendrecv' || d === 'sendonly';
      const receives = (d: string | null) => d === 'sendrecv' || d === 'recvonly';
      await waitFor(async () => !(await videoDirections(ann)).some(sends), 'ann sends no video', 10_000);
      await waitFor(async () => !(await videoDirections(ben)).some(receives), 'ben receives none', 10_000);
      expect(await ben.evaluate(() => miscord.voice.peers()[0]?.status)).toBe('connected');
    }
  }, 120_000);

  it('going live again and again recycles the m-lines: the offer stays small', async () => {
    const [ann, ben] = (await call('ann', 'ben')) as [Page, Page];
    const mLines = (page: Page) =>
      page.evaluate(() => miscord.voice.getDebugInfo().peers[0]?.transceivers.length ?? 0);
    for (let round = 0; round < 8; round++) {
      await ann.evaluate(() => miscord.voice.screen.start({ preset: '720p30' }));
      await poll(ben, () => miscord.voice.screen.shares()[0]?.stream != null, `share ${round} at ben`);
      await ann.evaluate(() => miscord.voice.screen.stop());
      await poll(ben, () => miscord.voice.screen.shares().length === 0, `share ${round} gone`);
      await poll(ann, () => miscord.voice.getDebugInfo().peers[0]?.signalingState === 'stable', 'stable');
    }
    // audio + at most the last share's video (a stopped one is gone once negotiated)
    await waitFor(
      async () => (await mLines(ann)) <= 2 && (await mLines(ben)) <= 2,
      'two m-lines each',
      10_000,
    );
    await ann.evaluate(() => miscord.voice.screen.start({ preset: '720p30' }));
    await poll(ben, () => miscord.voice.screen.shares()[0]?.stream != null, 'the ninth share');
    await ben.evaluate(() => miscord.voice.screen.watch('ann'));
    await waitFor(
      async () => (await decoding(ben, 'ann')).frames >= 3,
      'ben decodes the ninth share',
      30_000,
    );
  }, 180_000);
});
