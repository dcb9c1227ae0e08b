import type {
  CandidatePairSummary,
  CandidateType,
  InboundAudioSummary,
  OutboundAudioSummary,
  PeerStatsSummary,
  RtcStatsRecord,
  StatsSnapshot,
} from './types';

/** Freeze an RTCStatsReport (or any map-like of records) into a plain Map. */
export function snapshotOf(report: {
  forEach(cb: (value: unknown, key: string) => void): void;
}): StatsSnapshot {
  const out = new Map<string, RtcStatsRecord>();
  report.forEach((value, key) => {
    if (typeof value === 'object' && value !== null) out.set(key, { ...(value as RtcStatsRecord) });
  });
  return out;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function find(snapshot: StatsSnapshot, match: (r: RtcStatsRecord) => boolean): RtcStatsRecord | undefined {
  for (const record of snapshot.values()) if (match(record)) return record;
  return undefined;
}

const isAudio = (r: RtcStatsRecord) => r.kind === 'audio' || r.mediaType === 'audio';

/** `audio/opus` → `opus`; null when the codec record is missing. */
export function codecName(snapshot: StatsSnapshot, codecId: unknown): string | null {
  if (typeof codecId !== 'string') return null;
  const mime = str(snapshot.get(codecId)?.mimeType);
  return mime ? (mime.split('/')[1] ?? mime).toLowerCase() : null;
}

/** Bits per second between two byte counters; null without a usable previous sample. */
export function computeBitrate(
  curr: { bytes: number; timestamp: number },
  prev: { bytes: number; timestamp: number } | null | undefined,
): number | null {
  if (!prev) return null;
  const seconds = (curr.timestamp - prev.timestamp) / 1000;
  if (!(seconds > 0) || curr.bytes < prev.bytes) return null;
  return Math.round(((curr.bytes - prev.bytes) * 8) / seconds);
}

/** Loss fraction between two samples of (received, lost) counters, or overall without `prev`. */
export function computeLossFraction(
  curr: { packetsReceived: number; packetsLost: number },
  prev?: { packetsReceived: number; packetsLost: number } | null,
): number | null {
  const received = curr.packetsReceived - (prev?.packetsReceived ?? 0);
  const lost = curr.packetsLost - (prev?.packetsLost ?? 0);
  const total = received + Math.max(0, lost);
  if (total <= 0) return null;
  return Math.max(0, lost) / total;
}

/**
 * Which audio streams are the voice ones when a connection also carries screen audio: the remote
 * microphone track's id (inbound-rtp `trackIdentifier`) and our microphone track's id (the outbound
 * media-source's `trackIdentifier`). Unknown ids fall back to the first audio record.
 */
export interface VoiceTrackIds {
  readonly inboundTrackId?: string | null;
  readonly outboundTrackId?: string | null;
}

export function summarizeInboundAudio(
  snapshot: StatsSnapshot,
  trackId: string | null = null,
): InboundAudioSummary | null {
  const isInbound = (x: RtcStatsRecord) => x.type === 'inbound-rtp' && isAudio(x);
  const r =
    (trackId === null ? undefined : find(snapshot, (x) => isInbound(x) && x.trackIdentifier === trackId)) ??
    find(snapshot, isInbound);
  if (!r) return null;
  const jitter = num(r.jitter);
  return {
    ssrc: num(r.ssrc),
    codec: codecName(snapshot, r.codecId),
    bytesReceived: num(r.bytesReceived) ?? 0,
    packetsReceived: num(r.packetsReceived) ?? 0,
    packetsLost: num(r.packetsLost) ?? 0,
    jitterMs: jitter === null ? null : jitter * 1000,
    audioLevel: num(r.audioLevel),
    totalAudioEnergy: num(r.totalAudioEnergy),
    totalSamplesReceived: num(r.totalSamplesReceived),
    timestamp: r.timestamp,
  };
}

export function summarizeOutboundAudio(
  snapshot: StatsSnapshot,
  trackId: string | null = null,
): OutboundAudioSummary | null {
  const isOutbound = (x: RtcStatsRecord) => x.type === 'outbound-rtp' && isAudio(x);
  const sourceTrack = (x: RtcStatsRecord) =>
    typeof x.mediaSourceId === 'string' ? snapshot.get(x.mediaSourceId)?.trackIdentifier : undefined;
  const r =
    (trackId === null ? undefined : find(snapshot, (x) => isOutbound(x) && sourceTrack(x) === trackId)) ??
    find(snapshot, isOutbound);
  if (!r) return null;
  const source =
    (typeof r.mediaSourceId === 'string' ? snapshot.get(r.mediaSourceId) : undefined) ??
    find(snapshot, (x) => x.type === 'media-source' && isAudio(x));
  return {
    ssrc: num(r.ssrc),
    codec: codecName(snapshot, r.codecId),
    bytesSent: num(r.bytesSent) ?? 0,
    packetsSent: num(r.packetsSent) ?? 0,
    audioLevel: num(source?.audioLevel),
    timestamp: r.timestamp,
  };
}

const candidateType = (v: unknown): CandidateType =>
  v === 'host' || v === 'srflx' || v === 'prflx' || v === 'relay' ? v : 'unknown';

/**
 * The candidate pair in use: the transport's `selectedCandidatePairId`, else a nominated succeeded
 * pair (Firefox has no transport record).
 */
export function selectedCandidatePair(snapshot: StatsSnapshot): CandidatePairSummary | null {
  const transport = find(
    snapshot,
    (x) => x.type === 'transport' && typeof x.selectedCandidatePairId === 'string',
  );
  const pair =
    (transport ? snapshot.get(transport.selectedCandidatePairId as string) : undefined) ??
    find(snapshot, (x) => x.type === 'candidate-pair' && x.state === 'succeeded' && x.nominated === true);
  if (!pair) return null;
  const local = typeof pair.localCandidateId === 'string' ? snapshot.get(pair.localCandidateId) : undefined;
  const remote =
    typeof pair.remoteCandidateId === 'string' ? snapshot.get(pair.remoteCandidateId) : undefined;
  const rtt = num(pair.currentRoundTripTime);
  return {
    localType: candidateType(local?.candidateType),
    remoteType: candidateType(remote?.candidateType),
    protocol: str(local?.protocol),
    rttMs: rtt === null ? null : Math.round(rtt * 1000 * 10) / 10,
    bytesSent: num(pair.bytesSent) ?? 0,
    bytesReceived: num(pair.bytesReceived) ?? 0,
  };
}

/** Everything the 📊 log line and the debug panel show, from one snapshot and the previous one. */
export function summarizePeerStats(
  curr: StatsSnapshot,
  prev: StatsSnapshot | null,
  voice: VoiceTrackIds = {},
): PeerStatsSummary {
  const inId = voice.inboundTrackId ?? null;
  const outId = voice.outboundTrackId ?? null;
  const inbound = summarizeInboundAudio(curr, inId);
  const outbound = summarizeOutboundAudio(curr, outId);
  const prevIn = prev ? summarizeInboundAudio(prev, inId) : null;
  const prevOut = prev ? summarizeOutboundAudio(prev, outId) : null;
  const at = Math.max(0, ...[...curr.values()].map((r) => r.timestamp));
  return {
    at,
    inbound,
    outbound,
    candidatePair: selectedCandidatePair(curr),
    inboundBitrate:
      inbound && prevIn
        ? computeBitrate(
            { bytes: inbound.bytesReceived, timestamp: inbound.timestamp },
            { bytes: prevIn.bytesReceived, timestamp: prevIn.timestamp },
          )
        : null,
    outboundBitrate:
      outbound && prevOut
        ? computeBitrate(
            { bytes: outbound.bytesSent, timestamp: outbound.timestamp },
            { bytes: prevOut.bytesSent, timestamp: prevOut.timestamp },
          )
        : null,
    lossFraction: inbound ? computeLossFraction(inbound, prevIn) : null,
  };
}

const kbps = (bps: number | null) => (bps === null ? '–' : `${(bps / 1000).toFixed(1)} kbps`);

/** One readable line: `RTT 12 ms · jitter 3.1 ms · loss 0.0 % · in 31.2 kbps · out 30.8 kbps · opus · host/host udp`. */
export function formatStatsLine(s: PeerStatsSummary): string {
  const parts = [
    `RTT ${s.candidatePair?.rttMs ?? '–'} ms`,
    `jitter ${s.inbound?.jitterMs?.toFixed(1) ?? '–'} ms`,
    `loss ${s.lossFraction === null ? '–' : (s.lossFraction * 100).toFixed(1)} %`,
    `in ${kbps(s.inboundBitrate)}`,
    `out ${kbps(s.outboundBitrate)}`,
    s.inbound?.codec ?? s.outbound?.codec ?? 'codec –',
    s.candidatePair
      ? `${s.candidatePair.localType}/${s.candidatePair.remoteType}${s.candidatePair.protocol ? ` ${s.candidatePair.protocol}` : ''}`
      : 'no pair',
  ];
  return parts.join(' · ');
}
