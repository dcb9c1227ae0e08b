import type { ScreenPresetId } from '@miscord/client';

/** 🖥️ What the UI shows of screen sharing: plain view models, derived from `voice.screen`. */

export interface LocalShareView {
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  /** User ids of the members watching it. */
  readonly watchers: readonly string[];
}

export interface RemoteStreamView {
  readonly userId: string;
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  readonly watching: boolean;
  /** Its tracks have arrived (the picture can show once frames decode). */
  readonly ready: boolean;
  /** How many members watch it, as its sharer says. */
  readonly viewerCount: number;
  /** Its audio's volume for me, 0–200 %. */
  readonly volume: number;
}

export interface ShareAudioView {
  /** Whether "share audio" can be switched on here. */
  readonly offered: boolean;
  /** Why not, in a sentence for the switch's description. */
  readonly reason: string | null;
}

export interface ScreenShareView {
  readonly sharing: LocalShareView | null;
  /** The picker is open or the capture is starting. */
  readonly starting: boolean;
  /** Others' shares in my channel, by sharer id. */
  readonly streams: Readonly<Record<string, RemoteStreamView>>;
  readonly audio: ShareAudioView;
  /** The desktop app shows its own source picker; the web client leaves it to the browser. */
  readonly picker: 'desktop' | 'browser';
}

export const NO_SCREEN_SHARE: ScreenShareView = {
  sharing: null,
  starting: false,
  streams: {},
  audio: { offered: false, reason: null },
  picker: 'browser',
};

/** The parts of `voice.screen` the view is built from (a ScreenShare satisfies it). */
export interface ScreenSource {
  readonly sharing: { preset: ScreenPresetId; audio: boolean; watchers: readonly string[] } | null;
  readonly starting: boolean;
  shares(): ReadonlyArray<{
    userId: string;
    preset: ScreenPresetId;
    audio: boolean;
    watching: boolean;
    stream: MediaStream | null;
    viewers: readonly string[];
    volumePercent: number;
  }>;
}

export function screenViewOf(
  screen: ScreenSource | null,
  audio: ShareAudioView,
  picker: ScreenShareView['picker'],
): ScreenShareView {
  if (!screen) return { ...NO_SCREEN_SHARE, picker };
  const sharing = screen.sharing;
  const streams: Record<string, RemoteStreamView> = {};
  for (const share of screen.shares()) {
    streams[share.userId] = {
      userId: share.userId,
      preset: share.preset,
      audio: share.audio,
      watching: share.watching,
      ready: share.stream !== null,
      viewerCount: share.viewers.length,
      volume: share.volumePercent,
    };
  }
  return {
    sharing: sharing && { preset: sharing.preset, audio: sharing.audio, watchers: [...sharing.watchers] },
    starting: screen.starting,
    streams,
    audio,
    picker,
  };
}
