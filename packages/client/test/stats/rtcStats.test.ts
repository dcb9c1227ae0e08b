import { describe, expect, it } from 'vitest';
import {
  codecName,
  computeBitrate,
  computeLossFraction,
  formatStatsLine,
  selectedCandidatePair,
  snapshotOf,
  summarizeInboundAudio,
  summarizeOutboundAudio,
  summarizePeerStats,
} from '../../src/stats/rtcStats';
import type { StatsSnapshot } from '../../src/stats/types';
import { chromiumAudioSnapshot } from './fixtures/chromiumAudio';

describe('computeBitrate', () => {
  it('turns a byte delta over a time delta into bits per second', () => {
    expect(computeBitrate({ bytes: 5000, timestamp: 2000 }, { bytes: 1000, timestamp: 1000 })).toBe(32_000);
    expect(computeBitrate({ bytes: 2000, timestamp: 1500 }, { bytes: 1000, timestamp: 1000 })).toBe(16_000);
  });
  it('is null without a previous sample, with no elapsed time, or after a counter reset', () => {
    expect(computeBitrate({ bytes: 5000, timestamp: 2000 }, null)).toBeNull();
    expect(computeBitrate({ bytes: 5000, timestamp: 1000 }, { bytes: 1000, timestamp: 1000 })).toBeNull();
    expect(computeBitrate({ bytes: 10, timestamp: 2000 }, { bytes: 1000, timestamp: 1000 })).toBeNull();
  });
});

describe('computeLossFraction', () => {
  it('uses deltas between samples, or totals without a previous one', () => {
    expect(computeLossFraction({ packetsReceived: 98, packetsLost: 2 })).toBeCloseTo(0.02);
    expect(
      computeLossFraction({ packetsReceived: 198, packetsLost: 2 }, { packetsReceived: 98, packetsLost: 2 }),
    ).toBe(0);
    expect(computeLossFraction({ packetsReceived: 0, packetsLost: 0 })).toBeNull();
  });
});

describe('summaries over a Chromium snapshot', () => {
  const prev = chromiumAudioSnapshot(1000, 1);
  const curr = chromiumAudioSnapshot(2000, 2);

  it('summarises inbound audio with codec and jitter in ms', () => {
    expect(summarizeInboundAudio(curr)).toEqual({
      ssrc: 1234,
      codec: 'opus',
      bytesReceived: 8000,
      packetsReceived: 100,
      packetsLost: 2,
      jitterMs: 3.1,
      audioLevel: 0.25,
      totalAudioEnergy: 1.8,
      totalSamplesReceived: 96000,
      timestamp: 2000,
    });
  });

  it('summarises outbound audio with the media-source level', () => {
    expect(summarizeOutboundAudio(curr)).toMatchObject({
      codec: 'opus',
      bytesSent: 7800,
      packetsSent: 100,
      audioLevel: 0.12,
    });
  });

  it('finds the selected candidate pair through the transport, not the failed one', () => {
    expect(selectedCandidatePair(curr)).toEqual({
      localType: 'srflx',
      remoteType: 'host',
      protocol: 'udp',
      rttMs: 12.4,
      bytesSent: 10000,
      bytesReceived: 10200,
    });
  });

  it('falls back to the nominated succeeded pair without a transport record (Firefox)', () => {
    const noTransport = new Map([...curr].filter(([, r]) => r.type !== 'transport')) as StatsSnapshot;
    expect(selectedCandidatePair(noTransport)?.localType).toBe('srflx');
  });

  it('combines two snapshots into bitrates and loss', () => {
    const s = summarizePeerStats(curr, prev);
    expect(s.inboundBitrate).toBe(32_000);
    expect(s.outboundBitrate).toBe(31_200);
    expect(s.lossFraction).toBeCloseTo(2 / 52);
    expect(s.at).toBe(2000);
    expect(formatStatsLine(s)).toBe(
      'RTT 12.4 ms · jitter 3.1 ms · loss 3.8 % · in 32.0 kbps · out 31.2 kbps · opus · srflx/host udp',
    );
  });

  it('copes with an empty report (peer not connected yet)', () => {
    const s = summarizePeerStats(new Map(), null);
    expect(s).toMatchObject({ inbound: null, outbound: null, candidatePair: null, inboundBitrate: null });
    expect(formatStatsLine(s)).toContain('no pair');
  });

  it('codecName handles missing records', () => {
    expect(codecName(curr, 'nope')).toBeNull();
    expect(codecName(curr, undefined)).toBeNull();
  });

  it('snapshotOf copies any map-like report', () => {
    const report = new Map<string, unknown>([
      ['a', { id: 'a', type: 'codec', timestamp: 1 }],
      ['junk', 5],
    ]);
    const snap = snapshotOf(report);
    expect([...snap.keys()]).toEqual(['a']);
    expect(snap.get('a')).not.toBe(report.get('a'));
  });
});

describe('voice audio beside screen audio', () => {
  // A connection that also carries a watched share's audio: two inbound and two outbound audio streams.
  const snapshot: StatsSnapshot = new Map(
    [
      {
        id: 'IA-screen',
        type: 'inbound-rtp',
        kind: 'audio',
        timestamp: 1,
        bytesReceived: 900,
        trackIdentifier: 'r-screen',
      },
      {
        id: 'IA-voice',
        type: 'inbound-rtp',
        kind: 'audio',
        timestamp: 1,
        bytesReceived: 100,
        trackIdentifier: 'r-mic',
      },
      {
        id: 'OA-screen',
        type: 'outbound-rtp',
        kind: 'audio',
        timestamp: 1,
        bytesSent: 800,
        mediaSourceId: 'S-screen',
      },
      {
        id: 'OA-voice',
        type: 'outbound-rtp',
        kind: 'audio',
        timestamp: 1,
        bytesSent: 200,
        mediaSourceId: 'S-mic',
      },
      { id: 'S-screen', type: 'media-source', kind: 'audio', timestamp: 1, trackIdentifier: 'l-screen' },
      { id: 'S-mic', type: 'media-source', kind: 'audio', timestamp: 1, trackIdentifier: 'l-mic' },
    ].map((r) => [r.id, r]),
  );

  it('picks the microphone streams by track id', () => {
    expect(summarizeInboundAudio(snapshot, 'r-mic')?.bytesReceived).toBe(100);
    expect(summarizeOutboundAudio(snapshot, 'l-mic')?.bytesSent).toBe(200);
    const s = summarizePeerStats(snapshot, null, { inboundTrackId: 'r-mic', outboundTrackId: 'l-mic' });
    expect([s.inbound?.bytesReceived, s.outbound?.bytesSent]).toEqual([100, 200]);
  });

  it('falls back to the first audio stream when the id is unknown or not given', () => {
    expect(summarizeInboundAudio(snapshot, 'gone')?.bytesReceived).toBe(900);
    expect(summarizeOutboundAudio(snapshot)?.bytesSent).toBe(800);
  });
});
