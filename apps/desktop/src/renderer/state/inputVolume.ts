/**
 * Before the voice session had an input gain, the renderer kept the input volume (then for the mic test
 * only) under its own localStorage key. It now lives in the client's voice settings
 * (`voice.settings.inputVolume`); this hands the old value over once.
 */
const LEGACY_KEY = 'miscord.inputVolume';

/** The old value, removing it; null when there is none or it is not a number. Not clamped: the session does. */
export function takeLegacyInputVolume(storage: Pick<Storage, 'getItem' | 'removeItem'>): number | null {
  let text: string | null;
  try {
    text = storage.getItem(LEGACY_KEY);
    if (text !== null) storage.removeItem(LEGACY_KEY);
  } catch {
    return null; // storage disabled: nothing to migrate
  }
  if (text === null) return null;
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : null;
}
