/** The voice settings the settings modal edits (the renderer's view of packages/client's settings). */
export type InputMode = 'voiceActivity' | 'pushToTalk';

export interface AudioSettingsView {
  /** `default` = the system default device. */
  readonly inputDeviceId: string;
  readonly outputDeviceId: string;
  /** Microphone gain, 0–200 (%). */
  readonly inputVolume: number;
  /** Voice activity threshold in dBFS, −100 (everything) … 0 (nothing). */
  readonly sensitivityDb: number;
  readonly inputMode: InputMode;
  /** `KeyboardEvent.code` of the push-to-talk key, or null when none is bound. */
  readonly pushToTalkKey: string | null;
  readonly echoCancellation: boolean;
  readonly noiseSuppression: boolean;
  readonly autoGainControl: boolean;
}

export interface DeviceOption {
  readonly deviceId: string;
  readonly label: string;
}

export const DEFAULT_DEVICE_ID = 'default';
export const LEVEL_FLOOR_DB = -100;

/** Fraction 0–1 of a meter spanning LEVEL_FLOOR_DB … 0 dBFS. */
export function meterFraction(db: number): number {
  if (!Number.isFinite(db)) return 0;
  return Math.min(1, Math.max(0, (db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB));
}

/**
 * VoiceSession's `inputLevel` event is a meter fraction over the same −100…0 dBFS span (packages/client's
 * `dbToLevel`); back to dBFS for the threshold comparison. 0 means silence.
 */
export function meterLevelToDb(level: number): number {
  if (!Number.isFinite(level) || level <= 0) return Number.NEGATIVE_INFINITY;
  return Math.min(1, level) * -LEVEL_FLOOR_DB + LEVEL_FLOOR_DB;
}

/** Readable name of a KeyboardEvent.code: `KeyV` → `V`, `Digit1` → `1`, `ShiftLeft` → `Left Shift`. */
export function keyLabel(code: string): string {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit\d$/.test(code)) return code.slice(5);
  if (/^Numpad\d$/.test(code)) return `Numpad ${code.slice(6)}`;
  const side = /^(Shift|Control|Alt|Meta)(Left|Right)$/.exec(code);
  if (side) return `${side[2]} ${side[1] === 'Control' ? 'Ctrl' : side[1]}`;
  if (code === 'Backquote') return '`';
  return code;
}

/** Device options with the default first and unlabeled devices named by position. */
export function deviceOptions(
  devices: readonly MediaDeviceInfo[],
  kind: 'audioinput' | 'audiooutput',
): DeviceOption[] {
  const ofKind = devices.filter((device) => device.kind === kind && device.deviceId !== '');
  const noun = kind === 'audioinput' ? 'Microphone' : 'Speaker';
  const options: DeviceOption[] = [{ deviceId: DEFAULT_DEVICE_ID, label: 'Default' }];
  ofKind.forEach((device, index) => {
    if (device.deviceId === DEFAULT_DEVICE_ID) return;
    options.push({ deviceId: device.deviceId, label: device.label || `${noun} ${index + 1}` });
  });
  return options;
}
