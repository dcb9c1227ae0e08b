/**
 * 🖥️ Screen audio ("share audio" in the Go Live dialog) and the one rule that governs it: **the voice chat
 * itself is never sent again inside the shared audio.** If the sharer's speakers play the other members'
 * voices and the capture picks them up, every member hears themselves echoed back a moment later.
 *
 * How each platform keeps the call out of the capture:
 * - `web`: the page asks for `restrictOwnAudio` (Chromium filters the capturing tab's own output out of
 *   system audio) and never offers its own tab (`selfBrowserSurface: 'exclude'`). A browser that does not
 *   know `restrictOwnAudio` still gets tab audio (another tab cannot contain our voices) but no system
 *   audio (`systemAudio: 'exclude'`), because system audio would contain them.
 * - `electron-win`: the main process answers the request with WASAPI loopback (`audio: 'loopback'`,
 *   screenSources.ts). Electron releases before electron/electron#52455 ignored `restrictOwnAudio` and gave
 *   plain loopback, which includes Miscord's own playback; so screen audio is offered there only when the
 *   caller says the running Electron honours it (`loopbackExcludesOwnAudio`). `loopbackWithMute` is never
 *   used: it would mute the call for the sharer.
 * - `electron-linux`, `electron-mac`: Electron has no system-audio loopback there; not offered.
 *
 * Screen audio is music, games and videos, not speech: echo cancellation, noise suppression and gain
 * control are off (they would pump and gate it), and it is stereo.
 */
import type { ScreenAudioConstraints } from './presets';

export const SharePlatform = {
  Web: 'web',
  ElectronWindows: 'electron-win',
  ElectronLinux: 'electron-linux',
  ElectronMac: 'electron-mac',
} as const;
export type SharePlatform = (typeof SharePlatform)[keyof typeof SharePlatform];

/** Electron's `process.platform` → the share platform; anything else is treated as Linux-like (no loopback). */
export function electronSharePlatform(nodePlatform: string): SharePlatform {
  if (nodePlatform === 'win32') return 'electron-win';
  if (nodePlatform === 'darwin') return 'electron-mac';
  return 'electron-linux';
}

/** What the caller knows about the running browser / Electron. */
export interface ShareAudioEnvironment {
  readonly platform: SharePlatform;
  /** `navigator.mediaDevices.getSupportedConstraints()` (only the two keys read here matter). */
  readonly supportedConstraints: {
    readonly restrictOwnAudio?: boolean;
    readonly suppressLocalAudioPlayback?: boolean;
  };
  /**
   * Electron on Windows only: the running Electron maps `restrictOwnAudio` to loopback without its own
   * process (electron/electron#52455). Unknown → false: the rule wins over the feature.
   */
  readonly loopbackExcludesOwnAudio?: boolean;
}

export type ShareAudioUnavailableReason =
  /** Electron on Linux or macOS: no system-audio loopback. */
  | 'noLoopback'
  /** Loopback would include the voice chat and nothing can filter it out. */
  | 'ownAudioNotExcluded';

export type ShareAudioPlan =
  | {
      readonly offered: true;
      /** Audio constraints for getDisplayMedia. */
      readonly audio: ScreenAudioConstraints;
      /** Whether the picker may offer whole-system audio (`systemAudio: 'include'`). */
      readonly systemAudio: boolean;
      /** Where the audio comes from, for the UI ("Tab audio" vs "System audio"). */
      readonly source: 'tabOrSystem' | 'tabOnly' | 'loopback';
    }
  | { readonly offered: false; readonly reason: ShareAudioUnavailableReason };

/**
 * Screen audio is for listening, not talking: none of the speech processing, stereo at 48 kHz.
 */
function baseAudioConstraints(): ScreenAudioConstraints {
  return {
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
    channelCount: { ideal: 2 },
    sampleRate: { ideal: 48_000 },
  };
}

/**
 * The screen-audio plan for an environment: the constraints to ask for, or why share-audio is not offered.
 *
 * `suppressLocalAudioPlayback` (a shared tab stops playing on the sharer's speakers) is asked for where
 * supported: otherwise the sharer's microphone hears that tab from the speakers and members get the same
 * sound twice, once clean and once through the mic, a few tens of milliseconds apart.
 */
export function shareAudioPlan(environment: ShareAudioEnvironment): ShareAudioPlan {
  const supported = environment.supportedConstraints;
  const audio = baseAudioConstraints();
  if (supported.suppressLocalAudioPlayback === true) audio.suppressLocalAudioPlayback = true;
  switch (environment.platform) {
    case 'web': {
      if (supported.restrictOwnAudio === true) {
        audio.restrictOwnAudio = true;
        return { offered: true, audio, systemAudio: true, source: 'tabOrSystem' };
      }
      return { offered: true, audio, systemAudio: false, source: 'tabOnly' };
    }
    case 'electron-win': {
      if (supported.restrictOwnAudio !== true || environment.loopbackExcludesOwnAudio !== true) {
        return { offered: false, reason: 'ownAudioNotExcluded' };
      }
      audio.restrictOwnAudio = true;
      return { offered: true, audio, systemAudio: true, source: 'loopback' };
    }
    case 'electron-linux':
    case 'electron-mac':
      return { offered: false, reason: 'noLoopback' };
  }
}

/** Whether the Go Live dialog shows the "share audio" switch at all. */
export function isShareAudioOffered(environment: ShareAudioEnvironment): boolean {
  return shareAudioPlan(environment).offered;
}

export type CapturedAudioVerdict =
  | { readonly keep: true }
  | { readonly keep: false; readonly reason: 'ownAudioNotExcluded' };

/**
 * After `getDisplayMedia` resolves: may its audio track be sent? A tab's audio is another tab's (our own is
 * excluded from the picker). Audio of a screen or window is system audio, which is safe only when the
 * browser confirms it filtered our own output (`restrictOwnAudio` in the track's settings); a browser that
 * ignored the constraint does not report it, and the track must then be stopped, not sent.
 */
export function capturedAudioVerdict(
  video: { readonly displaySurface?: string | undefined },
  audio: { readonly restrictOwnAudio?: boolean | undefined },
): CapturedAudioVerdict {
  if (video.displaySurface === 'browser') return { keep: true };
  return audio.restrictOwnAudio === true ? { keep: true } : { keep: false, reason: 'ownAudioNotExcluded' };
}

/** A sentence for the disabled switch's tooltip. */
export function describeShareAudioUnavailable(reason: ShareAudioUnavailableReason): string {
  switch (reason) {
    case 'noLoopback':
      return 'Sharing audio is not available on this system yet.';
    case 'ownAudioNotExcluded':
      return 'Sharing audio is off: this version cannot keep the voice chat out of the shared sound.';
  }
}
