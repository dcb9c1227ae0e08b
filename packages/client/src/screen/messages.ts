/**
 * 🖥️ Screen-share messages between two members, sent over the simple-peer data channel (`peer.send`) that
 * every voice connection already has. Peer to peer on purpose: watching is a matter between a viewer and a
 * sharer, the gateway has no reason to see it, and the protocol stays unchanged (a SIGNAL `data` variant
 * would need a protocol change and spend the SIGNAL rate limit on UI clicks).
 *
 * Every message is a small JSON object `{ v: 1, type: 'screen.*', … }`. `v` is the version of this message
 * set: a receiver refuses versions it does not know (and logs them) instead of guessing. Types outside
 * `screen.*` are not ours: the decoder answers `notScreen` so other users of the channel can take them.
 *
 * Anything from the network is validated here (TypeBox) and never trusted: size cap, UTF-8, JSON, schema.
 */
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ScreenPresetId } from './presets';

export const SCREEN_MESSAGE_VERSION = 1;
/** The largest screen message is a viewer list of a full channel (99 ids of ≤64 chars) ≈ 6.7 KB. */
export const MAX_SCREEN_MESSAGE_BYTES = 8 * 1024;
/** A voice channel holds at most 99 members (protocol `userLimit`), so at most 98 viewers. */
export const MAX_VIEWERS = 99;

const strict = { additionalProperties: false } as const;

/** Minted by the sharer for each share (random), so a request about an earlier share cannot leak into a new one. */
export const ShareId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/**
 * The MediaStream id of the share (the msid the receiver sees on its tracks): how a viewer tells this
 * share's tracks from the microphone's and from an earlier share's still being renegotiated away.
 * Chromium's are UUIDs; Firefox wraps them in braces.
 */
export const StreamId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9{}_.:-]+$' });
/** Same shape as the protocol's ids (user ids). */
const MemberId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Version = Type.Literal(SCREEN_MESSAGE_VERSION);
const PresetIdSchema = Type.Union(Object.values(ScreenPresetId).map((id) => Type.Literal(id)));

/** sharer → each peer: "I am sharing" (sent at start, on preset change, and to members who join later). */
export const ScreenShareMessage = Type.Object(
  {
    v: Version,
    type: Type.Literal('screen.share'),
    shareId: ShareId,
    streamId: StreamId,
    preset: Type.Unsafe<ScreenPresetId>(PresetIdSchema),
    audio: Type.Boolean(),
  },
  strict,
);

/** sharer → each peer: the share is over (stopped in the app or by the system's "stop sharing"). */
export const ScreenEndMessage = Type.Object(
  { v: Version, type: Type.Literal('screen.end'), shareId: ShareId },
  strict,
);

/** viewer → sharer: please send me this share. */
export const ScreenWatchMessage = Type.Object(
  { v: Version, type: Type.Literal('screen.watch'), shareId: ShareId },
  strict,
);

/** viewer → sharer: stop sending me this share. */
export const ScreenUnwatchMessage = Type.Object(
  { v: Version, type: Type.Literal('screen.unwatch'), shareId: ShareId },
  strict,
);

/** sharer → each peer: who watches now (the "3 watching" badge). */
export const ScreenViewersMessage = Type.Object(
  {
    v: Version,
    type: Type.Literal('screen.viewers'),
    shareId: ShareId,
    viewers: Type.Array(MemberId, { maxItems: MAX_VIEWERS, uniqueItems: true }),
  },
  strict,
);

export const ScreenMessage = Type.Union([
  ScreenShareMessage,
  ScreenEndMessage,
  ScreenWatchMessage,
  ScreenUnwatchMessage,
  ScreenViewersMessage,
]);
export type ScreenMessage = Static<typeof ScreenMessage>;
export type ScreenMessageType = ScreenMessage['type'];
export type ScreenShareMessage = Static<typeof ScreenShareMessage>;
export type ScreenViewersMessage = Static<typeof ScreenViewersMessage>;

interface ValidationError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: unknown;
  readonly message: string;
}

interface Validator {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<ValidationError>;
}

/** The deepest problem, worded for a log line: unions of literals read "must be one of …". */
function describeProblem(errors: Iterable<ValidationError>): string {
  let best: { path: string; message: string } | undefined;
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const path = error.instancePath || '/';
    let message = error.message;
    if (error.keyword === 'boolean') message = 'is not allowed';
    if (error.keyword === 'const') {
      const values = allowed.get(path) ?? [];
      values.push((error.params as { allowedValue?: unknown }).allowedValue);
      allowed.set(path, values);
      message = `must be one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;
      if (best?.path === path) best = { path, message };
    }
    if (!best || path.length > best.path.length) best = { path, message };
  }
  return best ? `${best.path} ${best.message}` : '/ is invalid';
}

// Validators per type: a union's errors would name every member; one member's errors name the problem.
const validators = new Map<string, Validator>(
  [ScreenShareMessage, ScreenEndMessage, ScreenWatchMessage, ScreenUnwatchMessage, ScreenViewersMessage].map(
    (schema) => [schema.properties.type.const, Compile(schema) as unknown as Validator],
  ),
);

export type ScreenDecodeResult =
  | { readonly ok: true; readonly message: ScreenMessage }
  /** Not a screen message (another feature's data, or not JSON): pass it on, do not log it as an error. */
  | { readonly ok: false; readonly reason: 'notScreen' }
  /** A screen message from a newer client: ignore it, log once. */
  | { readonly ok: false; readonly reason: 'unsupportedVersion'; readonly error: string }
  /** A broken screen message: ignore it, log it with the peer's id. */
  | { readonly ok: false; readonly reason: 'invalid'; readonly error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(raw: unknown): string | { error: string } | null {
  if (typeof raw === 'string') return raw;
  let bytes: Uint8Array;
  if (raw instanceof Uint8Array) bytes = raw;
  else if (raw instanceof ArrayBuffer) bytes = new Uint8Array(raw);
  else return null;
  if (bytes.byteLength > MAX_SCREEN_MESSAGE_BYTES) {
    return { error: `message of ${bytes.byteLength} bytes exceeds ${MAX_SCREEN_MESSAGE_BYTES}` };
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decode one data-channel message (string, Buffer/Uint8Array or ArrayBuffer, as simple-peer and
 * RTCDataChannel deliver them). Never throws.
 */
export function decodeScreenMessage(raw: unknown): ScreenDecodeResult {
  const text = asText(raw);
  if (text === null) return { ok: false, reason: 'notScreen' };
  if (typeof text !== 'string') return { ok: false, reason: 'invalid', error: text.error };
  // A string's UTF-8 size is at least its length; the exact check happens on bytes above.
  if (text.length > MAX_SCREEN_MESSAGE_BYTES) {
    return { ok: false, reason: 'invalid', error: `message exceeds ${MAX_SCREEN_MESSAGE_BYTES} bytes` };
  }
  if (!text.includes('"screen.')) return { ok: false, reason: 'notScreen' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'notScreen' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'notScreen' };
  }
  const { type, v } = value as { type?: unknown; v?: unknown };
  if (typeof type !== 'string' || !type.startsWith('screen.')) return { ok: false, reason: 'notScreen' };
  if (v !== SCREEN_MESSAGE_VERSION) {
    return {
      ok: false,
      reason: 'unsupportedVersion',
      error: `${type.slice(0, 32)}: version ${JSON.stringify(v)?.slice(0, 16)} (this client speaks ${SCREEN_MESSAGE_VERSION})`,
    };
  }
  const validator = validators.get(type);
  if (!validator) {
    return {
      ok: false,
      reason: 'invalid',
      error: `unknown type ${JSON.stringify(type.slice(0, 32))}; expected one of ${[...validators.keys()].join(', ')}`,
    };
  }
  if (!validator.Check(value)) {
    return { ok: false, reason: 'invalid', error: `${type}: ${describeProblem(validator.Errors(value))}` };
  }
  return { ok: true, message: value as ScreenMessage };
}

/** A fresh share id: 16 random bytes, base64url (22 characters), from the platform's CSPRNG. */
export function createShareId(
  fill: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = fill(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The text to hand to `peer.send()`. */
export function encodeScreenMessage(message: ScreenMessage): string {
  return JSON.stringify(message);
}

type WithoutVersion<M> = M extends ScreenMessage ? Omit<M, 'v'> : never;

/** Build a message of the current version: `screenMessage({ type: 'screen.watch', shareId })`. */
export function screenMessage(body: WithoutVersion<ScreenMessage>): ScreenMessage {
  return { v: SCREEN_MESSAGE_VERSION, ...body } as ScreenMessage;
}
