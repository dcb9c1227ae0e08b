import { describe, expect, it } from 'vitest';
import type { RtcStatsRecord, StatsSnapshot } from '../../src/stats/types';
import {
  computeFrameRate,
  formatVideoLine,
  summarizeInboundVideo,
  summarizeOutboundVideo,
  summarizeVideoStats,
} from '../../src/stats/video';

// Records trimmed from a real Chromium 156 run of test/screen/chromium.test.ts (fake screen, VP8).
const codecs: RtcStatsRecord[] = [
  { id: 'CIT01_96', type: 'codec', timestamp: 0, mimeType: 'video/VP8', payloadType: 96 },
  { id: 'COT01_96', type: 'codec', timestamp: 0, mimeType: 'video/VP8', payloadType: 96 },
  { id: 'CIT01_111', type: 'codec', timestamp: 0, mimeType: 'audio/opus', payloadType: 111 },
];

function inbound(t: number, bytes: number, frames: number, extra: Partial<RtcStatsRecord> = {}) {
  return {
    id: 'IT01V2655564383',
    timestamp: t,
    type: 'inbound-rtp',
    codecId: 'CIT01_96',
    kind: 'video',
    mediaType: 'video',
    ssrc: 2655564383,
    packetsLost: 0,
    packetsReceived: 68,
    bytesReceived: bytes,
    decoderImplementation: 'libvpx',
    frameHeight: 180,
    frameWidth: 320,
    framesDecoded: frames,
    framesDropped: 0,
    framesPerSecond: 20,
    framesReceived: frames,
    freezeCount: 0,
    keyFramesDecoded: 1,
    pliCount: 0,
    trackIdentifier: '6f69ad30-1289-4347-b005-81d5fbd705c8',
    ...extra,
  } satisfies RtcStatsRecord;
}

function outbound(t: number, bytes: number, frames: number, extra: Partial<RtcStatsRecord> = {}) {
  return {
    id: 'OT01V2655564383',
    timestamp: t,
    type: 'outbound-rtp',
    codecId: 'COT01_96',
    kind: 'video',
    mediaType: 'video',
    ssrc: 2655564383,
    bytesSent: bytes,
    packetsSent: 68,
    active: true,
    encoderImplementation: 'libvpx',
    frameHeight: 180,
    frameWidth: 320,
    framesEncoded: frames,
    framesPerSecond: 20,
    framesSent: frames,
    contentType: 'screenshare',
    qualityLimitationReason: 'bandwidth',
    targetBitrate: 2083333,
    mediaSourceId: 'SV1',
    ...extra,
  } satisfies RtcStatsRecord;
}

/** The media-source record an outbound-rtp names: it carries the id of the track being sent. */
const videoSource: RtcStatsRecord = {
  id: 'SV1',
  timestamp: 1000,
  type: 'media-source',
  kind: 'video',
  trackIdentifier: 'a1f0c9e2-5d1b-4e8a-9c1e-3b2f7d6a8e01',
};

const audioInbound: RtcStatsRecord = {
  id: 'IT01A1',
  timestamp: 1000,
  type: 'inbound-rtp',
  kind: 'audio',
  codecId: 'CIT01_111',
  bytesReceived: 999,
};

const snapshot = (...records: RtcStatsRecord[]): StatsSnapshot =>
  new Map([...codecs, videoSource, ...records].map((r) => [r.id, r]));

describe('summarizeInboundVideo / summarizeOutboundVideo', () => {
  it('reads every field the debug panel shows, and ignores audio', () => {
    const s = snapshot(inbound(1000, 38_987, 16), outbound(1000, 38_987, 16), audioInbound);
    expect(summarizeInboundVideo(s)).toEqual([
      {
        id: 'IT01V2655564383',
        ssrc: 2655564383,
        trackIdentifier: '6f69ad30-1289-4347-b005-81d5fbd705c8',
        codec: 'vp8',
        bytesReceived: 38_987,
        packetsReceived: 68,
        packetsLost: 0,
        framesReceived: 16,
        framesDecoded: 16,
        framesDropped: 0,
        keyFramesDecoded: 1,
        frameWidth: 320,
        frameHeight: 180,
        framesPerSecond: 20,
        freezeCount: 0,
        pliCount: 0,
        timestamp: 1000,
      },
    ]);
    expect(summarizeOutboundVideo(s)).toEqual([
      {
        id: 'OT01V2655564383',
        ssrc: 2655564383,
        rid: null,
        trackIdentifier: 'a1f0c9e2-5d1b-4e8a-9c1e-3b2f7d6a8e01',
        codec: 'vp8',
        active: true,
        bytesSent: 38_987,
        packetsSent: 68,
        framesEncoded: 16,
        frameWidth: 320,
        frameHeight: 180,
        framesPerSecond: 20,
        qualityLimitationReason: 'bandwidth',
        targetBitrate: 2083333,
        contentType: 'screenshare',
        encoderImplementation: 'libvpx',
        timestamp: 1000,
      },
    ]);
  });

  it('treats missing or malformed fields as unknown rather than zero where zero would lie', () => {
    const [s] = summarizeInboundVideo(
      snapshot(inbound(1, 10, 2, { frameWidth: undefined, framesPerSecond: 'fast', codecId: 'nope' })),
    );
    expect(s?.frameWidth).toBeNull();
    expect(s?.framesPerSecond).toBeNull();
    expect(s?.codec).toBeNull();
  });

  it('lists one entry per simulcast layer, with its rid', () => {
    const s = snapshot(
      outbound(1, 100, 1, { id: 'OT-q', rid: 'q', ssrc: 1 }),
      outbound(1, 200, 1, { id: 'OT-f', rid: 'f', ssrc: 2, active: false }),
    );
    expect(summarizeOutboundVideo(s).map((e) => [e.rid, e.active])).toEqual([
      ['q', true],
      ['f', false],
    ]);
  });
});

describe('summarizeVideoStats', () => {
  it('computes bitrates between snapshots with the shared computeBitrate', () => {
    const prev = snapshot(inbound(1000, 38_987, 16), outbound(1000, 40_000, 16));
    const curr = snapshot(inbound(3000, 638_987, 56), outbound(3000, 1_040_000, 56));
    const summary = summarizeVideoStats(curr, prev);
    expect(summary.at).toBe(3000);
    expect(summary.inbound[0]?.bitrate).toBe(2_400_000);
    expect(summary.outbound[0]?.bitrate).toBe(4_000_000);
    expect(summary.inbound[0]?.fps).toBe(20);
  });

  it('falls back to counted frames per second when the browser gives none', () => {
    const prev = snapshot(inbound(1000, 0, 100, { framesPerSecond: undefined }));
    const curr = snapshot(inbound(3000, 0, 160, { framesPerSecond: undefined }));
    expect(summarizeVideoStats(curr, prev).inbound[0]?.fps).toBe(30);
    expect(summarizeVideoStats(curr, null).inbound[0]?.fps).toBeNull();
  });

  it('has no rates without a previous snapshot, for a new stream, or after a counter reset', () => {
    const curr = snapshot(inbound(3000, 500, 10));
    expect(summarizeVideoStats(curr, null).inbound[0]?.bitrate).toBeNull();
    const other = snapshot(inbound(1000, 100, 5, { id: 'IT-other' }));
    expect(summarizeVideoStats(curr, other).inbound[0]?.bitrate).toBeNull();
    const reset = snapshot(inbound(1000, 9_999, 5));
    expect(summarizeVideoStats(curr, reset).inbound[0]?.bitrate).toBeNull();
  });

  it('is empty for an audio-only connection', () => {
    expect(summarizeVideoStats(snapshot(audioInbound), null)).toEqual({
      at: 1000,
      inbound: [],
      outbound: [],
    });
  });
});

describe('computeFrameRate', () => {
  it('counts frames per second, or null when it cannot', () => {
    expect(computeFrameRate({ frames: 90, timestamp: 4000 }, { frames: 0, timestamp: 1000 })).toBe(30);
    expect(computeFrameRate({ frames: 7, timestamp: 2000 }, { frames: 0, timestamp: 1000 })).toBe(7);
    expect(computeFrameRate({ frames: 1, timestamp: 1000 }, { frames: 0, timestamp: 1000 })).toBeNull();
    expect(computeFrameRate({ frames: 1, timestamp: 2000 }, { frames: 5, timestamp: 1000 })).toBeNull();
    expect(computeFrameRate({ frames: 1, timestamp: 2000 }, null)).toBeNull();
  });
});

describe('formatVideoLine', () => {
  it('prints size, fps, bitrate and codec, and why the encoder holds back', () => {
    const prev = snapshot(inbound(1000, 0, 0), outbound(1000, 0, 0));
    const curr = snapshot(inbound(2000, 300_000, 20), outbound(2000, 300_000, 20));
    expect(formatVideoLine(summarizeVideoStats(curr, prev))).toBe(
      'in 320×180 20 fps 2.40 Mbps vp8 · out 320×180 20 fps 2.40 Mbps vp8 limited by bandwidth',
    );
  });

  it('shows gated encodings as off and says when there is no video', () => {
    const gated = snapshot(outbound(1, 0, 0, { active: false, rid: 'f' }));
    expect(formatVideoLine(summarizeVideoStats(gated, null))).toBe('out[f] off');
    expect(formatVideoLine(summarizeVideoStats(snapshot(audioInbound), null))).toBe('no video');
    const text = snapshot(outbound(1, 0, 0, { framesPerSecond: 4.8, qualityLimitationReason: 'none' }));
    expect(formatVideoLine(summarizeVideoStats(text, null))).toBe('out 320×180 4.8 fps – Mbps vp8');
  });
});
