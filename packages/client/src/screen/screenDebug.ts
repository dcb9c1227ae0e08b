/**
 * 🖥️ The screen part of `voice.getDebugInfo()`: our share (capture size, who watches, what each
 * connection really sends) and the shares we see (whether their tracks arrived, what we decode), from the
 * last stats sample of each peer (`voice.collectStats()` takes a fresh one).
 */
import type { InboundVideoStats, OutboundVideoStats, VideoStatsSummary } from '../stats/video';
import type { ScreenPresetId } from './presets';
import type { RemoteShareInfo } from './ScreenShare';
import type { WatchModel } from './watchers';

export interface VideoFlowDebug {
  readonly frameWidth: number | null;
  readonly frameHeight: number | null;
  readonly fps: number | null;
  readonly bitrate: number | null;
  readonly bytes: number;
  readonly frames: number;
}

export interface ScreenDebugInfo {
  readonly sharing: {
    readonly shareId: string;
    readonly preset: ScreenPresetId;
    readonly audio: boolean;
    readonly startedAt: number;
    readonly watchers: readonly string[];
    readonly capture: {
      readonly width: number | null;
      readonly height: number | null;
      readonly frameRate: number | null;
      readonly contentHint: string;
      readonly readyState: MediaStreamTrackState;
    };
    /** Every connection the share is on: whether media flows to it, and what its encoder sends. */
    readonly peers: ReadonlyArray<{
      readonly userId: string;
      readonly watching: boolean;
      readonly sent:
        | (VideoFlowDebug & { readonly active: boolean | null; readonly limitedBy: string | null })
        | null;
    }>;
  } | null;
  readonly shares: ReadonlyArray<{
    readonly sharer: string;
    readonly shareId: string;
    readonly preset: ScreenPresetId;
    readonly audio: boolean;
    readonly viewers: readonly string[];
    readonly watching: boolean;
    readonly streamReady: boolean;
    readonly volumePercent: number;
    readonly received: VideoFlowDebug | null;
  }>;
}

export interface ScreenDebugView {
  readonly model: WatchModel;
  readonly live: {
    readonly video: MediaStreamTrack;
    readonly preset: ScreenPresetId;
    readonly startedAt: number;
    readonly peers: readonly string[];
  } | null;
  readonly shares: readonly RemoteShareInfo[];
  readonly peer: (userId: string) => { readonly lastVideoStats: VideoStatsSummary | null } | null;
}

const orNull = (value: number | undefined): number | null => (value === undefined ? null : value);

function received(s: InboundVideoStats): VideoFlowDebug {
  return {
    frameWidth: s.frameWidth,
    frameHeight: s.frameHeight,
    fps: s.fps,
    bitrate: s.bitrate,
    bytes: s.bytesReceived,
    frames: s.framesDecoded,
  };
}

function sent(s: OutboundVideoStats) {
  return {
    frameWidth: s.frameWidth,
    frameHeight: s.frameHeight,
    fps: s.fps,
    bitrate: s.bitrate,
    bytes: s.bytesSent,
    frames: s.framesEncoded,
    active: s.active,
    limitedBy: s.qualityLimitationReason,
  };
}

export function buildScreenDebugInfo(view: ScreenDebugView): ScreenDebugInfo {
  const local = view.model.local;
  const live = view.live;
  const sharing =
    live && local
      ? (() => {
          const settings = live.video.getSettings();
          return {
            shareId: local.shareId,
            preset: live.preset,
            audio: local.audio,
            startedAt: live.startedAt,
            watchers: [...local.watchers].sort(),
            capture: {
              width: orNull(settings.width),
              height: orNull(settings.height),
              frameRate: orNull(settings.frameRate),
              contentHint: live.video.contentHint,
              readyState: live.video.readyState,
            },
            peers: live.peers.map((userId) => {
              const outbound = view.peer(userId)?.lastVideoStats?.outbound ?? [];
              // Only this share's encoding: a connection keeps the records of earlier shares.
              const mine = outbound.find((o) => o.trackIdentifier === live.video.id);
              return { userId, watching: local.watchers.has(userId), sent: mine ? sent(mine) : null };
            }),
          };
        })()
      : null;
  return {
    sharing,
    shares: view.shares.map((share) => {
      const trackId = share.stream?.getVideoTracks()[0]?.id;
      const inbound = view.peer(share.userId)?.lastVideoStats?.inbound ?? [];
      const mine = trackId ? inbound.find((i) => i.trackIdentifier === trackId) : undefined;
      return {
        sharer: share.userId,
        shareId: share.shareId,
        preset: share.preset,
        audio: share.audio,
        viewers: share.viewers,
        watching: share.watching,
        streamReady: share.stream !== null,
        volumePercent: share.volumePercent,
        received: mine ? received(mine) : null,
      };
    }),
  };
}
