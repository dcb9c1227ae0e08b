/**
 * 🖥️ Screen-share quality presets ("Go Live" quality, as in Discord): what to ask `getDisplayMedia` for,
 * the hint the encoder gets from the track, and the RTP encoding limits of the sender.
 *
 * Bitrates are my own estimate from bits per pixel per frame (bpp), the usual rule of thumb for VP8 and
 * H.264 real-time encoding: screen content is easier than camera video, and the bpp needed falls as the
 * resolution and frame rate grow (neighbouring pixels and frames predict each other better).
 * - 720p30:  1280×720×30  = 27.6 Mpx/s × ~0.09 bpp  ≈ 2.5 Mbps
 * - 1080p30: 1920×1080×30 = 62.2 Mpx/s × ~0.072 bpp ≈ 4.5 Mbps
 * - 1080p60: 1920×1080×60 = 124 Mpx/s × ~0.056 bpp  ≈ 7 Mbps (between 6 and 8; game footage needs the top)
 * - text:    a 1440p screen at 5 fps = 18.4 Mpx/s × ~0.08 bpp ≈ 1.5 Mbps. Text is mostly static, so the
 *   encoder spends it on the few frames that change (scrolling), keeping glyphs sharp.
 * These are ceilings (`maxBitrate`); the congestion controller sends less when the path is worse.
 */

import { changeParameters } from './senderQueue';

export const ScreenPresetId = {
  P720p30: '720p30',
  P1080p30: '1080p30',
  P1080p60: '1080p60',
  Text: 'text',
} as const;
export type ScreenPresetId = (typeof ScreenPresetId)[keyof typeof ScreenPresetId];

/** `MediaStreamTrack.contentHint` values used for screens: smooth motion, or sharp detail (text). */
export type ScreenContentHint = 'motion' | 'detail';

export interface ScreenPreset {
  readonly id: ScreenPresetId;
  /** Shown in the "Go Live" quality menu. */
  readonly label: string;
  /** Largest size sent; the source is scaled down to fit this box, never up. */
  readonly maxWidth: number;
  readonly maxHeight: number;
  /** True when the preset keeps the source's own resolution (up to maxWidth × maxHeight). */
  readonly sourceResolution: boolean;
  readonly frameRate: number;
  readonly contentHint: ScreenContentHint;
  /** Bits per second; see the module comment for where the figures come from. */
  readonly maxBitrate: number;
  /**
   * What the encoder gives up when bandwidth or CPU runs short: video keeps its frame rate and loses
   * sharpness; text keeps its sharpness and loses frames.
   */
  readonly degradationPreference: RTCDegradationPreference;
}

const MBPS = 1_000_000;

export const screenPresets: Readonly<Record<ScreenPresetId, ScreenPreset>> = {
  '720p30': {
    id: '720p30',
    label: '720p 30 fps',
    maxWidth: 1280,
    maxHeight: 720,
    sourceResolution: false,
    frameRate: 30,
    contentHint: 'motion',
    maxBitrate: 2.5 * MBPS,
    degradationPreference: 'maintain-framerate',
  },
  '1080p30': {
    id: '1080p30',
    label: '1080p 30 fps',
    maxWidth: 1920,
    maxHeight: 1080,
    sourceResolution: false,
    frameRate: 30,
    contentHint: 'motion',
    maxBitrate: 4.5 * MBPS,
    degradationPreference: 'maintain-framerate',
  },
  '1080p60': {
    id: '1080p60',
    label: '1080p 60 fps',
    maxWidth: 1920,
    maxHeight: 1080,
    sourceResolution: false,
    frameRate: 60,
    contentHint: 'motion',
    maxBitrate: 7 * MBPS,
    degradationPreference: 'maintain-framerate',
  },
  text: {
    id: 'text',
    label: 'Text (source resolution, 5 fps)',
    // "Source resolution", bounded at 4K so a 5K or ultra-wide screen cannot swamp the encoder.
    maxWidth: 3840,
    maxHeight: 2160,
    sourceResolution: true,
    frameRate: 5,
    contentHint: 'detail',
    maxBitrate: 1.5 * MBPS,
    degradationPreference: 'maintain-resolution',
  },
};

export const defaultScreenPresetId: ScreenPresetId = '720p30';

export function isScreenPresetId(value: unknown): value is ScreenPresetId {
  return typeof value === 'string' && Object.hasOwn(screenPresets, value);
}

export function screenPreset(id: ScreenPresetId): ScreenPreset {
  return screenPresets[id];
}

/**
 * Video constraints of the Screen Capture spec that lib.dom does not type yet. `cursor` is ignored by
 * Chromium (which always draws it) but honoured by browsers that implement it.
 */
export interface ScreenVideoConstraints extends MediaTrackConstraints {
  cursor?: 'always' | 'motion' | 'never';
}

/** Audio constraints of the Screen Capture spec missing from lib.dom. */
export interface ScreenAudioConstraints extends MediaTrackConstraints {
  suppressLocalAudioPlayback?: boolean;
  restrictOwnAudio?: boolean;
}

/** `getDisplayMedia` options, with the top-level hints of the Screen Capture spec. */
export interface ScreenCaptureOptions {
  video: ScreenVideoConstraints;
  audio: false | ScreenAudioConstraints;
  /** Whether the picker offers the whole system's audio (Chromium: with a screen, on Windows/ChromeOS). */
  systemAudio: 'include' | 'exclude';
  /** Never offer our own tab: sharing it would loop the call into itself. */
  selfBrowserSurface: 'exclude';
  /** Let the user switch the shared tab without stopping the share. */
  surfaceSwitching: 'include';
  monitorTypeSurfaces: 'include';
}

/** Video constraints of a preset: ideal = max, so the browser neither upscales nor exceeds it. */
export function videoConstraintsFor(preset: ScreenPreset): ScreenVideoConstraints {
  return {
    width: { ideal: preset.maxWidth, max: preset.maxWidth },
    height: { ideal: preset.maxHeight, max: preset.maxHeight },
    frameRate: { ideal: preset.frameRate, max: preset.frameRate },
    cursor: 'always',
  };
}

/**
 * What to pass to `getDisplayMedia` for a preset. `audio` is the screen-audio constraints built by
 * `shareAudioPlan` (shareAudio.ts), or null for a share without audio.
 */
export function constraintsFor(
  preset: ScreenPreset,
  options: { readonly audio: ScreenAudioConstraints | null; readonly systemAudio?: boolean },
): ScreenCaptureOptions {
  return {
    video: videoConstraintsFor(preset),
    audio: options.audio === null ? false : { ...options.audio },
    systemAudio: options.audio !== null && options.systemAudio === true ? 'include' : 'exclude',
    selfBrowserSurface: 'exclude',
    surfaceSwitching: 'include',
    monitorTypeSurfaces: 'include',
  };
}

/** The size of what is actually captured (`track.getSettings()`); either may be unknown. */
export interface SourceSettings {
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

export interface PresetEncoding {
  /** Limits of each RTP encoding of the sender. */
  readonly encoding: {
    readonly maxBitrate: number;
    readonly maxFramerate: number;
    readonly scaleResolutionDownBy: number;
  };
  /** Set on the sender's parameters (it is not per encoding). */
  readonly degradationPreference: RTCDegradationPreference;
}

const positive = (value: number | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * The RTP limits of a preset for a source of a given size. A source larger than the preset's box is
 * scaled down by the factor that fits it in the box (keeping its aspect ratio); a smaller one is sent as it
 * is (`scaleResolutionDownBy` 1: WebRTC never scales up).
 */
export function encodingFor(preset: ScreenPreset, source: SourceSettings): PresetEncoding {
  let scale = 1;
  if (positive(source.width)) scale = Math.max(scale, source.width / preset.maxWidth);
  if (positive(source.height)) scale = Math.max(scale, source.height / preset.maxHeight);
  return {
    encoding: {
      maxBitrate: preset.maxBitrate,
      maxFramerate: preset.frameRate,
      // Three decimals are plenty for a pixel count and keep logs readable.
      scaleResolutionDownBy: Math.ceil(scale * 1000) / 1000,
    },
    degradationPreference: preset.degradationPreference,
  };
}

/** The parts of a MediaStreamTrack that applying a preset touches (a real track satisfies it). */
export interface PresetTrack {
  contentHint: string;
  applyConstraints(constraints?: MediaTrackConstraints): Promise<void>;
  getSettings(): MediaTrackSettings;
}

/** The parts of an RTCRtpSender that applying a preset touches (a real sender satisfies it). */
export interface PresetSender {
  getParameters(): RTCRtpSendParameters;
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
}

export interface AppliedPreset {
  readonly preset: ScreenPresetId;
  readonly source: SourceSettings;
  readonly encoding: PresetEncoding;
  /**
   * False when the sender had no encodings yet (before the first negotiation completes): call again after
   * the connection is negotiated.
   */
  readonly senderUpdated: boolean;
}

/**
 * Switch a live share to a preset: the track's content hint and capture constraints first (so the source
 * size is known), then the sender's encodings. `setParameters` refuses any change to the number of
 * encodings, their order or `rid`, so the array returned by `getParameters` is edited in place; `active`
 * is left alone (the watcher gate owns it, see sendGate.ts).
 */
export async function applyPreset(
  track: PresetTrack,
  sender: PresetSender | null,
  preset: ScreenPreset,
): Promise<AppliedPreset> {
  const { source, encoding } = await applyCapture(track, preset);
  const senderUpdated = sender === null ? false : await applyEncoding(sender, encoding);
  return { preset: preset.id, source, encoding, senderUpdated };
}

/**
 * The capture half of a preset, done once per track however many peers it goes to: content hint and
 * constraints, then the encoding limits for the size the source now has.
 */
export async function applyCapture(
  track: PresetTrack,
  preset: ScreenPreset,
): Promise<{ readonly source: SourceSettings; readonly encoding: PresetEncoding }> {
  track.contentHint = preset.contentHint;
  await track.applyConstraints(videoConstraintsFor(preset));
  const settings = track.getSettings();
  const source: SourceSettings = { width: settings.width, height: settings.height };
  return { source, encoding: encodingFor(preset, source) };
}

/**
 * The sender half: write the limits into every encoding (edited in place: `setParameters` refuses a
 * changed shape). False when the sender has no encodings yet: call again once negotiated.
 */
export function applyEncoding(sender: PresetSender, encoding: PresetEncoding): Promise<boolean> {
  // Queued behind the gate's changes of the same sender (senderQueue.ts).
  return changeParameters(sender, async () => {
    const parameters = sender.getParameters();
    if (parameters.encodings.length === 0) return false;
    for (const current of parameters.encodings) {
      current.maxBitrate = encoding.encoding.maxBitrate;
      current.maxFramerate = encoding.encoding.maxFramerate;
      current.scaleResolutionDownBy = encoding.encoding.scaleResolutionDownBy;
    }
    parameters.degradationPreference = encoding.degradationPreference;
    await sender.setParameters(parameters);
    return true;
  });
}
