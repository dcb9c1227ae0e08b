export type DisplayNameCheck = { ok: true; value: string } | { ok: false; message: string };

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Control characters, line/paragraph separators and private-use code points. */
const forbidden = /[\p{Cc}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u;
/** A grapheme that shows something: not only spaces or invisible format characters. */
const visible = /[^\s\p{Cf}\p{Mn}\p{Me}]/u;

/** 1–32 visible characters after trimming; the message says what is wrong. */
export function checkDisplayName(raw: string): DisplayNameCheck {
  const value = raw.normalize('NFC').trim();
  if (forbidden.test(value)) {
    return { ok: false, message: 'displayName must not contain control or invisible separator characters' };
  }
  const graphemes = [...segmenter.segment(value)].length;
  if (graphemes === 0 || !visible.test(value)) {
    return { ok: false, message: 'displayName must have at least 1 visible character' };
  }
  if (graphemes > 32 || [...value].length > 32) {
    return { ok: false, message: 'displayName must have at most 32 characters' };
  }
  return { ok: true, value };
}
