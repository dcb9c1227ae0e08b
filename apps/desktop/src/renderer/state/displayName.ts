/** 1–32 visible characters, as the gateway enforces (it trims and rejects control characters). */
export const DISPLAY_NAME_MAX = 32;

/** The name to send (trimmed) or an error message to show under the field. */
export function checkDisplayName(raw: string): { ok: true; name: string } | { ok: false; error: string } {
  const name = raw.trim();
  if (/\p{Cc}/u.test(name)) return { ok: false, error: 'Display name cannot contain control characters.' };
  const visible = name.replace(/[\p{Cf}\p{Z}]/gu, '');
  if (visible.length === 0) return { ok: false, error: 'Enter a display name.' };
  if ([...name].length > DISPLAY_NAME_MAX || name.length > DISPLAY_NAME_MAX) {
    return { ok: false, error: `Display name must be at most ${DISPLAY_NAME_MAX} characters.` };
  }
  return { ok: true, name };
}
