/**
 * 🖥️ Go Live over the voice mesh: this member's screen share and the shares of others it watches.
 *
 * The decisions live in the pure modules beside this one (presets, shareAudio, messages, watchers,
 * sendGate); this class is their wiring to real peers. A share's tracks go into every existing simple-peer
 * connection (renegotiation offered by each pair's initiator only, so shares started at the same moment
 * cannot glare) and start gated off; a member who asks to watch over the data channel gets its encodings
 * switched on. Members joining later get the tracks when their peer is created. Stopping — from the app or
 * the system's "stop sharing" — removes the tracks (the transceivers stop sending) and tells everyone.
 */
import { TypedEmitter } from '../events/TypedEmitter';
import { createLogger } from '../log/logger';
import type { AudioOutput } from '../voice/AudioOutput';
import type { PeerConnection } from '../voice/PeerConnection';
import type { PeerMesh } from '../voice/PeerMesh';
import { createShareId, decodeScreenMessage, encodeScreenMessage } from './messages';
import {
  applyCapture,
  applyEncoding,
  constraintsFor,
  defaultScreenPresetId,
  type PresetEncoding,
  type ScreenPresetId,
  screenPreset,
} from './presets';
import { RemoteScreens } from './RemoteScreens';
import { buildScreenDebugInfo, type ScreenDebugInfo } from './screenDebug';
import { applySendActions, setSending } from './sendGate';
import {
  capturedAudioVerdict,
  type ShareAudioEnvironment,
  type ShareAudioPlan,
  shareAudioPlan,
} from './shareAudio';
import { emptyWatchModel, reduceWatch, type WatchEvent, type WatchModel } from './watchers';

const log = createLogger('screen');

export interface ScreenShareOptions {
  readonly mesh: Pick<PeerMesh, 'get' | 'all' | 'on'>;
  readonly selfUserId: () => string | null;
  readonly mediaDevices: () => MediaDevices;
  readonly output: () => AudioOutput | null;
  /** Where share audio can come from (web: the browser's tab/system audio; Electron per OS). */
  readonly audioEnvironment: () => ShareAudioEnvironment;
  /** Whether a share may start now (in a voice channel). */
  readonly canShare: () => boolean;
  /** Sharing started or stopped: the voice state's `streaming` flag must follow. */
  readonly onStreamingChange: (streaming: boolean) => void;
}

export interface StartShareOptions {
  readonly preset?: ScreenPresetId;
  /** Share the screen's or tab's audio where the platform offers it (see shareAudio.ts). */
  readonly audio?: boolean;
}

/** The running local share. */
interface Live {
  readonly shareId: string;
  readonly stream: MediaStream;
  readonly video: MediaStreamTrack;
  readonly audio: MediaStreamTrack | null;
  readonly startedAt: number;
  preset: ScreenPresetId;
  encoding: PresetEncoding;
  /** Peer → the senders of this share on that connection (video first). */
  readonly senders: Map<string, RTCRtpSender[]>;
}

export interface LocalShareInfo {
  readonly shareId: string;
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  readonly stream: MediaStream;
  readonly watchers: readonly string[];
  readonly startedAt: number;
}

export interface RemoteShareInfo {
  readonly userId: string;
  readonly shareId: string;
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  /** Who watches it, as its sharer last said. */
  readonly viewers: readonly string[];
  readonly watching: boolean;
  /** Its tracks at this end; null until the renegotiation that carries them is done. */
  readonly stream: MediaStream | null;
  /** The share audio's volume here, 0–200 %. */
  readonly volumePercent: number;
}

export type ScreenShareEvents = {
  /** Our share, the shares we see or who watches changed. */
  change: [];
  /** The share could not start, or stopped on its own. */
  error: [error: Error];
};

export class ScreenShare extends TypedEmitter<ScreenShareEvents> {
  readonly #options: ScreenShareOptions;
  readonly #remote = new RemoteScreens();
  readonly #unsubscribe: Array<() => void>;
  #model: WatchModel;
  #live: Live | null = null;
  #starting = false;

  constructor(options: ScreenShareOptions) {
    super();
    this.#options = options;
    this.#model = emptyWatchModel(options.selfUserId() ?? '');
    const mesh = options.mesh;
    this.#unsubscribe = [
      // An initiator's new peer takes the share into its first offer. simple-peer drops a non-initiator's
      // negotiation request made before its first answer, so an answerer adds the share once connected.
      mesh.on('created', (peer) => {
        if (this.#live && peer.initiator) this.#addTo(this.#live, peer);
      }),
      mesh.on('connected', (userId) => {
        const peer = this.#options.mesh.get(userId);
        if (this.#live && peer) this.#addTo(this.#live, peer);
        this.#step({ type: 'peerConnected', peer: userId });
      }),
      mesh.on('removed', (peer) => {
        this.#live?.senders.delete(peer);
        this.#remote.forget(peer);
        this.#step({ type: 'peerDisconnected', peer });
      }),
      mesh.on('data', (from, data) => this.#onData(from, data)),
      mesh.on('screenTrack', (from, _track, stream) => {
        this.#remote.add(from, stream);
        this.#syncRemote();
      }),
      mesh.on('negotiated', (peer) => void this.#refreshSenders(peer)),
    ];
  }

  get sharing(): LocalShareInfo | null {
    const live = this.#live;
    if (!live) return null;
    return {
      shareId: live.shareId,
      preset: live.preset,
      audio: live.audio !== null,
      stream: live.stream,
      watchers: [...(this.#model.local?.watchers ?? [])].sort(),
      startedAt: live.startedAt,
    };
  }

  get starting(): boolean {
    return this.#starting;
  }

  /** Whether "share audio" can be offered here, and with which constraints. */
  audioPlan(): ShareAudioPlan {
    return shareAudioPlan(this.#options.audioEnvironment());
  }

  /** The shares of other members in the channel, sharer id order. */
  shares(): RemoteShareInfo[] {
    return [...this.#model.remote]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([userId, share]) => ({
        userId,
        shareId: share.shareId,
        preset: share.preset,
        audio: share.audio,
        viewers: share.viewers,
        watching: this.#model.watching.get(userId) === share.shareId,
        stream: this.#remote.streamOf(userId, share.streamId),
        volumePercent: this.#remote.volumeOf(userId),
      }));
  }

  /**
   * Go live: ask for a screen or window (the browser's picker, or the desktop app's through the main
   * process), add it gated to every peer, announce it. Rejects when the user cancels the picker
   * (NotAllowedError) or voice was left meanwhile. A running share is replaced.
   */
  async start(options: StartShareOptions = {}): Promise<void> {
    if (this.#starting) throw new Error('a screen share is already starting');
    if (!this.#options.canShare()) throw new Error('join a voice channel before sharing your screen');
    const preset = screenPreset(options.preset ?? this.#live?.preset ?? defaultScreenPresetId);
    const plan = options.audio ? this.audioPlan() : null;
    const audioConstraints = plan?.offered ? plan : null;
    this.#starting = true;
    this.emit('change');
    let stream: MediaStream;
    try {
      stream = await this.#options
        .mediaDevices()
        .getDisplayMedia(
          constraintsFor(
            preset,
            audioConstraints
              ? { audio: audioConstraints.audio, systemAudio: audioConstraints.systemAudio }
              : { audio: null },
          ) as DisplayMediaStreamOptions,
        );
    } finally {
      this.#starting = false;
      this.emit('change');
    }
    const video = stream.getVideoTracks()[0];
    if (!video || !this.#options.canShare()) {
      for (const track of stream.getTracks()) track.stop();
      throw new Error(video ? 'left voice before the share started' : 'the capture has no video');
    }
    const audio = this.#keptAudio(stream, video);
    if (this.#live) this.#stop(false); // replaced: the new share announces itself
    const { encoding, source } = await applyCapture(video, preset);
    if (!this.#options.canShare()) {
      for (const track of stream.getTracks()) track.stop();
      throw new Error('left voice before the share started');
    }
    const live: Live = {
      shareId: createShareId(),
      stream,
      video,
      audio,
      startedAt: Date.now(),
      preset: preset.id,
      encoding,
      senders: new Map(),
    };
    this.#live = live;
    video.addEventListener('ended', () => {
      if (this.#live !== live) return;
      log.info('the system stopped the share ("stop sharing")');
      this.stop();
    });
    for (const peer of this.#options.mesh.all()) this.#addTo(live, peer);
    this.#step({
      type: 'shareStarted',
      shareId: live.shareId,
      streamId: stream.id,
      preset: preset.id,
      audio: audio !== null,
    });
    this.#options.onStreamingChange(true);
    log.success(
      `live ${preset.id} · ${source.width ?? '?'}×${source.height ?? '?'}${audio ? ' + audio' : ''} · ` +
        `to ${live.senders.size} peer(s), none watching yet`,
    );
  }

  /** Stop sharing: tracks off every connection (renegotiated away), capture stopped, everyone told. */
  stop(): void {
    this.#stop(true);
  }

  /** `announce` false when voice is being left: the voice state that follows says it all. */
  #stop(announce: boolean): void {
    const live = this.#live;
    if (!live) return;
    this.#live = null;
    for (const userId of live.senders.keys()) this.#options.mesh.get(userId)?.removeStream(live.stream);
    for (const track of live.stream.getTracks()) track.stop();
    this.#step({ type: 'shareStopped' });
    if (announce) this.#options.onStreamingChange(false);
    log.info(`share ${live.shareId} stopped`);
  }

  /** Change quality while live: capture constraints once, then every connection's encoder limits. */
  async setPreset(id: ScreenPresetId): Promise<void> {
    const live = this.#live;
    if (!live) throw new Error('not sharing');
    const preset = screenPreset(id);
    const { encoding, source } = await applyCapture(live.video, preset);
    if (this.#live !== live) return;
    live.preset = id;
    live.encoding = encoding;
    await Promise.all([...live.senders.keys()].map((peer) => this.#refreshSenders(peer)));
    this.#step({ type: 'shareUpdated', preset: id, audio: live.audio !== null });
    log.info(`quality → ${id} (${source.width ?? '?'}×${source.height ?? '?'})`);
  }

  watch(sharer: string): void {
    this.#step({ type: 'watch', sharer });
  }

  unwatch(sharer: string): void {
    this.#step({ type: 'unwatch', sharer });
  }

  /** The volume of a watched share's audio, 0–200 %, for this session. */
  setStreamVolume(sharer: string, percent: number): void {
    this.#remote.setVolume(sharer, percent, this.#options.output());
    this.emit('change');
  }

  /** Leaving voice: stop our share, forget every other one. */
  reset(): void {
    this.#stop(false);
    this.#remote.clear(this.#options.output());
    this.#model = emptyWatchModel(this.#options.selfUserId() ?? '');
    this.emit('change');
  }

  destroy(): void {
    this.reset();
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  debugInfo(): ScreenDebugInfo {
    const live = this.#live;
    return buildScreenDebugInfo({
      model: this.#model,
      live: live && {
        video: live.video,
        preset: live.preset,
        startedAt: live.startedAt,
        peers: [...live.senders.keys()],
      },
      shares: this.shares(),
      peer: (userId) => this.#options.mesh.get(userId) ?? null,
    });
  }

  protected override onListenerError(event: string, error: unknown): void {
    log.error(`listener for "${event}" threw`, error);
  }

  /** The captured audio, unless it could carry the voice chat back into the call (shareAudio.ts). */
  #keptAudio(stream: MediaStream, video: MediaStreamTrack): MediaStreamTrack | null {
    const audio = stream.getAudioTracks()[0] ?? null;
    if (!audio) return null;
    const verdict = capturedAudioVerdict(
      video.getSettings(),
      audio.getSettings() as MediaTrackSettings & { restrictOwnAudio?: boolean },
    );
    if (verdict.keep) return audio;
    log.warn('the captured audio may contain the voice chat; sharing the picture only');
    audio.stop();
    stream.removeTrack(audio);
    return null;
  }

  /** Put the share on one connection, gated off until that member asks to watch. */
  #addTo(live: Live, peer: PeerConnection): void {
    if (live.senders.has(peer.userId)) return;
    try {
      const senders = peer.addStream(live.stream);
      live.senders.set(peer.userId, senders);
      for (const sender of senders) void setSending(sender, false).catch(() => undefined);
    } catch (error) {
      log.error(`could not add the share to ${peer.userId}`, error);
    }
  }

  /** After a negotiation (or a preset change): the gate and the encoder limits for one connection. */
  async #refreshSenders(userId: string): Promise<void> {
    const live = this.#live;
    const senders = live?.senders.get(userId);
    if (!live || !senders) return;
    const on = this.#model.local?.watchers.has(userId) ?? false;
    for (const sender of senders) {
      try {
        await setSending(sender, on);
        if (sender.track?.kind === 'video') await applyEncoding(sender, live.encoding);
      } catch (error) {
        log.warn(`sender parameters for ${userId} not applied`, error);
      }
    }
  }

  #onData(from: string, data: unknown): void {
    const decoded = decodeScreenMessage(data);
    if (decoded.ok) {
      log.received(`${decoded.message.type} ← ${from}`);
      this.#step({ type: 'received', from, message: decoded.message });
    } else if (decoded.reason !== 'notScreen') {
      log.warn(`ignored a screen message from ${from}: ${decoded.error}`);
    }
  }

  /** One event through the watch model; then send its messages and apply its gate actions. */
  #step(event: WatchEvent): void {
    const self = this.#options.selfUserId();
    if (self && this.#model.selfId !== self) this.#model = { ...this.#model, selfId: self };
    const next = reduceWatch(this.#model, event);
    this.#model = next.model;
    if (next.ignored) log.debug(`${event.type}: ${next.ignored}`);
    for (const { to, message } of next.messages) {
      if (this.#options.mesh.get(to)?.send(encodeScreenMessage(message))) log.sent(`${message.type} → ${to}`);
      else log.warn(`${message.type} to ${to} not sent (no open data channel)`);
    }
    if (next.actions.length > 0) {
      for (const { peer, action } of next.actions) log.info(`${action} → ${peer}`);
      void applySendActions(next.actions, (peer) => this.#live?.senders.get(peer) ?? []).then((failures) => {
        for (const { peer, error } of failures) log.error(`gate for ${peer} failed`, error);
      });
    }
    this.#syncRemote();
  }

  #syncRemote(): void {
    this.#remote.sync(this.#model, this.#options.output());
    this.emit('change');
  }
}
