/**
 * 📊 Video stats (screen share) as pure functions over getStats snapshots, beside the audio ones in
 * rtcStats.ts and reusing its helpers. Feeds the screen part of `voice.getDebugInfo()` and the 📊 line:
 * resolution, frame rate and bitrate of each received share, and of each encoding we send with the
 * reason the encoder is holding back (`qualityLimitationReason`).
 */
import { codecName, computeBitrate } from './rtcStats';
import type { RtcStatsRecord, StatsSnapshot } from './types';

export interface InboundVideoSummary {
  /** The stats record id: stable across getStats calls, so the key for pairing snapshots. */
  readonly id: string;
  readonly ssrc: number | null;
  readonly trackIdentifier: string | null;
  readonly codec: string | null;
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly framesReceived: number | null;
  readonly framesDecoded: number;
  readonly framesDropped: number | null;
  readonly keyFramesDecoded: number | null;
  readonly frameWidth: number | null;
  readonly frameHeight: number | null;
  /** As reported by the browser (Chromium: decoded frames in the last second). */
  readonly framesPerSecond: number | null;
  readonly freezeCount: number | null;
  readonly pliCount: number | null;
  readonly timestamp: number;
}

export interface OutboundVideoSummary {
  readonly id: string;
  readonly ssrc: number | null;
  /** The simulcast layer, when there are several encodings. */
  readonly rid: string | null;
  /** The id of the track being sent (through the media-source record); null when unknown. */
  readonly trackIdentifier: string | null;
  readonly codec: string | null;
  /** False while the watcher gate has this encoding off (sendGate.ts). */
  readonly active: boolean | null;
  readonly bytesSent: number;
  readonly packetsSent: number;
  readonly framesEncoded: number;
  readonly frameWidth: number | null;
  readonly frameHeight: number | null;
  readonly framesPerSecond: number | null;
  /** `none`, `bandwidth`, `cpu` or `other`. */
  readonly qualityLimitationReason: string | null;
  readonly targetBitrate: number | null;
  /** Chromium: `screenshare` for a screen track. */
  readonly contentType: string | null;
  readonly encoderImplementation: string | null;
  readonly timestamp: number;
}

export interface InboundVideoStats extends InboundVideoSummary {
  /** Bits per second since the previous snapshot. */
  readonly bitrate: number | null;
  /** framesPerSecond, else decoded frames per second since the previous snapshot. */
  readonly fps: number | null;
}

export interface OutboundVideoStats extends OutboundVideoSummary {
  readonly bitrate: number | null;
  readonly fps: number | null;
}

export interface VideoStatsSummary {
  readonly at: number;
  readonly inbound: readonly InboundVideoStats[];
  readonly outbound: readonly OutboundVideoStats[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const isVideo = (r: RtcStatsRecord) => r.kind === 'video' || r.mediaType === 'video';

function records(snapshot: StatsSnapshot, type: string): RtcStatsRecord[] {
  return [...snapshot.values()].filter((r) => r.type === type && isVideo(r));
}

/** Every received video stream (one per share watched on this connection). */
export function summarizeInboundVideo(snapshot: StatsSnapshot): InboundVideoSummary[] {
  return records(snapshot, 'inbound-rtp').map((r) => ({
    id: r.id,
    ssrc: num(r.ssrc),
    trackIdentifier: str(r.trackIdentifier),
    codec: codecName(snapshot, r.codecId),
    bytesReceived: num(r.bytesReceived) ?? 0,
    packetsReceived: num(r.packetsReceived) ?? 0,
    packetsLost: num(r.packetsLost) ?? 0,
    framesReceived: num(r.framesReceived),
    framesDecoded: num(r.framesDecoded) ?? 0,
    framesDropped: num(r.framesDropped),
    keyFramesDecoded: num(r.keyFramesDecoded),
    frameWidth: num(r.frameWidth),
    frameHeight: num(r.frameHeight),
    framesPerSecond: num(r.framesPerSecond),
    freezeCount: num(r.freezeCount),
    pliCount: num(r.pliCount),
    timestamp: r.timestamp,
  }));
}

/** Every video encoding we send (one per simulcast layer), gated ones included. */
export function summarizeOutboundVideo(snapshot: StatsSnapshot): OutboundVideoSummary[] {
  return records(snapshot, 'outbound-rtp').map((r) => ({
    id: r.id,
    ssrc: num(r.ssrc),
    rid: str(r.rid),
    trackIdentifier:
      typeof r.mediaSourceId === 'string' ? str(snapshot.get(r.mediaSourceId)?.trackIdentifier) : null,
    codec: codecName(snapshot, r.codecId),
    active: bool(r.active),
    bytesSent: num(r.bytesSent) ?? 0,
    packetsSent: num(r.packetsSent) ?? 0,
    framesEncoded: num(r.framesEncoded) ?? 0,
    frameWidth: num(r.frameWidth),
    frameHeight: num(r.frameHeight),
    framesPerSecond: num(r.framesPerSecond),
    qualityLimitationReason: str(r.qualityLimitationReason),
    targetBitrate: num(r.targetBitrate),
    contentType: str(r.contentType),
    encoderImplementation: str(r.encoderImplementation),
    timestamp: r.timestamp,
  }));
}

/** Frames per second between two frame counters; null without a usable previous sample. */
export function computeFrameRate(
  curr: { frames: number; timestamp: number },
  prev: { frames: number; timestamp: number } | null | undefined,
): number | null {
  if (!prev) return null;
  const seconds = (curr.timestamp - prev.timestamp) / 1000;
  if (!(seconds > 0) || curr.frames < prev.frames) return null;
  return Math.round(((curr.frames - prev.frames) / seconds) * 10) / 10;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** Inbound and outbound video of one peer connection, with rates since the previous snapshot. */
export function summarizeVideoStats(curr: StatsSnapshot, prev: StatsSnapshot | null): VideoStatsSummary {
  const prevIn = byId(prev ? summarizeInboundVideo(prev) : []);
  const prevOut = byId(prev ? summarizeOutboundVideo(prev) : []);
  const inbound = summarizeInboundVideo(curr).map((s): InboundVideoStats => {
    const before = prevIn.get(s.id);
    return {
      ...s,
      bitrate: before
        ? computeBitrate(
            { bytes: s.bytesReceived, timestamp: s.timestamp },
            { bytes: before.bytesReceived, timestamp: before.timestamp },
          )
        : null,
      fps:
        s.framesPerSecond ??
        (before
          ? computeFrameRate(
              { frames: s.framesDecoded, timestamp: s.timestamp },
              { frames: before.framesDecoded, timestamp: before.timestamp },
            )
          : null),
    };
  });
  const outbound = summarizeOutboundVideo(curr).map((s): OutboundVideoStats => {
    const before = prevOut.get(s.id);
    return {
      ...s,
      bitrate: before
        ? computeBitrate(
            { bytes: s.bytesSent, timestamp: s.timestamp },
            { bytes: before.bytesSent, timestamp: before.timestamp },
          )
        : null,
      fps:
        s.framesPerSecond ??
        (before
          ? computeFrameRate(
              { frames: s.framesEncoded, timestamp: s.timestamp },
              { frames: before.framesEncoded, timestamp: before.timestamp },
            )
          : null),
    };
  });
  const at = Math.max(0, ...[...curr.values()].map((r) => r.timestamp));
  return { at, inbound, outbound };
}

const size = (w: number | null, h: number | null) => (w !== null && h !== null ? `${w}×${h}` : '–×–');
const fpsText = (fps: number | null) => (fps === null ? '– fps' : `${fps.toFixed(fps < 10 ? 1 : 0)} fps`);
const mbps = (bps: number | null) => (bps === null ? '– Mbps' : `${(bps / 1_000_000).toFixed(2)} Mbps`);

/**
 * One readable line per stream, e.g.
 * `in 1280×720 30 fps 2.41 Mbps vp8` · `out[f] 1920×1080 60 fps 6.80 Mbps vp8 limited by bandwidth` ·
 * `out off` for a gated encoding.
 */
export function formatVideoLine(summary: VideoStatsSummary): string {
  const parts: string[] = [];
  for (const s of summary.inbound) {
    parts.push(
      `in ${size(s.frameWidth, s.frameHeight)} ${fpsText(s.fps)} ${mbps(s.bitrate)} ${s.codec ?? '–'}`,
    );
  }
  for (const s of summary.outbound) {
    const label = s.rid ? `out[${s.rid}]` : 'out';
    if (s.active === false) {
      parts.push(`${label} off`);
      continue;
    }
    const limited =
      s.qualityLimitationReason && s.qualityLimitationReason !== 'none'
        ? ` limited by ${s.qualityLimitationReason}`
        : '';
    parts.push(
      `${label} ${size(s.frameWidth, s.frameHeight)} ${fpsText(s.fps)} ${mbps(s.bitrate)} ${s.codec ?? '–'}${limited}`,
    );
  }
  return parts.length > 0 ? parts.join(' · ') : 'no video';
}
