import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CALL_CHANNELS,
  type CallUser,
  clickChannel,
  inboundGrowth,
  SCREENSHOTS,
  voiceDebug,
  waitForAudioFrom,
  waitForCall,
  waitUntil,
} from '../../support/callHarness';
import { setUpCall } from '../../support/callStack';
import { leftovers } from '../../support/rtcProbe';

// Three people in one channel through the real gateway (in-memory registry), each in its own context of
// one Chromium with a fake microphone, driven through the UI; audio is checked with getStats() at the
// receivers. The same call in Redis mode is in channels.test.ts.

vi.setConfig({ testTimeout: 90_000, hookTimeout: 180_000 });
const channel = CALL_CHANNELS.lounge;
/** Decoded energy growth below this over 1.5 s is silence (the beep of the fake microphone gives ~1e-2). */
const SILENT = 1e-6;
const stack = setUpCall({ names: ['Ann', 'Ben', 'Cat'] });
let ann: CallUser;
let ben: CallUser;
let cat: CallUser;

beforeAll(async () => {
  [ann, ben, cat] = stack.users() as [CallUser, CallUser, CallUser];
}, 180_000);

const others = (user: CallUser) => [ann, ben, cat].filter((u) => u !== user);

describe('a three-person call in real Chromium (memory registry)', () => {
  it('everyone joins by clicking the channel and hears the other two', async () => {
    for (const user of [ann, ben, cat]) await clickChannel(user, channel);
    await Promise.all([ann, ben, cat].map((u) => waitForCall(u, channel, others(u))));
    for (const user of [ann, ben, cat]) {
      await waitForAudioFrom(user, others(user));
      const info = await voiceDebug(user);
      expect(info.peers.map((p) => p.remoteTracks.map((t) => t.readyState))).toEqual([['live'], ['live']]);
      expect(info.output.remotes.map((r) => r.elementPlaying)).toEqual([true, true]);
    }
    for (const user of [ann, ben, cat]) {
      await expect
        .poll(() => user.page.getByTestId('connection-badge').getAttribute('data-status'), {
          timeout: 30_000,
        })
        .toBe('voiceConnected');
    }
  });

  it('shows speaking rings for the others (the fake microphone beeps)', async () => {
    for (const user of [ann, ben, cat]) {
      for (const other of others(user)) {
        await expect
          .poll(() => user.page.getByTestId(`tile-${other.userId}`).getAttribute('data-speaking'), {
            timeout: 30_000,
            interval: 50,
          })
          .toBe('true');
      }
    }
    await waitUntil(
      'a ring on Ann’s screen',
      () => ann.page.locator('.tile--speaking').count(),
      (n) => n >= 1,
      20_000,
      30,
    );
    await ann.page.screenshot({ path: join(SCREENSHOTS, 'call-voice-speaking.png') });
  });

  it('mute: the others stop receiving energy from Ben and show his muted icon', async () => {
    await ben.page.getByTestId('mute-button').click();
    expect(await ben.page.getByTestId('mute-button').getAttribute('aria-pressed')).toBe('true');
    for (const user of [ann, cat]) {
      const member = user.page.getByTestId(`channel-${channel}`).getByTestId(`channel-member-${ben.userId}`);
      await expect.poll(() => member.getAttribute('data-muted'), { timeout: 15_000 }).toBe('true');
      await user.page.getByTestId(`tile-${ben.userId}`).getByRole('img', { name: 'Muted' }).waitFor();
      // Let the last unmuted packets drain, then his energy must stay flat while Ann's/Cat's keeps growing.
      const growth = await waitUntil(
        `${user.name} no longer hearing Ben`,
        () => inboundGrowth(user, 1_500),
        (g) => (g[ben.userId]?.energy ?? 1) < SILENT,
        20_000,
        0,
      );
      const speaker = user === ann ? cat : ann;
      expect(growth[speaker.userId]?.energy).toBeGreaterThan(0);
    }
    await ben.page.getByTestId('mute-button').click();
    await waitForAudioFrom(ann, [ben, cat]);
  });

  it('deafen: Cat hears nothing (every gain 0), sends nothing, and shows as deafened', async () => {
    await cat.page.getByTestId('deafen-button').click();
    await waitUntil(
      'Cat’s gains at 0',
      () => voiceDebug(cat),
      (info) =>
        info.selfDeaf && info.output.remotes.length === 2 && info.output.remotes.every((r) => r.gain === 0),
    );
    for (const user of [ann, ben]) {
      const member = user.page.getByTestId(`channel-${channel}`).getByTestId(`channel-member-${cat.userId}`);
      await expect.poll(() => member.getAttribute('data-deafened'), { timeout: 15_000 }).toBe('true');
      await user.page.getByTestId(`tile-${cat.userId}`).getByRole('img', { name: 'Deafened' }).waitFor();
      await waitUntil(
        `${user.name} no longer hearing Cat`,
        () => inboundGrowth(user, 1_500),
        (g) => (g[cat.userId]?.energy ?? 1) < SILENT,
        20_000,
        0,
      );
    }
    await cat.page.getByTestId('deafen-button').click();
    await waitUntil(
      'Cat’s gains back at 1',
      () => voiceDebug(cat),
      (info) => !info.selfDeaf && !info.selfMute && info.output.remotes.every((r) => r.gain === 1),
    );
    await waitForAudioFrom(ann, [ben, cat]);
  });

  it('per-user volume from the tile menu sets that user’s gain only', async () => {
    await ann.page.getByTestId(`tile-menu-${ben.userId}`).click();
    const slider = ann.page.getByTestId('participant-volume');
    await slider.waitFor();
    for (let i = 0; i < 10; i++) await slider.press('ArrowLeft'); // 100 % → 50 %
    await expect.poll(() => slider.inputValue()).toBe('50');
    const gains = await waitUntil(
      'Ben’s gain at 0.5 on Ann’s side',
      () => voiceDebug(ann),
      (info) => info.output.remotes.find((r) => r.userId === ben.userId)?.gain === 0.5,
    );
    expect(gains.output.remotes.find((r) => r.userId === cat.userId)?.gain).toBe(1);
    await ann.page.screenshot({ path: join(SCREENSHOTS, 'call-tile-menu.png') });
    await slider.press('End'); // 200 %
    await waitUntil(
      'Ben’s gain at 2',
      () => voiceDebug(ann),
      (info) => info.output.remotes.find((r) => r.userId === ben.userId)?.gain === 2,
    );
    await ann.page.getByTestId('participant-local-mute').check();
    await waitUntil(
      'Ben locally muted (gain 0)',
      () => voiceDebug(ann),
      (info) => info.output.remotes.find((r) => r.userId === ben.userId)?.gain === 0,
    );
    await ann.page.getByTestId('participant-local-mute').uncheck();
    await slider.press('Home');
    for (let i = 0; i < 5; i++) await slider.press('PageUp'); // 0 → 100 % in steps of 20
    await ann.page.keyboard.press('Escape');
    await waitUntil(
      'Ben’s gain back at 1',
      () => voiceDebug(ann),
      (info) => info.output.remotes.find((r) => r.userId === ben.userId)?.gain === 1,
    );
    // Local only: Ben himself and Cat never saw a change.
    expect((await voiceDebug(cat)).output.remotes.every((r) => r.gain === 1)).toBe(true);
  });

  it('settings show the live microphone level meter while in the call', async () => {
    await ann.page.getByTestId('settings-button').click();
    const meter = ann.page.getByTestId('level-meter');
    await meter.waitFor();
    await waitUntil(
      'the meter above −100 dB',
      () => meter.locator('meter').getAttribute('value'),
      (value) => Number(value) > -100,
      20_000,
      50,
    );
    await ann.page.screenshot({ path: join(SCREENSHOTS, 'call-settings-level.png') });
    await ann.page.keyboard.press('Escape');
    await expect.poll(() => ann.page.getByTestId('settings-modal').count()).toBe(0);
  });

  it('leave: the others drop Cat within 2 s and Cat keeps no connection, track or element', async () => {
    const started = Date.now();
    await cat.page.getByTestId('disconnect-button').click();
    const dropped = await Promise.all(
      [ann, ben].map(async (user) => {
        await waitUntil(
          `${user.name} dropping Cat`,
          async () => ({
            peers: (await voiceDebug(user)).peers.map((p) => p.userId),
            tile: await user.page.getByTestId(`tile-${cat.userId}`).count(),
          }),
          (s) => !s.peers.includes(cat.userId) && s.tile === 0,
          10_000,
          50,
        );
        return Date.now() - started;
      }),
    );
    for (const ms of dropped) expect(ms).toBeLessThan(2_000);
    const left = await waitUntil(
      'Cat with nothing left',
      () => leftovers(cat.page),
      (l) => l.peerConnectionsOpen === 0 && l.audioContextsOpen === 0,
      10_000,
    );
    expect(left).toEqual({
      peerConnectionsCreated: 2,
      peerConnectionsOpen: 0,
      liveLocalTracks: 0,
      liveWebAudioTracks: 0,
      liveRemoteTracks: 0,
      audioElements: 0,
      audioContextsOpen: 0,
    });
    expect((await voiceDebug(cat)).state.status).toBe('left');
    await waitForCall(ann, channel, [ben]);
    await waitForAudioFrom(ann, [ben]);
  });

  it('logged no console or page errors', () => {
    expect([...ann.problems, ...ben.problems, ...cat.problems]).toEqual([]);
  });
});
