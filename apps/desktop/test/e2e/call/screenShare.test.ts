import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CALL_CHANNELS,
  type CallUser,
  clickChannel,
  SCREENSHOTS,
  voiceDebug,
  waitForCall,
  waitUntil,
} from '../../support/callHarness';
import { setUpCall } from '../../support/callStack';

// Go Live through the web client's UI: three people in one channel through the real gateway (memory
// registry), one Chromium whose fake capture is a browser tab with sound (so "share audio" is kept), driven
// by clicks. Ann shares, Ben watches, Cat does not.

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });
const channel = CALL_CHANNELS.lounge;
const stack = setUpCall({ names: ['Ann', 'Ben', 'Cat'], fakeDisplay: 'browser' });
let ann: CallUser;
let ben: CallUser;
let cat: CallUser;

beforeAll(async () => {
  [ann, ben, cat] = stack.users() as [CallUser, CallUser, CallUser];
  for (const user of [ann, ben, cat]) await clickChannel(user, channel);
  const all = [ann, ben, cat];
  await Promise.all(
    all.map((u) =>
      waitForCall(
        u,
        channel,
        all.filter((o) => o !== u),
      ),
    ),
  );
}, 180_000);

/** What the <video> of a watched stream shows: its size, and decoded frames (growing while live). */
function videoOf(page: Page, testId: string) {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`[data-testid="${id}"]`);
    if (!video) return null;
    const quality = video.getVideoPlaybackQuality();
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      frames: quality.totalVideoFrames,
      playing: !video.paused,
    };
  }, testId);
}

async function framesGrow(page: Page, testId: string): Promise<{ width: number; height: number }> {
  const first = await videoOf(page, testId);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const second = await videoOf(page, testId);
  if (!first || !second || second.frames <= first.frames) throw new Error(`${testId} is not decoding`);
  return second;
}

/** Voice bytes `listener` received from `speaker` (the microphone stream only, by track id). */
async function voiceBytes(listener: CallUser, speaker: CallUser): Promise<number> {
  return listener.page.evaluate(async (id) => {
    const voice = (
      window as unknown as {
        miscord: {
          voice: {
            collectStats(): Promise<Record<string, { inbound: { bytesReceived: number } | null } | null>>;
          };
        };
      }
    ).miscord.voice;
    return (await voice.collectStats())[id]?.inbound?.bytesReceived ?? 0;
  }, speaker.userId);
}

/**
 * The watcher decodes what Ann captures, at its size. WebRTC starts low and ramps up, and may scale a
 * `motion` share down while CPU or bandwidth is short (2 shared cores): then Ann's encoder must say so
 * and the picture keep its shape.
 */
async function decodesCaptureSize(viewer: CallUser): Promise<void> {
  const started = Date.now();
  await waitUntil(
    `${viewer.name} decoding Ann’s capture size`,
    async () => {
      const sharing = (await screenInfo(ann)).sharing;
      const video = await videoOf(viewer.page, `stream-video-${ann.userId}`);
      return {
        capture: sharing?.capture,
        sent: sharing?.peers.find((p) => p.userId === viewer.userId)?.sent,
        video,
      };
    },
    ({ capture, sent, video }) => {
      if (!capture?.width || !capture.height || !video?.width) return false;
      if (video.width === capture.width && video.height === capture.height) return true;
      const sameShape = Math.abs(video.width / video.height - capture.width / capture.height) < 0.02;
      const limited = sent?.limitedBy === 'cpu' || sent?.limitedBy === 'bandwidth';
      return Date.now() - started > 10_000 && limited && sameShape;
    },
    40_000,
    500,
  );
}

async function screenInfo(user: CallUser) {
  await user.page.evaluate(() =>
    (
      window as unknown as { miscord: { voice: { collectStats(): Promise<unknown> } } }
    ).miscord.voice.collectStats(),
  );
  return (await voiceDebug(user)).screen;
}

describe('Go Live in the web client', () => {
  it('Ann goes live from the call controls; the others see LIVE and only Ben, who watches, gets video', async () => {
    const before = { ben: await voiceBytes(ben, ann), cat: await voiceBytes(cat, ann) };
    await ann.page.getByTestId('screen-share-button').click();
    const dialog = ann.page.getByTestId('go-live-dialog');
    await dialog.waitFor();
    await ann.page.getByTestId('preset-720p30').check();
    await ann.page.getByTestId('share-audio-toggle').check();
    await ann.page.getByTestId('go-live-button').click();
    await ann.page.getByTestId('stop-share-button').waitFor({ timeout: 30_000 });
    await waitUntil(
      'Ann’s own preview',
      () => framesGrow(ann.page, 'self-share-preview'),
      () => true,
    );

    for (const user of [ben, cat]) {
      await user.page.getByTestId(`watch-stream-${ann.userId}`).waitFor({ timeout: 30_000 });
      const member = user.page.getByTestId(`channel-${channel}`).getByTestId(`channel-member-${ann.userId}`);
      await member.getByText('LIVE').waitFor();
      expect(await user.page.getByTestId(`tile-${ann.userId}`).getAttribute('data-streaming')).toBe('true');
    }
    await cat.page.screenshot({ path: join(SCREENSHOTS, 'call-live-tile.png') });

    await ben.page.getByTestId(`watch-stream-${ann.userId}`).click();
    await waitUntil(
      'Ben decoding Ann’s screen',
      () => framesGrow(ben.page, `stream-video-${ann.userId}`),
      () => true,
    );
    await decodesCaptureSize(ben);
    await waitUntil(
      'Ann sees Ben watching',
      () => ann.page.getByTestId('share-watchers').textContent(),
      (t) => t === '1 watching',
    );
    await ben.page.screenshot({ path: join(SCREENSHOTS, 'call-watch-view.png') });

    // Cat never asked: no picture, and (almost) no video bytes on her connection to Ann.
    expect(await cat.page.getByTestId('stream-stage').count()).toBe(0);
    const catScreen = await screenInfo(cat);
    expect(catScreen.shares[0]).toMatchObject({ sharer: ann.userId, watching: false });
    expect(catScreen.shares[0]?.received?.bytes ?? 0).toBeLessThan(5_000);
    const annScreen = await screenInfo(ann);
    expect(annScreen.sharing?.watchers).toEqual([ben.userId]);
    expect(annScreen.sharing?.audio).toBe(true);
    // Ann's voice went on through the renegotiation, on the same peers.
    expect(await voiceBytes(ben, ann)).toBeGreaterThan(before.ben);
    expect(await voiceBytes(cat, ann)).toBeGreaterThan(before.cat);
  });

  it('the shared tab’s audio plays for Ben with its own volume, apart from Ann’s voice', async () => {
    const key = `screen:${ann.userId}`;
    const remote = () =>
      voiceDebug(ben).then((info) => info.output.remotes.find((r) => r.userId === key) ?? null);
    await waitUntil('Ann’s share audio at Ben', remote, (r) => r?.elementPlaying === true);
    const slider = ben.page.getByTestId(`stream-volume-${ann.userId}`);
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press('ArrowLeft'); // 100 % − 10 × 5 %
    await waitUntil(
      'share volume at 50 %',
      remote,
      (r) => r?.volumePercent === 50 && Math.abs(r.gain - 0.5) < 1e-6,
    );
    const voice = (await voiceDebug(ben)).output.remotes.find((r) => r.userId === ann.userId);
    expect(voice?.volumePercent).toBe(100); // her voice is untouched
  });

  it('a quality change while live reaches Ben', async () => {
    const fps = () => screenInfo(ben).then((s) => s.shares[0]?.received?.fps ?? 0);
    await waitUntil('Ben decoding well above 5 fps at 720p30', fps, (f) => f >= 12, 30_000, 500);
    await ann.page.getByTestId('share-quality').selectOption('text');
    await waitUntil(
      'Ben told of the text preset',
      () => screenInfo(ben),
      (s) => s.shares[0]?.preset === 'text',
    );
    const sharing = (await screenInfo(ann)).sharing;
    expect(sharing?.capture).toMatchObject({ contentHint: 'detail' });
    await waitUntil(
      'Ben decoding about 5 fps',
      () => screenInfo(ben),
      (s) => (s.shares[0]?.received?.fps ?? 99) <= 7 && (s.shares[0]?.received?.frames ?? 0) > 0,
      40_000,
      500,
    );
    await ann.page.getByTestId('share-quality').selectOption('720p30');
  });

  it('full screen and pop-out', async () => {
    await ben.page.getByTestId(`stream-fullscreen-${ann.userId}`).click();
    await waitUntil(
      'full screen',
      () => ben.page.evaluate(() => document.fullscreenElement?.className ?? null),
      (c) => c === 'stream-view',
    );
    await ben.page.getByTestId(`stream-fullscreen-${ann.userId}`).click();
    await waitUntil(
      'out of full screen',
      () => ben.page.evaluate(() => document.fullscreenElement),
      (e) => e === null,
    );

    const [popup] = await Promise.all([
      ben.context.waitForEvent('page'),
      ben.page.getByTestId(`stream-popout-${ann.userId}`).click(),
    ]);
    await waitUntil(
      'the pop-out decoding',
      () => framesGrow(popup, 'popout-video'),
      () => true,
    );
    expect(await ben.page.getByTestId(`stream-view-${ann.userId}`).getAttribute('data-popped-out')).toBe(
      'true',
    );
    await popup.close();
    await waitUntil(
      'back in the main window',
      () => ben.page.getByTestId(`stream-view-${ann.userId}`).getAttribute('data-popped-out'),
      (v) => v === 'false',
    );
    await waitUntil(
      'decoding inline again',
      () => framesGrow(ben.page, `stream-video-${ann.userId}`),
      () => true,
    );
  });

  it('Ben stops watching: his stage and the share’s audio go, Ann stops sending to him, the share goes on', async () => {
    await ben.page.getByTestId(`stream-stop-watching-${ann.userId}`).click();
    expect(await ben.page.getByTestId('stream-stage').count()).toBe(0);
    await ben.page.getByTestId(`watch-stream-${ann.userId}`).waitFor();
    await waitUntil(
      'Ann sees nobody watching',
      () => ann.page.getByTestId('share-watchers').textContent(),
      (t) => t === 'Nobody watching yet',
    );
    await waitUntil(
      'Ann’s encoder for Ben off',
      () => screenInfo(ann),
      (s) => s.sharing?.peers.find((p) => p.userId === ben.userId)?.sent?.active === false,
    );
    expect((await voiceDebug(ben)).output.remotes.some((r) => r.userId === `screen:${ann.userId}`)).toBe(
      false,
    );
    expect(await ann.page.getByTestId('stop-share-button').count()).toBe(1);
  });

  it('stopping — from the app, then from the browser’s "Stop sharing" — clears it everywhere', async () => {
    await ben.page.getByTestId(`watch-stream-${ann.userId}`).click();
    await waitUntil(
      'Ben decoding',
      () => framesGrow(ben.page, `stream-video-${ann.userId}`),
      () => true,
    );
    for (const how of ['app', 'system'] as const) {
      if (how === 'system') {
        await ann.page.getByTestId('screen-share-button').click();
        await ann.page.getByTestId('go-live-button').click();
        await ann.page.getByTestId('stop-share-button').waitFor({ timeout: 30_000 });
        await ben.page.getByTestId(`watch-stream-${ann.userId}`).click({ timeout: 30_000 });
        await waitUntil(
          'Ben decoding again',
          () => framesGrow(ben.page, `stream-video-${ann.userId}`),
          () => true,
        );
        await ann.page.evaluate(() => {
          const track = (
            window as unknown as {
              miscord: { voice: { screen: { sharing: { stream: MediaStream } | null } } };
            }
          ).miscord.voice.screen.sharing?.stream.getVideoTracks()[0];
          track?.stop();
          track?.dispatchEvent(new Event('ended')); // what the browser does on "Stop sharing"
        });
      } else {
        await ann.page.getByTestId('stop-share-button').click();
      }
      await ann.page.getByTestId('screen-share-button').waitFor();
      for (const user of [ben, cat]) {
        await waitUntil(
          `${user.name}: LIVE gone (${how})`,
          () => user.page.getByTestId(`tile-${ann.userId}`).getAttribute('data-streaming'),
          (v) => v === 'false',
        );
        expect(await user.page.getByTestId('stream-stage').count()).toBe(0);
        expect(await user.page.getByTestId(`watch-stream-${ann.userId}`).count()).toBe(0);
      }
      const debug = await voiceDebug(ann);
      expect(debug.screen.sharing).toBeNull();
      await waitUntil(
        `Ann sends no video (${how})`,
        () => voiceDebug(ann),
        (info) =>
          info.peers.every((p) =>
            p.transceivers.every(
              (t) => t.kind !== 'video' || !['sendrecv', 'sendonly'].includes(t.currentDirection ?? ''),
            ),
          ),
      );
      expect((await voiceDebug(ben)).output.remotes.some((r) => r.userId.startsWith('screen:'))).toBe(false);
    }
    for (const user of [ann, ben, cat]) expect(user.problems).toEqual([]);
  });
});
