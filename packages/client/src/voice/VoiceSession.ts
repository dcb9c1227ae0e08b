import { SpeakingFlag, type VoiceState } from '@miscord/protocol';
import { formatFindings, runAudioChecks } from '../diagnostics/audioChecks';
import { TypedEmitter } from '../events/TypedEmitter';
import type { GatewayConnection } from '../gateway/GatewayConnection';
import type { VoiceStateChange } from '../gateway/VoiceStateStore';
import { createLogger } from '../log/logger';
import { ScreenShare } from '../screen/ScreenShare';
import type { SharePlatform } from '../screen/shareAudio';
import {
  LocalStorageSettingsStore,
  MemorySettingsStore,
  type SettingsStore,
} from '../settings/SettingsStore';
import { type VoiceSettings, VoiceSettingsRepository } from '../settings/VoiceSettings';
import type { PeerStatsSummary } from '../stats/types';
import { JoinWaiter } from './JoinWaiter';
import { loadSimplePeer, type PeerConnection, type SimplePeerFactory } from './PeerConnection';
import { PeerMesh } from './PeerMesh';
import { GatewaySignallingAdapter, type SignallingAdapter } from './SignallingAdapter';
import type {
  AudioDiagnosis,
  AudioProcessing,
  InputMode,
  PeerInfo,
  VoiceDebugInfo,
  VoiceSessionEvents,
  VoiceSessionState,
} from './types';
import { VoiceMedia } from './VoiceMedia';
import { VoiceMonitor } from './VoiceMonitor';
import { buildVoiceDebugInfo, gatherDiagnostics, type VoiceDebugView } from './voiceDebug';

const log = createLogger('voice');

/** The slice of GatewayConnection voice needs (a fake built on TypedEmitter<GatewayEvents> fits). */
export type VoiceGateway = Pick<
  GatewayConnection,
  | 'userId'
  | 'sessionId'
  | 'readyData'
  | 'voiceStates'
  | 'state'
  | 'updateVoiceState'
  | 'sendSpeaking'
  | 'sendSignal'
  | 'on'
>;

export interface VoiceSessionOptions {
  readonly gateway: VoiceGateway;
  /** Defaults to SIGNAL over the gateway. */
  readonly signalling?: SignallingAdapter;
  /** Defaults to localStorage when present, else memory. */
  readonly settingsStore?: SettingsStore;
  readonly mediaDevices?: MediaDevices;
  readonly createAudioContext?: () => AudioContext;
  /** Defaults to the browser build of simple-peer. */
  readonly createPeer?: SimplePeerFactory;
  /** Where audio elements go (default `document.body`). */
  readonly audioContainer?: HTMLElement;
  /** Where push-to-talk key events are listened for (default `window`). */
  readonly keyTarget?: EventTarget;
  /**
   * After a gateway recovery, absent members keep their connected peers this long (they may be rejoining).
   * Default 45 s: longer than the default reconnect policy's top step (32 s ± 20 %) plus an INVALID_SESSION
   * wait, so a member whose own reconnect backs off one step later than ours is not hung up on.
   */
  readonly rejoinGraceMs?: number;
  readonly joinTimeoutMs?: number;
  /** Where screen-share audio can come from (default `web`: the browser's tab or system audio). */
  readonly screenPlatform?: SharePlatform;
}

const DEFAULT_REJOIN_GRACE_MS = 45_000;

const inVoice = (s: VoiceSessionState): s is Extract<VoiceSessionState, { channelId: string }> =>
  s.status === 'joining' || s.status === 'connected' || s.status === 'interrupted';

/**
 * One user's presence in voice: microphone, a simple-peer per remote member, remote audio, speaking,
 * devices and diagnostics. Peers are keyed by userId and survive gateway reconnects; `leave()` tears
 * everything down and nothing reconnects by itself afterwards.
 */
export class VoiceSession extends TypedEmitter<VoiceSessionEvents> {
  readonly #gateway: VoiceGateway;
  readonly #signalling: SignallingAdapter;
  readonly #settings: VoiceSettingsRepository;
  readonly #options: VoiceSessionOptions;
  readonly #mesh: PeerMesh;
  readonly #remoteSpeaking = new Set<string>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #media: VoiceMedia;
  readonly #monitor: VoiceMonitor;
  /** 🖥️ Go Live: our screen share and the shares we watch, over the same peers. */
  readonly screen: ScreenShare;
  #state: VoiceSessionState = { status: 'idle' };
  #createPeer: SimplePeerFactory | null;
  #graceUntil = 0;
  #graceTimer: ReturnType<typeof setTimeout> | null = null;
  #joinWaiter: JoinWaiter | null = null;
  #destroyed = false;
  /** leave() happened while the gateway was down: tell it after a resume. */
  #leavePending = false;

  constructor(options: VoiceSessionOptions) {
    super();
    this.#options = options;
    this.#gateway = options.gateway;
    this.#signalling = options.signalling ?? new GatewaySignallingAdapter(options.gateway);
    this.#settings = new VoiceSettingsRepository(
      options.settingsStore ??
        (globalThis.localStorage ? new LocalStorageSettingsStore() : new MemorySettingsStore()),
    );
    this.#createPeer = options.createPeer ?? null;
    this.#media = new VoiceMedia({
      settings: this.#settings,
      ...(options.mediaDevices ? { mediaDevices: options.mediaDevices } : {}),
      ...(options.createAudioContext ? { createAudioContext: options.createAudioContext } : {}),
      ...(options.audioContainer ? { audioContainer: options.audioContainer } : {}),
      ...(options.keyTarget ? { keyTarget: options.keyTarget } : {}),
    });
    this.#mesh = new PeerMesh({
      signalling: this.#signalling,
      settings: this.#settings,
      selfUserId: () => this.#gateway.userId,
      iceServers: () => (this.#gateway.readyData?.iceServers ?? []) as RTCIceServer[],
      track: () => this.#media.sendTrack,
      output: () => this.#media.output,
      createPeer: () => this.#createPeer,
      sessionOf: (userId) => this.#gateway.voiceStates.get(userId)?.sessionId ?? null,
      isMember: (userId) => {
        const channelId = this.channelId;
        return !!channelId && this.#gateway.voiceStates.get(userId)?.channelId === channelId;
      },
    });
    this.screen = new ScreenShare({
      mesh: this.#mesh,
      selfUserId: () => this.#gateway.userId,
      mediaDevices: () => this.#media.mediaDevices(),
      output: () => this.#media.output,
      audioEnvironment: () => ({
        platform: options.screenPlatform ?? 'web',
        supportedConstraints: this.#supportedConstraints(),
      }),
      canShare: () => this.#state.status === 'connected' || this.#state.status === 'interrupted',
      onStreamingChange: () => this.#sendVoiceState(),
    });
    this.#monitor = new VoiceMonitor({
      peers: () => this.#mesh.all(),
      inputLevel: () => this.#media.inputLevel,
      output: () => this.#media.output,
    });
    const m = this.#media;
    const g = this.#gateway;
    this.#unsubscribe.push(
      g.on('stateChange', (_old, next) => this.#onGatewayState(next.status)),
      g.on('ready', () => this.#onGatewayRecovered('identified')),
      g.on('resumed', () => this.#onGatewayRecovered('resumed')),
      g.on('speaking', (d) => this.#onRemoteSpeaking(d.userId, d.channelId, d.speaking)),
      g.on('serverError', (e) => {
        if (e.op === 4 && this.#joinWaiter) this.#failJoin(new Error(`${e.code}: ${e.message}`));
      }),
      g.voiceStates.on('change', (c) => this.#onVoiceStateChange(c)),
      this.#signalling.onSignal((from, data) => this.#onSignal(from, data)),
      m.on('speaking', (speaking) => this.#announceSpeaking(speaking)),
      m.on('inputLevel', (level) => this.emit('inputLevel', level)),
      m.on('deviceFallback', (f) => this.emit('deviceFallback', f)),
      m.on('devicesChange', (d) => this.emit('devicesChange', d)),
      this.#mesh.on('change', () => this.#emitPeers()),
      this.#mesh.on('lost', () => this.#reconcile()),
      this.#mesh.on('removed', (userId) => {
        if (this.#remoteSpeaking.delete(userId)) this.emit('speaking', userId, false);
      }),
    );
  }

  // ── state ─────────────────────────────────────────────────────────────────────────────────────

  get state(): VoiceSessionState {
    return this.#state;
  }
  set state(next: VoiceSessionState) {
    const previous = this.#state;
    this.#state = next;
    log.debug(`voice ${previous.status} → ${next.status}`);
    this.emit('stateChange', previous, next);
  }
  get channelId(): string | null {
    return inVoice(this.#state) ? this.#state.channelId : null;
  }
  get selfMute(): boolean {
    return this.#settings.settings.selfMute;
  }
  get selfDeaf(): boolean {
    return this.#settings.settings.selfDeaf;
  }
  get settings(): VoiceSettings {
    return this.#settings.settings;
  }

  // ── join / move / leave ───────────────────────────────────────────────────────────────────────

  /**
   * Join a voice channel (or move there when already in one); resolves once the gateway confirms.
   * Rejects when the gateway refuses (CHANNEL_FULL, UNKNOWN_CHANNEL), after `joinTimeoutMs`, when the
   * microphone cannot be opened, when leave() comes first, or when a newer join supersedes it.
   */
  async join(channelId: string): Promise<void> {
    if (this.#destroyed) throw new Error('this VoiceSession was destroyed');
    const current = this.#state;
    if (inVoice(current) && current.channelId === channelId) return;
    if (inVoice(current)) return this.move(channelId);
    this.state = { status: 'joining', channelId };
    try {
      this.#createPeer ??= await loadSimplePeer();
      await this.#media.open();
    } catch (error) {
      log.error('could not open the microphone', error);
      this.#teardown({ status: 'left', channelId });
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    if (this.channelId !== channelId) return; // left while the microphone opened
    return this.#requestChannel(channelId);
  }

  /** Move to another channel: every peer of the old channel is hung up. */
  async move(channelId: string): Promise<void> {
    if (!inVoice(this.#state)) return this.join(channelId);
    if (this.#state.channelId === channelId) return;
    this.#mesh.destroyAll();
    this.screen.reset(); // as in Discord, a share ends when you move
    this.state = { status: 'joining', channelId };
    return this.#requestChannel(channelId);
  }

  /** Leave voice: tell the gateway, destroy every peer, stop every track, remove every element. */
  async leave(): Promise<void> {
    const current = this.#state;
    if (!inVoice(current)) return;
    const sent = this.#gateway.updateVoiceState({
      channelId: null,
      selfMute: this.selfMute,
      selfDeaf: this.selfDeaf,
    });
    this.#leavePending = !sent;
    this.#teardown({ status: 'left', channelId: current.channelId });
    log.info(`left ${current.channelId}`);
  }

  /** Leave and stop listening to the gateway for good. */
  destroy(): void {
    void this.leave();
    this.#teardown(this.#state.status === 'idle' ? { status: 'left', channelId: null } : this.#state);
    this.screen.destroy();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#destroyed = true;
  }

  #requestChannel(channelId: string): Promise<void> {
    this.#joinWaiter?.supersede(channelId);
    const waiter = new JoinWaiter(channelId, this.#options.joinTimeoutMs ?? 15_000, (error) => {
      if (this.#joinWaiter === waiter) this.#failJoin(error);
    });
    this.#joinWaiter = waiter;
    this.#sendVoiceState();
    this.#checkConfirmed();
    return waiter.promise;
  }

  /** The gateway refused the join or never confirmed it: leave locally and tell the caller. */
  #failJoin(error: Error): void {
    const waiter = this.#joinWaiter;
    if (!waiter) return;
    this.#joinWaiter = null;
    const status = this.#state.status;
    if (status === 'joining' || status === 'interrupted')
      this.#teardown({ status: 'left', channelId: this.channelId });
    this.emit('error', error);
    waiter.reject(error);
  }

  #sendVoiceState(): void {
    const channelId = this.channelId;
    if (!channelId) return;
    this.#gateway.updateVoiceState({
      channelId,
      selfMute: this.selfMute || this.selfDeaf,
      selfDeaf: this.selfDeaf,
      streaming: this.screen.sharing !== null,
    });
  }

  /** Our own VOICE_STATE names this session and channel: we are in. */
  #checkConfirmed(): void {
    const s = this.#state;
    if (s.status !== 'joining' && s.status !== 'interrupted') return;
    const own = this.#gateway.userId ? this.#gateway.voiceStates.get(this.#gateway.userId) : undefined;
    if (!own || own.channelId !== s.channelId || own.sessionId !== this.#gateway.sessionId) return;
    if (this.#gateway.state.status !== 'ready') return;
    this.state = { status: 'connected', channelId: s.channelId, since: Date.now() };
    this.#joinWaiter?.resolve();
    this.#joinWaiter = null;
    log.success(`in voice channel ${s.channelId}`);
    this.#reconcile();
  }

  #teardown(next: VoiceSessionState): void {
    this.#joinWaiter?.reject(new Error('left voice before the gateway confirmed the join'));
    this.#joinWaiter = null;
    this.#mesh.destroyAll();
    this.screen.reset();
    if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
    this.#remoteSpeaking.clear();
    this.#monitor.stop();
    this.#media.close();
    if (this.#state !== next) this.state = next;
  }

  // ── gateway events ────────────────────────────────────────────────────────────────────────────

  #onGatewayState(status: string): void {
    const s = this.#state;
    if (status !== 'ready' && (s.status === 'connected' || s.status === 'joining')) {
      this.state = { status: 'interrupted', channelId: s.channelId };
    }
  }

  #onGatewayRecovered(how: 'identified' | 'resumed'): void {
    const s = this.#state;
    if (this.#leavePending && how === 'resumed') {
      // we left while the gateway was down; the resumed session still holds voice
      this.#leavePending = !this.#gateway.updateVoiceState({
        channelId: null,
        selfMute: false,
        selfDeaf: false,
      });
    } else if (how === 'identified') this.#leavePending = false;
    if (!inVoice(s)) return;
    this.#graceUntil = Date.now() + (this.#options.rejoinGraceMs ?? DEFAULT_REJOIN_GRACE_MS);
    if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(
      () => this.#reconcile(),
      (this.#options.rejoinGraceMs ?? DEFAULT_REJOIN_GRACE_MS) + 50,
    );
    this.#checkConfirmed();
    // a re-identified session is not in voice yet; a resumed one may have lost the update in flight
    if (this.#state.status !== 'connected') this.#sendVoiceState();
    log.info(`gateway ${how}; voice ${this.#state.status} in ${s.channelId}`);
  }

  #onVoiceStateChange(change: VoiceStateChange): void {
    const channelId = this.channelId;
    if (!channelId) return;
    const self = this.#gateway.userId;
    if (change.userId === self) {
      const own = change.current;
      if (this.#state.status === 'connected' && own && own.sessionId !== this.#gateway.sessionId) {
        log.warn('voice moved to another session of this account; hanging up here');
        this.#teardown({ status: 'left', channelId });
        return;
      }
      if (this.#state.status === 'connected' && (!own || own.channelId === null)) {
        log.warn('the gateway took this session out of voice');
        this.#teardown({ status: 'left', channelId });
        return;
      }
      if (this.#state.status === 'connected' && own && own.channelId !== channelId) {
        // moved by the server (or by this account elsewhere): follow it
        this.#mesh.destroyAll();
        this.screen.reset();
        this.state = { status: 'connected', channelId: own.channelId as string, since: Date.now() };
      }
      this.#checkConfirmed();
    } else if (change.previous && change.current && change.previous.sessionId !== change.current.sessionId) {
      this.#watchSessionChange(change.userId, change.current.sessionId);
    }
    this.#reconcile();
  }

  /**
   * A member's voice moved to a new gateway session: either the same app re-identified (the peer stays
   * connected) or their other device took over (the old peer closes, or the new device offers).
   * A peer still connected after 5 s belongs to the new session.
   */
  #watchSessionChange(userId: string, sessionId: string): void {
    setTimeout(() => {
      const peer = this.#mesh.get(userId);
      if (peer?.status === 'connected' && this.#gateway.voiceStates.get(userId)?.sessionId === sessionId) {
        peer.remoteSessionId = sessionId;
      }
    }, 5_000);
  }

  /** Peers follow the member list: create for new members, destroy for members who truly left. */
  #reconcile(): void {
    const s = this.#state;
    if (s.status !== 'connected' && s.status !== 'interrupted') return;
    const self = this.#gateway.userId;
    const members = new Set(
      this.#gateway.voiceStates
        .members(s.channelId)
        .map((m) => m.userId)
        .filter((id) => id !== self),
    );
    this.#mesh.reconcile(
      members,
      s.status === 'connected',
      s.status === 'interrupted' || Date.now() < this.#graceUntil,
    );
  }

  #onSignal(from: string, data: Parameters<PeerConnection['signal']>[0]): void {
    const s = this.#state;
    if (!inVoice(s)) return;
    if (!this.#gateway.userId || from === this.#gateway.userId) return;
    this.#mesh.signal(from, data);
  }

  #onRemoteSpeaking(userId: string, channelId: string, mask: number): void {
    if (channelId !== this.channelId) return;
    const speaking = (mask & SpeakingFlag.Microphone) !== 0;
    if (speaking === this.#remoteSpeaking.has(userId)) return;
    if (speaking) this.#remoteSpeaking.add(userId);
    else this.#remoteSpeaking.delete(userId);
    this.emit('speaking', userId, speaking);
    this.#emitPeers();
  }

  // ── peers ─────────────────────────────────────────────────────────────────────────────────────

  peers(): PeerInfo[] {
    const s = this.#settings.settings;
    return this.#mesh.all().map((p) => ({
      userId: p.userId,
      initiator: p.initiator,
      status: p.status,
      volumePercent: s.userVolumes[p.userId] ?? 100,
      locallyMuted: !!s.userMutes[p.userId],
      speaking: this.#remoteSpeaking.has(p.userId),
    }));
  }

  members(): VoiceState[] {
    const channelId = this.channelId;
    return channelId ? this.#gateway.voiceStates.members(channelId) : [];
  }

  /** Take a getStats() snapshot of every peer now; returns userId → summary (also kept for getPeerStats). */
  async collectStats(): Promise<Record<string, PeerStatsSummary | null>> {
    await this.#monitor.collect();
    return Object.fromEntries(this.#mesh.all().map((p) => [p.userId, p.lastStats]));
  }

  getPeerStats(userId: string): PeerStatsSummary | null {
    return this.#mesh.get(userId)?.lastStats ?? null;
  }

  #emitPeers(): void {
    this.emit('peersChange', this.peers());
  }

  // ── controls ──────────────────────────────────────────────────────────────────────────────────

  setSelfMute(muted: boolean): void {
    if (muted === this.selfMute) return;
    this.#settings.update({ selfMute: muted });
    this.#selfChanged();
  }

  /** Deafen silences every remote stream and mutes the microphone; undeafen restores the mute you had. */
  setSelfDeaf(deafened: boolean): void {
    if (deafened === this.selfDeaf) return;
    this.#settings.update({ selfDeaf: deafened });
    this.#selfChanged();
  }

  #selfChanged(): void {
    this.#media.applyTransmit();
    this.#sendVoiceState();
    this.emit('selfStateChange', { selfMute: this.selfMute, selfDeaf: this.selfDeaf });
  }

  /** 0–200 % for one user, remembered across sessions. */
  setUserVolume(userId: string, percent: number): void {
    const value = this.#settings.setUserVolume(userId, percent);
    this.#media.output?.setVolume(userId, value, this.isUserMuted(userId));
    this.#emitPeers();
  }
  getUserVolume(userId: string): number {
    return this.#settings.settings.userVolumes[userId] ?? 100;
  }
  /** Mute one user for yourself only. */
  setUserMuted(userId: string, muted: boolean): void {
    this.#settings.setUserMuted(userId, muted);
    this.#media.output?.setVolume(userId, this.getUserVolume(userId), muted);
    this.#emitPeers();
  }
  isUserMuted(userId: string): boolean {
    return !!this.#settings.settings.userMutes[userId];
  }

  async listDevices(): Promise<{ inputs: MediaDeviceInfo[]; outputs: MediaDeviceInfo[] }> {
    const all = await this.#media.mediaDevices().enumerateDevices();
    return {
      inputs: all.filter((d) => d.kind === 'audioinput'),
      outputs: all.filter((d) => d.kind === 'audiooutput'),
    };
  }
  /**
   * Switch microphone. In a call the new device is connected behind the input gain: every peer keeps the
   * track it has (no replaceTrack, no renegotiation).
   */
  setInputDevice(deviceId: string): Promise<void> {
    return this.#media.setInputDevice(deviceId);
  }
  setOutputDevice(deviceId: string): Promise<void> {
    return this.#media.setOutputDevice(deviceId);
  }
  /**
   * Input volume 0–200 (%) of what peers hear, remembered across sessions; applies at once in a call.
   * Out-of-range values are clamped (`settings.inputVolume` holds the result).
   */
  setInputVolume(percent: number): void {
    this.#media.setInputVolume(percent);
  }
  /** Echo cancellation, noise suppression, auto gain: remembered for the current input device. */
  setAudioProcessing(patch: Partial<AudioProcessing>): Promise<void> {
    return this.#media.setAudioProcessing(patch);
  }
  /** Speaking sensitivity in dBFS (−100 … 0), remembered for the current input device. */
  setSpeakingThreshold(db: number): void {
    this.#media.setSpeakingThreshold(db);
  }
  setInputMode(mode: InputMode): void {
    this.#media.setInputMode(mode);
  }
  setPushToTalkKey(code: string, releaseMs?: number): void {
    this.#media.setPushToTalkKey(code, releaseMs);
  }
  /** For the desktop global shortcut: press (true) / release (false). */
  setPushToTalk(active: boolean): void {
    this.#media.setPushToTalk(active);
  }
  /** Resume audio after the autoplay policy suspended it (call from a click handler). */
  resumeAudio(): Promise<void> {
    return this.#media.output?.resume() ?? Promise.resolve();
  }

  // ── diagnostics ───────────────────────────────────────────────────────────────────────────────

  enableAudioDataLogging(on: boolean): void {
    this.#monitor.enableAudioDataLogging(on);
  }
  enableStatsLogging(on: boolean, intervalMs?: number): void {
    this.#monitor.enableStatsLogging(on, intervalMs);
  }

  getDebugInfo(): VoiceDebugInfo {
    return buildVoiceDebugInfo(this.#debugView());
  }

  /** Run every audio check, print the findings (worst first) and return them. */
  async diagnoseAudioIssues(): Promise<AudioDiagnosis> {
    await this.#monitor.collect();
    const findings = runAudioChecks(await gatherDiagnostics(this.#debugView()));
    const lines = formatFindings(findings);
    console.info(`🎙️ audio diagnosis (${findings.length} checks)\n${lines.join('\n')}`);
    return { ok: findings.every((f) => f.severity !== 'error' && f.severity !== 'warning'), findings };
  }

  #supportedConstraints(): Record<string, boolean | undefined> {
    try {
      return this.#media.mediaDevices().getSupportedConstraints() as Record<string, boolean | undefined>;
    } catch {
      return {};
    }
  }

  #debugView(): VoiceDebugView {
    return {
      screen: this.screen,
      state: this.#state,
      selfUserId: this.#gateway.userId,
      settings: this.#settings.settings,
      media: this.#media,
      peers: this.#mesh.all(),
      members: this.members(),
    };
  }

  #announceSpeaking(speaking: boolean): void {
    if (inVoice(this.#state))
      this.#gateway.sendSpeaking(speaking ? SpeakingFlag.Microphone : SpeakingFlag.None);
    this.emit('speaking', this.#gateway.userId ?? 'me', speaking);
  }

  protected override onListenerError(event: string, error: unknown): void {
    log.error(`listener for "${event}" threw`, error);
  }
}
