/** One stats record as found in an RTCStatsReport (only the fields read here are typed). */
export interface RtcStatsRecord {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly [field: string]: unknown;
}

/** A getStats() result frozen into a plain map (RTCStatsReport is map-like; tests use fixtures). */
export type StatsSnapshot = ReadonlyMap<string, RtcStatsRecord>;

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay' | 'unknown';

export interface CandidatePairSummary {
  readonly localType: CandidateType;
  readonly remoteType: CandidateType;
  readonly protocol: string | null;
  /** Seconds → milliseconds, from currentRoundTripTime. */
  readonly rttMs: number | null;
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

export interface InboundAudioSummary {
  readonly ssrc: number | null;
  readonly codec: string | null;
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly jitterMs: number | null;
  readonly audioLevel: number | null;
  readonly totalAudioEnergy: number | null;
  readonly totalSamplesReceived: number | null;
  readonly timestamp: number;
}

export interface OutboundAudioSummary {
  readonly ssrc: number | null;
  readonly codec: string | null;
  readonly bytesSent: number;
  readonly packetsSent: number;
  /** From the media-source record: the level of the track being sent. */
  readonly audioLevel: number | null;
  readonly timestamp: number;
}

export interface PeerStatsSummary {
  readonly at: number;
  readonly inbound: InboundAudioSummary | null;
  readonly outbound: OutboundAudioSummary | null;
  readonly candidatePair: CandidatePairSummary | null;
  readonly inboundBitrate: number | null;
  readonly outboundBitrate: number | null;
  /** Fraction 0..1 of packets lost since the previous snapshot (or overall without one). */
  readonly lossFraction: number | null;
}
