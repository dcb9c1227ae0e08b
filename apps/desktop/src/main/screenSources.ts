/**
 * 🖥️ The screen-share picker's logic in the main process, without importing `electron` (unit-tested under
 * plain Node; main.ts does the wiring). Two jobs:
 * 1. Shape `desktopCapturer.getSources()` results into the list the renderer's picker shows: screens first
 *    ("Entire screen", or "Screen 1", "Screen 2"… when there are several), then windows by name; windows
 *    that cannot be shown (empty thumbnail: minimised or off-screen) and Miscord's own windows dropped
 *    (sharing the call into itself would loop); names cleaned and bounded; thumbnails as size-capped data URLs.
 * 2. Decide what the `setDisplayMediaRequestHandler` callback is given for the user's choice: the chosen
 *    source, and Windows loopback audio only when it is safe (see packages/client/src/screen/shareAudio.ts:
 *    the voice chat must never be re-sent inside shared audio). Ids that were not offered are refused.
 */
import { MAX_PICKER_SOURCES, type PickerSource, type ScreenChoice } from '../shared/screenIpc';

/** The part of Electron's NativeImage used here; a real NativeImage satisfies it. */
export interface NativeImageLike {
  isEmpty(): boolean;
  toDataURL(): string;
  getSize(): { width: number; height: number };
  resize(options: { width?: number; height?: number; quality?: 'good' | 'better' | 'best' }): NativeImageLike;
}

/** The part of Electron's DesktopCapturerSource used here. */
export interface CapturerSource {
  readonly id: string;
  readonly name: string;
  readonly display_id: string;
  readonly thumbnail: NativeImageLike;
  /** Null for screens, and for windows unless `fetchWindowIcons` was set. */
  readonly appIcon: NativeImageLike | null;
}

/** What main.ts passes to `desktopCapturer.getSources`: thumbnails big enough for a 16:9 tile. */
export const SOURCE_REQUEST = {
  types: ['screen', 'window'] as Array<'screen' | 'window'>,
  thumbnailSize: { width: 320, height: 180 },
  fetchWindowIcons: true,
};

export interface ShapeOptions {
  /** `BrowserWindow.getMediaSourceId()` of every Miscord window (main window, screen pop-outs). */
  readonly ownWindowSourceIds?: readonly string[];
  /** Longest name shown; longer ones end in "…". */
  readonly maxNameLength?: number;
  /** Thumbnails wider than this are scaled down before encoding. */
  readonly maxThumbnailWidth?: number;
  /** A data URL longer than this is not sent over IPC (the tile shows a placeholder). */
  readonly maxThumbnailChars?: number;
  readonly maxIconWidth?: number;
}

export const DEFAULT_MAX_NAME_LENGTH = 80;
export const DEFAULT_MAX_THUMBNAIL_WIDTH = 320;
/** 320×180 PNGs of busy screens measure 60–120 KB as base64; 256 KiB bounds a pathological one. */
export const DEFAULT_MAX_THUMBNAIL_CHARS = 256 * 1024;
export const DEFAULT_MAX_ICON_WIDTH = 32;

/** `screen:ZZ:0` or `window:XX:YY` (Electron's formats); XX may be a large handle. */
const SOURCE_ID = /^(screen|window):([A-Za-z0-9_-]{1,64}):(\d{1,20})$/;

export function parseSourceId(
  id: string,
): { kind: 'screen' | 'window'; handle: string; owner: string } | null {
  const match = SOURCE_ID.exec(id);
  if (!match) return null;
  return { kind: match[1] as 'screen' | 'window', handle: match[2] as string, owner: match[3] as string };
}

/**
 * Miscord's own windows: listed in `ownWindowSourceIds` (compared by kind and handle, since the last
 * part names a tab inside the window), or marked by Electron as belonging to this process (`window:XX:1`).
 */
function isOwnWindow(id: { kind: string; handle: string; owner: string }, own: readonly string[]): boolean {
  if (id.kind !== 'window') return false;
  if (id.owner === '1') return true;
  return own.some((ownId) => {
    const parsed = parseSourceId(ownId);
    return parsed?.kind === 'window' && parsed.handle === id.handle;
  });
}

// Control characters (C0/C1) and format characters (bidi overrides and isolates, zero-width ones): a window
// title can carry them to spoof what the picker shows.
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}]/gu;

/** Trimmed, single-spaced, without control or direction-changing characters, at most `max` characters. */
export function cleanSourceName(name: string, max = DEFAULT_MAX_NAME_LENGTH): string {
  const clean = name.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  if (chars.length <= max) return clean;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

const DATA_URL = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;

/** A data URL of the image, scaled down to `maxWidth`, or null when empty, malformed or too big. */
export function imageToDataUrl(
  image: NativeImageLike | null,
  maxWidth: number,
  maxChars: number,
): string | null {
  if (!image || image.isEmpty()) return null;
  const { width } = image.getSize();
  const scaled = width > maxWidth ? image.resize({ width: maxWidth, quality: 'good' }) : image;
  const url = scaled.toDataURL();
  if (url.length > maxChars || !DATA_URL.test(url)) return null;
  return url;
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The picker's list, from `desktopCapturer.getSources()`. */
export function shapeSources(sources: readonly CapturerSource[], options: ShapeOptions = {}): PickerSource[] {
  const own = options.ownWindowSourceIds ?? [];
  const maxName = options.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH;
  const maxWidth = options.maxThumbnailWidth ?? DEFAULT_MAX_THUMBNAIL_WIDTH;
  const maxChars = options.maxThumbnailChars ?? DEFAULT_MAX_THUMBNAIL_CHARS;
  const maxIcon = options.maxIconWidth ?? DEFAULT_MAX_ICON_WIDTH;

  const screens: PickerSource[] = [];
  const windows: PickerSource[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const id = parseSourceId(source.id);
    if (!id || seen.has(source.id) || isOwnWindow(id, own)) continue;
    // Empty thumbnail: a minimised or hidden window, or a screen we may not capture (macOS permission).
    if (source.thumbnail.isEmpty()) continue;
    seen.add(source.id);
    // Null when too big or malformed: the tile shows a placeholder, the source stays choosable.
    const thumbnail = imageToDataUrl(source.thumbnail, maxWidth, maxChars);
    const shaped: PickerSource = {
      id: source.id,
      kind: id.kind,
      name: cleanSourceName(source.name, maxName),
      thumbnail,
      appIcon: id.kind === 'window' ? imageToDataUrl(source.appIcon, maxIcon, maxChars) : null,
      displayId: source.display_id === '' ? null : source.display_id,
    };
    (id.kind === 'screen' ? screens : windows).push(shaped);
  }
  // Electron lists screens in display order; name them by position, not by their id's number.
  const namedScreens = screens.map((screen, i) => ({
    ...screen,
    name: screens.length === 1 ? 'Entire screen' : `Screen ${i + 1}`,
  }));
  const namedWindows = windows.map((window) => ({ ...window, name: window.name || 'Untitled window' }));
  namedWindows.sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // The reply schema holds MAX_PICKER_SOURCES: past that, keep every screen and the first windows by name.
  return [...namedScreens, ...namedWindows].slice(0, MAX_PICKER_SOURCES);
}

/** What the `setDisplayMediaRequestHandler` callback receives (Electron's `Streams`, minus frames). */
export interface DisplayMediaGrant {
  readonly video: { readonly id: string; readonly name: string };
  readonly audio?: 'loopback';
}

export type DisplayMediaDecision =
  | { readonly grant: true; readonly streams: DisplayMediaGrant }
  /** Call the callback with null: getDisplayMedia rejects with NotAllowedError. */
  | { readonly grant: false; readonly reason: string };

export interface DisplayMediaContext {
  /** `request.audioRequested`: the page asked for audio in getDisplayMedia. */
  readonly audio: boolean;
  /** `process.platform`. */
  readonly platform: string;
  /**
   * The running Electron maps `restrictOwnAudio` to loopback without its own process
   * (electron/electron#52455); without it, Windows loopback would carry the voice chat. Default false.
   */
  readonly loopbackExcludesOwnAudio?: boolean;
}

/**
 * Whether the Electron this app ships keeps its own playback (the voice chat) out of Windows loopback: the
 * `loopbackExcludesOwnAudio` main.ts passes. **False until checked on Windows.** electron/electron#52455
 * (fixing #52427; shipped in 43.4+, so it should be in 45) maps loopback to Chromium's
 * `loopbackWithoutChrome` device, but only when the page's getDisplayMedia asked for `restrictOwnAudio` —
 * which the display-media handler cannot see (its request carries `audioRequested` only) — and only on
 * Windows builds whose process-loopback API works (Vesktop measured 19041 failing, 19045 working;
 * Vencord/Vesktop#1309). Until a test on Windows shows the call absent from the shared audio, the rule wins
 * over the feature.
 */
export const ELECTRON_LOOPBACK_EXCLUDES_OWN_AUDIO = false;

/**
 * Whether main can give screen audio at all: the `audioAvailable` of the `screen:listSources` reply, and the
 * same rule `resolveDisplayMediaRequest` enforces (the renderer is told, never trusted).
 */
export function isLoopbackAudioAvailable(context: Omit<DisplayMediaContext, 'audio'>): boolean {
  return context.platform === 'win32' && context.loopbackExcludesOwnAudio === true;
}

/**
 * The answer to a getDisplayMedia request for the user's choice among the sources the picker offered.
 * `null` (picker closed) and ids never offered are refused; audio is Windows loopback, and only when the
 * page asked for it, the user ticked it, and the voice chat stays out of it. `loopbackWithMute` is never
 * used: it would silence the call for the sharer.
 */
export function resolveDisplayMediaRequest(
  selection: ScreenChoice | null,
  offered: readonly PickerSource[],
  context: DisplayMediaContext,
): DisplayMediaDecision {
  if (selection === null) return { grant: false, reason: 'no source chosen (picker closed)' };
  const source = offered.find((candidate) => candidate.id === selection.sourceId);
  if (!source) {
    return { grant: false, reason: `source ${JSON.stringify(selection.sourceId)} was not offered` };
  }
  const video = { id: source.id, name: source.name };
  const loopback = selection.audio && context.audio && isLoopbackAudioAvailable(context);
  return { grant: true, streams: loopback ? { video, audio: 'loopback' } : { video } };
}
