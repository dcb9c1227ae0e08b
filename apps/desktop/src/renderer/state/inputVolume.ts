/**
 * Microphone gain 0–200 %, remembered in localStorage. packages/client's VoiceSession has no input gain
 * yet, so it applies to the mic test only (see the README's "Gaps").
 */
const KEY = 'miscord.inputVolume';

export function loadInputVolume(storage: Pick<Storage, 'getItem'>): number {
  const value = Number(storage.getItem(KEY));
  return storage.getItem(KEY) !== null && Number.isFinite(value)
    ? Math.min(200, Math.max(0, Math.round(value)))
    : 100;
}

export function saveInputVolume(storage: Pick<Storage, 'setItem'>, percent: number): void {
  storage.setItem(KEY, String(Math.min(200, Math.max(0, Math.round(percent)))));
}
