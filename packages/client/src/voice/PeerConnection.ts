import type { SignalData } from '@miscord/protocol';
import { TypedEmitter } from '../events/TypedEmitter';
import { createLogger } from '../log/logger';
import { snapshotOf, summarizePeerStats } from '../stats/rtcStats';
import type { PeerStatsSummary, StatsSnapshot } from '../stats/types';
import { summarizeVideoStats, type VideoStatsSummary } from '../stats/video';
import type { PeerStatus } from './types';

const log = createLogger('voice');

/** The part of a simple-peer instance used here. */
export interface SimplePeerLike {
  readonly destroyed: boolean;
  signal(data: SignalData): void;
  addTrack(track: MediaStreamTrack, stream: MediaStream): void;
  removeTrack(track: MediaStreamTrack, stream: MediaStream): void;
  /** Start a renegotiation (the initiator offers; a non-initiator asks it to). */
  negotiate(): void;
  /** Over the data channel; throws before it is open. */
  send(data: string): void;
  destroy(error?: Error): void;
  on(event: 'signal', listener: (data: SignalData) => void): unknown;
  on(event: 'stream', listener: (stream: MediaStream) => void): unknown;
  on(event: 'track', listener: (track: MediaStreamTrack, stream: MediaStream) => void): unknown;
  on(event: 'data', listener: (data: unknown) => void): unknown;
  /** Emitted each time signalling returns to `stable` (after every negotiation). */
  on(event: 'connect' | 'close' | 'negotiated', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
}

export interface SimplePeerInit {
  readonly initiator: boolean;
  readonly stream: MediaStream;
  readonly config: RTCConfiguration;
  readonly trickle: true;
  readonly offerOptions?: RTCOfferOptions;
}

export type SimplePeerFactory = (init: SimplePeerInit) => SimplePeerLike;

/**
 * simple-peer reports the remote side closing its RTCPeerConnection as an error of the data channel:
 * Chromium fails the channel with "User-Initiated Abort, reason=Close called". That is a hang-up, not a
 * fault.
 */
export function isRemoteHangUp(error: Error & { code?: string }): boolean {
  return error.code === 'ERR_DATA_CHANNEL' && /User-Initiated Abort/i.test(error.message);
}

/** The browser build of simple-peer (no Node polyfills needed), loaded on first use. */
export async function loadSimplePeer(): Promise<SimplePeerFactory> {
  const module = await import('simple-peer/simplepeer.min.js');
  const SimplePeer = module.default;
  return (init) => new SimplePeer(init) as unknown as SimplePeerLike;
}

export type PeerConnectionEvents = {
  statusChange: [status: PeerStatus];
  /** The remote microphone stream. */
  stream: [stream: MediaStream];
  /** A track of a remote screen share (any stream with video, the microphone's aside). */
  screenTrack: [track: MediaStreamTrack, stream: MediaStream];
  /** A data-channel message (string or bytes, unvalidated). */
  data: [data: unknown];
  /** A negotiation finished (signalling is stable again): sender parameters can be set. */
  negotiated: [];
  /** The peer is gone (remote hung up, ICE failed, destroyed). */
  closed: [reason: string];
};

/** One remote member: a simple-peer instance, the track it sends, and its stats history. */
export class PeerConnection extends TypedEmitter<PeerConnectionEvents> {
  readonly userId: string;
  readonly initiator: boolean;
  readonly createdAt = Date.now();
  /**
   * The remote gateway session this peer was made for. Another session of the same user (a second
   * device) means another browser: its first offer must go to a fresh peer.
   */
  remoteSessionId: string | null;
  readonly #peer: SimplePeerLike;
  /** The microphone after the input gain (MicrophoneInput.sendTrack): one track for the peer's life. */
  readonly #sendTrack: MediaStreamTrack;
  #status: PeerStatus = 'new';
  #remoteStream: MediaStream | null = null;
  readonly #screenStreamIds = new Set<string>();
  #prevSnapshot: StatsSnapshot | null = null;
  #lastStats: PeerStatsSummary | null = null;
  #lastVideoStats: VideoStatsSummary | null = null;
  #inboundBytes: number[] = [];

  constructor(options: {
    userId: string;
    remoteSessionId: string | null;
    initiator: boolean;
    track: MediaStreamTrack;
    iceServers: RTCIceServer[];
    createPeer: SimplePeerFactory;
    send: (data: SignalData) => void;
  }) {
    super();
    this.userId = options.userId;
    this.remoteSessionId = options.remoteSessionId;
    this.initiator = options.initiator;
    this.#sendTrack = options.track;
    this.#peer = options.createPeer({
      initiator: options.initiator,
      stream: new MediaStream([options.track]),
      config: { iceServers: options.iceServers },
      trickle: true,
      ...(options.initiator ? { offerOptions: { offerToReceiveAudio: true } } : {}),
    });
    this.#peer.on('signal', (data) => {
      log.sent(`signal ${data.type} → ${this.userId}`);
      options.send(data);
    });
    this.#peer.on('track', (track, stream) => {
      // The microphone is the only audio-only stream; anything carrying video is a screen share (its audio
      // track comes after its video track: ScreenShare adds them in that order).
      if (
        track.kind === 'video' ||
        stream.getVideoTracks().length > 0 ||
        this.#screenStreamIds.has(stream.id)
      ) {
        this.#screenStreamIds.add(stream.id);
        this.emit('screenTrack', track, stream);
      }
    });
    this.#peer.on('stream', (stream) => {
      if (this.#screenStreamIds.has(stream.id) || stream.getVideoTracks().length > 0) return;
      this.#remoteStream = stream;
      this.emit('stream', stream);
    });
    this.#peer.on('data', (data) => this.emit('data', data));
    this.#peer.on('negotiated', () => this.emit('negotiated'));
    this.#peer.on('connect', () => {
      log.success(`peer ${this.userId} connected`);
      this.#setStatus('connected');
    });
    this.#peer.on('close', () => this.#closed('closed by remote or transport'));
    this.#peer.on('error', (error) => {
      if (isRemoteHangUp(error)) {
        // The other side closed its connection (left the channel): its leave may reach us after this.
        log.info(`peer ${this.userId} hung up (${error.message})`);
        this.#closed('closed by remote');
        return;
      }
      log.error(`peer ${this.userId}: ${error.code ?? 'ERR'} ${error.message}`);
      this.#setStatus('failed');
      this.#closed(error.code ?? error.message);
    });
    this.#setStatus('connecting');
  }

  get status(): PeerStatus {
    return this.#status;
  }
  get remoteStream(): MediaStream | null {
    return this.#remoteStream;
  }
  get sendTrack(): MediaStreamTrack {
    return this.#sendTrack;
  }
  get lastStats(): PeerStatsSummary | null {
    return this.#lastStats;
  }
  /** Screen-share video in and out of this connection at the last stats sample. */
  get lastVideoStats(): VideoStatsSummary | null {
    return this.#lastVideoStats;
  }
  /** simple-peer's RTCPeerConnection (private field `_pc`). */
  get pc(): RTCPeerConnection | null {
    return (this.#peer as unknown as { _pc?: RTCPeerConnection })._pc ?? null;
  }

  /** Inbound audio bytes of the last two stats samples, or null before there are two. */
  inboundBytesHistory(): readonly [number, number] | null {
    const [a, b] = this.#inboundBytes;
    return a !== undefined && b !== undefined ? [a, b] : null;
  }

  signal(data: SignalData): void {
    if (this.#peer.destroyed) return;
    log.received(`signal ${data.type} ← ${this.userId}`);
    try {
      this.#peer.signal(data);
    } catch (error) {
      log.error(`peer ${this.userId} rejected a ${data.type} signal`, error);
    }
  }

  /**
   * Add a screen share's tracks (video first, then audio) and return their senders. Renegotiates; only
   * the initiator of the pair offers, so two members who start sharing at once cannot glare.
   */
  addStream(stream: MediaStream): RTCRtpSender[] {
    if (this.#peer.destroyed) return [];
    const tracks = [...stream.getVideoTracks(), ...stream.getAudioTracks()];
    for (const track of tracks) this.#peer.addTrack(track, stream);
    const senders = this.pc?.getSenders() ?? [];
    return tracks.flatMap((track) => senders.filter((sender) => sender.track === track));
  }

  /**
   * Remove a screen share's tracks. Their transceivers are stopped, not just emptied: a stopped m-line is
   * recycled by the next share, so going live again and again cannot grow the SDP past the SIGNAL size limit
   * (an emptied one would stay in every later offer). Renegotiates; the far end's tracks end.
   */
  removeStream(stream: MediaStream): void {
    if (this.#peer.destroyed) return;
    const transceivers = this.pc?.getTransceivers() ?? [];
    for (const track of stream.getTracks()) {
      const transceiver = transceivers.find((t) => t.sender.track === track);
      try {
        if (transceiver && typeof transceiver.stop === 'function') transceiver.stop();
        else this.#peer.removeTrack(track, stream);
      } catch (error) {
        log.warn(`removing a ${track.kind} track from ${this.userId} failed`, error);
      }
    }
    this.#peer.negotiate();
  }

  /** Send over the data channel; false when it is not open (before connect, after close). */
  send(data: string): boolean {
    if (this.#status !== 'connected' || this.#peer.destroyed) return false;
    try {
      this.#peer.send(data);
      return true;
    } catch (error) {
      log.warn(`data to ${this.userId} not sent`, error);
      return false;
    }
  }

  /** Take a stats snapshot and summarise it against the previous one. */
  async collectStats(): Promise<PeerStatsSummary | null> {
    const pc = this.pc;
    if (!pc || this.#peer.destroyed) return null;
    const snapshot = snapshotOf(await pc.getStats());
    this.#lastStats = summarizePeerStats(snapshot, this.#prevSnapshot, {
      outboundTrackId: this.#sendTrack.id,
      inboundTrackId: this.#remoteStream?.getAudioTracks()[0]?.id ?? null,
    });
    this.#lastVideoStats = summarizeVideoStats(snapshot, this.#prevSnapshot);
    this.#prevSnapshot = snapshot;
    if (this.#lastStats.inbound)
      this.#inboundBytes = [...this.#inboundBytes, this.#lastStats.inbound.bytesReceived].slice(-2);
    return this.#lastStats;
  }

  destroy(): void {
    if (this.#status === 'closed') return;
    this.#status = 'closed';
    this.#peer.destroy();
    this.emit('statusChange', 'closed');
    this.removeAllListeners();
  }

  protected override onListenerError(event: string, error: unknown): void {
    log.error(`peer listener for "${event}" threw`, error);
  }

  #setStatus(status: PeerStatus): void {
    if (this.#status === status || this.#status === 'closed') return;
    this.#status = status;
    this.emit('statusChange', status);
  }

  #closed(reason: string): void {
    if (this.#status === 'closed') return;
    this.emit('closed', reason);
  }
}
