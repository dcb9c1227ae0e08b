import { describe, expect, it } from 'vitest';
import { constraintsFor, screenPreset } from '../../src/screen/presets';
import {
  capturedAudioVerdict,
  describeShareAudioUnavailable,
  electronSharePlatform,
  isShareAudioOffered,
  type ShareAudioEnvironment,
  type SharePlatform,
  shareAudioPlan,
} from '../../src/screen/shareAudio';

const modernChromium = { restrictOwnAudio: true, suppressLocalAudioPlayback: true };
const olderChromium = { suppressLocalAudioPlayback: true };
const platforms: SharePlatform[] = ['web', 'electron-win', 'electron-linux', 'electron-mac'];

describe('shareAudioPlan', () => {
  it('on the web with restrictOwnAudio: tab or system audio, our own output filtered out', () => {
    const plan = shareAudioPlan({ platform: 'web', supportedConstraints: modernChromium });
    expect(plan).toEqual({
      offered: true,
      systemAudio: true,
      source: 'tabOrSystem',
      audio: {
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
        channelCount: { ideal: 2 },
        sampleRate: { ideal: 48_000 },
        suppressLocalAudioPlayback: true,
        restrictOwnAudio: true,
      },
    });
  });

  it('on the web without restrictOwnAudio: tab audio only, never system audio', () => {
    const plan = shareAudioPlan({ platform: 'web', supportedConstraints: olderChromium });
    expect(plan.offered).toBe(true);
    if (!plan.offered) return;
    expect(plan.systemAudio).toBe(false);
    expect(plan.source).toBe('tabOnly');
    expect(plan.audio.restrictOwnAudio).toBeUndefined();
    // The getDisplayMedia options built from it keep system audio out of the picker.
    expect(constraintsFor(screenPreset('720p30'), plan).systemAudio).toBe('exclude');
  });

  it('asks for suppressLocalAudioPlayback only where the browser knows it', () => {
    const plan = shareAudioPlan({ platform: 'web', supportedConstraints: {} });
    expect(plan.offered && 'suppressLocalAudioPlayback' in plan.audio).toBe(false);
  });

  it('on Electron for Windows: loopback only when the running Electron excludes its own audio', () => {
    const safe: ShareAudioEnvironment = {
      platform: 'electron-win',
      supportedConstraints: modernChromium,
      loopbackExcludesOwnAudio: true,
    };
    const plan = shareAudioPlan(safe);
    expect(plan).toMatchObject({ offered: true, source: 'loopback', systemAudio: true });
    expect(plan.offered && plan.audio.restrictOwnAudio).toBe(true);
    expect(constraintsFor(screenPreset('1080p30'), plan.offered ? plan : { audio: null }).systemAudio).toBe(
      'include',
    );

    for (const unsafe of [
      { ...safe, loopbackExcludesOwnAudio: false },
      { platform: 'electron-win' as const, supportedConstraints: modernChromium },
      { ...safe, supportedConstraints: olderChromium },
    ]) {
      expect(shareAudioPlan(unsafe)).toEqual({ offered: false, reason: 'ownAudioNotExcluded' });
    }
  });

  it('is not offered on Electron for Linux and macOS (no loopback), whatever the browser supports', () => {
    for (const platform of ['electron-linux', 'electron-mac'] as const) {
      expect(
        shareAudioPlan({ platform, supportedConstraints: modernChromium, loopbackExcludesOwnAudio: true }),
      ).toEqual({ offered: false, reason: 'noLoopback' });
    }
  });

  it('never offers audio with speech processing on, nor without a way to keep the call out', () => {
    for (const platform of platforms) {
      for (const supportedConstraints of [{}, olderChromium, modernChromium]) {
        for (const loopbackExcludesOwnAudio of [true, false]) {
          const plan = shareAudioPlan({ platform, supportedConstraints, loopbackExcludesOwnAudio });
          expect(isShareAudioOffered({ platform, supportedConstraints, loopbackExcludesOwnAudio })).toBe(
            plan.offered,
          );
          if (!plan.offered) continue;
          expect(plan.audio).toMatchObject({
            echoCancellation: false,
            noiseSuppression: false,
            autoGainControl: false,
          });
          // System audio (which would hold the voices we play) only with our own output filtered out.
          if (plan.systemAudio) expect(plan.audio.restrictOwnAudio).toBe(true);
        }
      }
    }
  });

  it('explains each reason in a sentence', () => {
    expect(describeShareAudioUnavailable('noLoopback')).toMatch(/not available/);
    expect(describeShareAudioUnavailable('ownAudioNotExcluded')).toMatch(/voice chat/);
  });
});

describe('electronSharePlatform', () => {
  it('maps process.platform', () => {
    expect(electronSharePlatform('win32')).toBe('electron-win');
    expect(electronSharePlatform('darwin')).toBe('electron-mac');
    expect(electronSharePlatform('linux')).toBe('electron-linux');
    expect(electronSharePlatform('freebsd')).toBe('electron-linux');
  });
});

describe('capturedAudioVerdict', () => {
  it('keeps tab audio and filtered system audio, drops unfiltered system audio', () => {
    expect(capturedAudioVerdict({ displaySurface: 'browser' }, {})).toEqual({ keep: true });
    expect(capturedAudioVerdict({ displaySurface: 'monitor' }, { restrictOwnAudio: true })).toEqual({
      keep: true,
    });
    expect(capturedAudioVerdict({ displaySurface: 'monitor' }, {})).toEqual({
      keep: false,
      reason: 'ownAudioNotExcluded',
    });
    expect(capturedAudioVerdict({ displaySurface: 'window' }, { restrictOwnAudio: false }).keep).toBe(false);
    expect(capturedAudioVerdict({}, {}).keep).toBe(false);
  });
});
