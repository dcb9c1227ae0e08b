import { createLogger } from '../log/logger';
import { formatStatsLine } from '../stats/rtcStats';
import { formatVideoLine } from '../stats/video';
import type { AudioOutput } from './AudioOutput';
import type { PeerConnection } from './PeerConnection';

const voiceLog = createLogger('voice');
const statsLog = createLogger('stats');

export interface MonitoredSession {
  peers(): PeerConnection[];
  /** Latest microphone level 0..1. */
  inputLevel(): number;
  output(): AudioOutput | null;
}

/**
 * The devtools loops: 🎙️ audio data once a second per peer (input/output level, bytes, packets) and
 * 📊 WebRTC stats every few seconds. They log with console.info directly when enabled by the
 * developer, whatever the log level, and stop when the session leaves.
 */
export class VoiceMonitor {
  readonly #session: MonitoredSession;
  #audioTimer: ReturnType<typeof setInterval> | null = null;
  #statsTimer: ReturnType<typeof setInterval> | null = null;

  constructor(session: MonitoredSession) {
    this.#session = session;
  }

  get audioDataLogging(): boolean {
    return this.#audioTimer !== null;
  }
  get statsLogging(): boolean {
    return this.#statsTimer !== null;
  }

  enableAudioDataLogging(on: boolean): void {
    if (this.#audioTimer !== null) clearInterval(this.#audioTimer);
    this.#audioTimer = on ? setInterval(() => void this.#logAudioData(), 1000) : null;
    voiceLog.info(`audio data logging ${on ? 'on' : 'off'}`);
  }

  enableStatsLogging(on: boolean, intervalMs = 5000): void {
    if (this.#statsTimer !== null) clearInterval(this.#statsTimer);
    this.#statsTimer = on ? setInterval(() => void this.#logStats(), Math.max(500, intervalMs)) : null;
  }

  /** Collect stats for every peer (also used by getDebugInfo and diagnostics). */
  async collect(): Promise<void> {
    await Promise.all(this.#session.peers().map((p) => p.collectStats().catch(() => null)));
  }

  stop(): void {
    this.enableAudioDataLogging(false);
    this.enableStatsLogging(false);
  }

  async #logAudioData(): Promise<void> {
    await this.collect();
    const input = this.#session.inputLevel();
    const peers = this.#session.peers();
    if (peers.length === 0) console.info(`🎙️ in ${input.toFixed(3)} · no peers`);
    for (const p of peers) {
      const s = p.lastStats;
      const outLevel = this.#session.output()?.level(p.userId);
      console.info(
        `🎙️ ${p.userId} · in ${input.toFixed(3)} · out ${outLevel?.toFixed(3) ?? '–'}` +
          ` · sent ${s?.outbound?.bytesSent ?? 0} B / ${s?.outbound?.packetsSent ?? 0} pkts` +
          ` · recv ${s?.inbound?.bytesReceived ?? 0} B / ${s?.inbound?.packetsReceived ?? 0} pkts` +
          ` · inbound level ${s?.inbound?.audioLevel?.toFixed(3) ?? '–'}`,
      );
    }
  }

  async #logStats(): Promise<void> {
    await this.collect();
    for (const p of this.#session.peers()) {
      if (p.lastStats) console.info(`📊 ${p.userId} · ${formatStatsLine(p.lastStats)}`);
      else statsLog.debug(`${p.userId}: no stats yet`);
      const video = p.lastVideoStats;
      if (video && (video.inbound.length > 0 || video.outbound.length > 0))
        console.info(`📊 🖥️ ${p.userId} · ${formatVideoLine(video)}`);
    }
  }
}
