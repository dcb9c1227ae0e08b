import type { AudioProcessing, InputMode } from '../voice/types';
import type { SettingsStore } from './SettingsStore';

/** Settings remembered per input device (keyed by label, falling back to id). */
export interface DeviceSettings extends AudioProcessing {
  /** Speaking threshold in dBFS (-100 … 0); lower is more sensitive. */
  readonly speakingThresholdDb: number;
}

export interface VoiceSettings {
  /** `'default'` follows the system default device. */
  readonly inputDeviceId: string;
  readonly inputDeviceLabel: string | null;
  readonly outputDeviceId: string;
  readonly outputDeviceLabel: string | null;
  /** Microphone gain 0–200 (%) applied to what peers hear (not per device: it is how loud you want to be). */
  readonly inputVolume: number;
  readonly inputMode: InputMode;
  /** `KeyboardEvent.code` of the push-to-talk key in the window. */
  readonly pushToTalkKey: string;
  /** Release delay of push-to-talk, ms. */
  readonly pushToTalkReleaseMs: number;
  /** How long speaking stays on after the level drops below the threshold, ms. */
  readonly speakingHangoverMs: number;
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
  /** userId → 0..200. */
  readonly userVolumes: Readonly<Record<string, number>>;
  readonly userMutes: Readonly<Record<string, boolean>>;
  readonly devices: Readonly<Record<string, DeviceSettings>>;
}

export const defaultDeviceSettings: DeviceSettings = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  speakingThresholdDb: -50,
};

export const defaultVoiceSettings: VoiceSettings = {
  inputDeviceId: 'default',
  inputDeviceLabel: null,
  outputDeviceId: 'default',
  outputDeviceLabel: null,
  inputVolume: 100,
  inputMode: 'voiceActivity',
  pushToTalkKey: 'KeyV',
  pushToTalkReleaseMs: 200,
  speakingHangoverMs: 300,
  selfMute: false,
  selfDeaf: false,
  userVolumes: {},
  userMutes: {},
  devices: {},
};

const STORAGE_KEY = 'voice-settings.v1';

/** Key under which per-device settings are kept: labels survive reboots; ids are per origin. */
export function deviceKey(device: { deviceId: string; label?: string | null }): string {
  return device.label ? `label:${device.label}` : `id:${device.deviceId}`;
}

export const clampVolume = (percent: number): number =>
  Number.isFinite(percent) ? Math.min(200, Math.max(0, Math.round(percent))) : 100;

/** Read the persisted settings, tolerating missing or corrupt data field by field. */
export function parseVoiceSettings(text: string | null): VoiceSettings {
  if (!text) return defaultVoiceSettings;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return defaultVoiceSettings;
  }
  if (typeof raw !== 'object' || raw === null) return defaultVoiceSettings;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' && v.length > 0 ? v : d);
  const strOrNull = (v: unknown) => (typeof v === 'string' ? v : null);
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const num = (v: unknown, d: number, min: number, max: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d;
  const record = <T>(v: unknown, each: (x: unknown) => T | undefined): Record<string, T> => {
    const out: Record<string, T> = {};
    if (typeof v !== 'object' || v === null) return out;
    for (const [k, x] of Object.entries(v)) {
      const parsed = each(x);
      if (parsed !== undefined) out[k] = parsed;
    }
    return out;
  };
  const d = defaultVoiceSettings;
  return {
    inputDeviceId: str(r.inputDeviceId, d.inputDeviceId),
    inputDeviceLabel: strOrNull(r.inputDeviceLabel),
    outputDeviceId: str(r.outputDeviceId, d.outputDeviceId),
    outputDeviceLabel: strOrNull(r.outputDeviceLabel),
    inputVolume: typeof r.inputVolume === 'number' ? clampVolume(r.inputVolume) : d.inputVolume,
    inputMode: r.inputMode === 'pushToTalk' ? 'pushToTalk' : 'voiceActivity',
    pushToTalkKey: str(r.pushToTalkKey, d.pushToTalkKey),
    pushToTalkReleaseMs: num(r.pushToTalkReleaseMs, d.pushToTalkReleaseMs, 0, 2_000),
    speakingHangoverMs: num(r.speakingHangoverMs, d.speakingHangoverMs, 0, 5_000),
    selfMute: bool(r.selfMute, d.selfMute),
    selfDeaf: bool(r.selfDeaf, d.selfDeaf),
    userVolumes: record(r.userVolumes, (x) => (typeof x === 'number' ? clampVolume(x) : undefined)),
    userMutes: record(r.userMutes, (x) => (typeof x === 'boolean' ? x : undefined)),
    devices: record(r.devices, (x) => {
      if (typeof x !== 'object' || x === null) return undefined;
      const o = x as Record<string, unknown>;
      const dd = defaultDeviceSettings;
      return {
        echoCancellation: bool(o.echoCancellation, dd.echoCancellation),
        noiseSuppression: bool(o.noiseSuppression, dd.noiseSuppression),
        autoGainControl: bool(o.autoGainControl, dd.autoGainControl),
        speakingThresholdDb: num(o.speakingThresholdDb, dd.speakingThresholdDb, -100, 0),
      };
    }),
  };
}

/** Voice settings over a SettingsStore: read once, written through on every change. */
export class VoiceSettingsRepository {
  readonly #store: SettingsStore;
  #settings: VoiceSettings;

  constructor(store: SettingsStore) {
    this.#store = store;
    this.#settings = parseVoiceSettings(store.get(STORAGE_KEY));
  }

  get settings(): VoiceSettings {
    return this.#settings;
  }

  update(patch: Partial<VoiceSettings>): VoiceSettings {
    this.#settings = { ...this.#settings, ...patch };
    this.#store.set(STORAGE_KEY, JSON.stringify(this.#settings));
    return this.#settings;
  }

  deviceSettings(key: string): DeviceSettings {
    return this.#settings.devices[key] ?? defaultDeviceSettings;
  }

  updateDeviceSettings(key: string, patch: Partial<DeviceSettings>): DeviceSettings {
    const next = { ...this.deviceSettings(key), ...patch };
    this.update({ devices: { ...this.#settings.devices, [key]: next } });
    return next;
  }

  setInputVolume(percent: number): number {
    const value = clampVolume(percent);
    this.update({ inputVolume: value });
    return value;
  }

  setUserVolume(userId: string, percent: number): number {
    const value = clampVolume(percent);
    this.update({ userVolumes: { ...this.#settings.userVolumes, [userId]: value } });
    return value;
  }

  setUserMuted(userId: string, muted: boolean): void {
    const next = { ...this.#settings.userMutes };
    if (muted) next[userId] = true;
    else delete next[userId];
    this.update({ userMutes: next });
  }
}
