import { TypedEmitter } from '../events/TypedEmitter';
import { createLogger } from '../log/logger';
import { deviceKey, type VoiceSettingsRepository } from '../settings/VoiceSettings';
import { AudioOutput } from './AudioOutput';
import { planDeviceChange } from './devices';
import { MicrophoneInput } from './MicrophoneInput';
import { PushToTalk } from './PushToTalk';
import { dbToLevel, rmsDb, SpeakingDetector } from './SpeakingDetector';
import type { AudioProcessing, DeviceFallback, InputMode } from './types';

const log = createLogger('voice');

export type VoiceMediaEvents = {
  /** Local speaking changed (already gated by mute, deafen and push-to-talk). */
  speaking: [speaking: boolean];
  inputLevel: [level: number];
  deviceFallback: [fallback: DeviceFallback];
  devicesChange: [devices: MediaDeviceInfo[]];
};

export interface VoiceMediaOptions {
  readonly settings: VoiceSettingsRepository;
  readonly mediaDevices?: MediaDevices;
  readonly createAudioContext?: () => AudioContext;
  readonly audioContainer?: HTMLElement;
  readonly keyTarget?: EventTarget;
}

interface Open {
  readonly context: AudioContext;
  readonly mic: MicrophoneInput;
  readonly output: AudioOutput;
  readonly levelTimer: ReturnType<typeof setInterval>;
  defaultLabelAtOpen: string | null;
}

/**
 * The local audio side of a voice session: microphone, remote audio output, speaking detection,
 * push-to-talk, mute/deafen gating and device hot-plug. Open while in voice, closed (every track
 * stopped, every node and element removed) when leaving.
 */
export class VoiceMedia extends TypedEmitter<VoiceMediaEvents> {
  readonly #settings: VoiceSettingsRepository;
  readonly #options: VoiceMediaOptions;
  readonly #detector: SpeakingDetector;
  readonly #ptt: PushToTalk;
  #open: Open | null = null;
  #lastDb = -100;
  #lastAudibleAt: number | null = null;

  constructor(options: VoiceMediaOptions) {
    super();
    this.#options = options;
    this.#settings = options.settings;
    const s = this.#settings.settings;
    this.#detector = new SpeakingDetector({
      thresholdDb: this.#settings.deviceSettings(this.inputKey()).speakingThresholdDb,
      hangoverMs: s.speakingHangoverMs,
    });
    this.#ptt = new PushToTalk({
      key: s.pushToTalkKey,
      releaseMs: s.pushToTalkReleaseMs,
      onChange: () => this.applyTransmit(),
    });
  }

  get isOpen(): boolean {
    return this.#open !== null;
  }
  /** The microphone device's track (diagnostics: label, ended, muted). */
  get track(): MediaStreamTrack | null {
    return this.#open?.mic.track ?? null;
  }
  /** What peers get (after the input gain); the same track for the whole time in voice. */
  get sendTrack(): MediaStreamTrack | null {
    return this.#open?.mic.sendTrack ?? null;
  }
  /** The input gain applied now (0–2), or null outside voice. */
  get inputGain(): number | null {
    return this.#open?.mic.gain ?? null;
  }
  get output(): AudioOutput | null {
    return this.#open?.output ?? null;
  }
  get mic(): MicrophoneInput | null {
    return this.#open?.mic ?? null;
  }
  get context(): AudioContext | null {
    return this.#open?.context ?? null;
  }
  get inputLevel(): number {
    return dbToLevel(this.#lastDb);
  }
  get lastAudibleAt(): number | null {
    return this.#lastAudibleAt;
  }
  get pushToTalkActive(): boolean {
    return this.#ptt.active;
  }
  get speaking(): boolean {
    return this.#detector.speaking;
  }
  get thresholdDb(): number {
    return this.#detector.thresholdDb;
  }

  inputKey(): string {
    const s = this.#settings.settings;
    return deviceKey({ deviceId: s.inputDeviceId, label: s.inputDeviceLabel });
  }

  mediaDevices(): MediaDevices {
    const md = this.#options.mediaDevices ?? globalThis.navigator?.mediaDevices;
    if (!md)
      throw new Error('navigator.mediaDevices is unavailable (needs a secure context: https or localhost)');
    return md;
  }

  async open(): Promise<void> {
    if (this.#open) return;
    const mediaDevices = this.mediaDevices();
    const context = (this.#options.createAudioContext ?? (() => new AudioContext()))();
    const mic = new MicrophoneInput(mediaDevices, context, this.#settings.settings.inputVolume);
    const output = new AudioOutput(context, this.#options.audioContainer ?? globalThis.document.body);
    try {
      await mic.open(this.#micOptions(this.#settings.settings.inputDeviceId));
    } catch (error) {
      mic.close();
      output.close();
      void context.close().catch(() => undefined);
      throw error;
    }
    const levelTimer = setInterval(() => this.#sampleLevel(), 50);
    const open: Open = { context, mic, output, levelTimer, defaultLabelAtOpen: null };
    this.#open = open;
    open.defaultLabelAtOpen = await this.#defaultLabel();
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    output.setDeafened(this.#settings.settings.selfDeaf);
    const sink = this.#settings.settings.outputDeviceId;
    if (sink !== 'default')
      await output.setSinkId(sink).catch((e: unknown) => log.warn('output device unavailable', e));
    mediaDevices.addEventListener('devicechange', this.#onDeviceChange);
    if (this.#settings.settings.inputMode === 'pushToTalk')
      this.#ptt.attach(this.#options.keyTarget ?? globalThis);
    this.applyTransmit();
  }

  close(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    clearInterval(open.levelTimer);
    this.#ptt.detach();
    this.mediaDevices().removeEventListener('devicechange', this.#onDeviceChange);
    open.output.close();
    open.mic.close();
    void open.context.close().catch(() => undefined);
    if (this.#detector.reset() === false) this.emit('speaking', false);
    this.#lastDb = -100;
  }

  // ── gating ─────────────────────────────────────────────────────────────────────────────────────

  transmitting(): boolean {
    const s = this.#settings.settings;
    if (s.selfMute || s.selfDeaf) return false;
    return s.inputMode === 'voiceActivity' || this.#ptt.active;
  }

  /** Enable the track only when sending is allowed; stop the speaking ring when it is not. */
  applyTransmit(): void {
    const on = this.transmitting();
    this.#open?.mic.setEnabled(on);
    this.#open?.output.setDeafened(this.#settings.settings.selfDeaf);
    if (!on && this.#detector.reset() === false) this.emit('speaking', false);
  }

  setPushToTalk(active: boolean): void {
    this.#ptt.setActive(active);
  }

  setInputMode(mode: InputMode): void {
    this.#settings.update({ inputMode: mode });
    if (this.#open && mode === 'pushToTalk') this.#ptt.attach(this.#options.keyTarget ?? globalThis);
    else this.#ptt.detach();
    this.applyTransmit();
  }

  setPushToTalkKey(code: string, releaseMs?: number): void {
    this.#ptt.key = code;
    if (releaseMs !== undefined) this.#ptt.releaseMs = Math.max(0, releaseMs);
    this.#settings.update({ pushToTalkKey: code, pushToTalkReleaseMs: this.#ptt.releaseMs });
  }

  /** Input volume 0–200 (%): remembered, and applied at once to what peers hear. Returns the clamped value. */
  setInputVolume(percent: number): number {
    const value = this.#settings.setInputVolume(percent);
    this.#open?.mic.setVolume(value);
    return value;
  }

  setSpeakingThreshold(db: number): void {
    this.#detector.thresholdDb = db;
    this.#settings.updateDeviceSettings(this.inputKey(), { speakingThresholdDb: db });
  }

  // ── devices ────────────────────────────────────────────────────────────────────────────────────

  async setInputDevice(deviceId: string): Promise<void> {
    const devices = await this.mediaDevices().enumerateDevices();
    const label = devices.find((d) => d.kind === 'audioinput' && d.deviceId === deviceId)?.label || null;
    this.#settings.update({ inputDeviceId: deviceId, inputDeviceLabel: label });
    this.#detector.thresholdDb = this.#settings.deviceSettings(this.inputKey()).speakingThresholdDb;
    await this.#reopenMic(deviceId);
  }

  async setOutputDevice(deviceId: string): Promise<void> {
    const devices = await this.mediaDevices().enumerateDevices();
    const label = devices.find((d) => d.kind === 'audiooutput' && d.deviceId === deviceId)?.label || null;
    await this.#open?.output.setSinkId(deviceId);
    this.#settings.update({ outputDeviceId: deviceId, outputDeviceLabel: label });
  }

  async setAudioProcessing(patch: Partial<AudioProcessing>): Promise<void> {
    this.#settings.updateDeviceSettings(this.inputKey(), patch);
    const current = this.#open?.mic.options?.deviceId;
    if (current) await this.#reopenMic(current);
  }

  processing(): AudioProcessing {
    return this.#settings.deviceSettings(this.inputKey());
  }

  async #reopenMic(deviceId: string): Promise<void> {
    const open = this.#open;
    if (!open) return;
    // The new device goes behind the same gain: peers keep their track, nothing to replace or renegotiate.
    await open.mic.open(this.#micOptions(deviceId));
    open.defaultLabelAtOpen = await this.#defaultLabel();
    this.applyTransmit();
  }

  #micOptions(deviceId: string) {
    const d = this.#settings.deviceSettings(this.inputKey());
    return {
      deviceId,
      echoCancellation: d.echoCancellation,
      noiseSuppression: d.noiseSuppression,
      autoGainControl: d.autoGainControl,
    };
  }

  async #defaultLabel(): Promise<string | null> {
    const devices = await this.mediaDevices().enumerateDevices();
    return devices.find((d) => d.kind === 'audioinput' && d.deviceId === 'default')?.label ?? null;
  }

  readonly #onDeviceChange = (): void => {
    void this.#handleDeviceChange().catch((error: unknown) =>
      log.error('device change handling failed', error),
    );
  };

  async #handleDeviceChange(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    const all = await this.mediaDevices().enumerateDevices();
    this.emit('devicesChange', all);
    const s = this.#settings.settings;
    const plan = planDeviceChange({
      devices: all.filter((d) => d.kind === 'audioinput'),
      preferredId: s.inputDeviceId,
      preferredLabel: s.inputDeviceLabel,
      activeId: open.mic.options?.deviceId ?? 'default',
      defaultLabelAtOpen: open.defaultLabelAtOpen,
    });
    if (plan.action === 'fallback') {
      log.warn(`microphone "${plan.lostLabel}" disconnected; using the system default`);
      this.emit('deviceFallback', {
        kind: 'audioinput',
        lostDeviceId: plan.lostDeviceId,
        lostLabel: plan.lostLabel,
        nowDeviceId: 'default',
      });
      await this.#reopenMic('default');
    } else if (plan.action === 'restore') {
      log.info(`microphone "${s.inputDeviceLabel ?? plan.deviceId}" is back; switching to it`);
      await this.#reopenMic(plan.deviceId);
    } else if (plan.action === 'followDefault') {
      log.info('system default microphone changed; following it');
      await this.#reopenMic('default');
    }
    const out = s.outputDeviceId;
    const outPresent = all.some((d) => d.kind === 'audiooutput' && d.deviceId === out);
    if (out !== 'default' && open.output.sinkId === out && !outPresent) {
      const lostLabel = s.outputDeviceLabel ?? out;
      log.warn(`output device "${lostLabel}" disconnected; using the system default`);
      this.emit('deviceFallback', {
        kind: 'audiooutput',
        lostDeviceId: out,
        lostLabel,
        nowDeviceId: 'default',
      });
      await open.output.setSinkId('default').catch(() => undefined);
    } else if (out !== 'default' && open.output.sinkId !== out && outPresent) {
      await open.output.setSinkId(out).catch(() => undefined);
    }
  }

  #sampleLevel(): void {
    const open = this.#open;
    if (!open) return;
    const db = rmsDb(open.mic.readSamples());
    this.#lastDb = db;
    if (db > this.#detector.thresholdDb) this.#lastAudibleAt = Date.now();
    this.emit('inputLevel', dbToLevel(db));
    if (!this.transmitting()) return;
    const changed = this.#detector.update(db, performance.now());
    if (changed !== null) this.emit('speaking', changed);
  }
}
