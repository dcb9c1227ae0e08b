/**
 * The screen-share part of the IPC contract (beside ipc.ts, same conventions): channel names
 * `screen:action`, and a TypeBox schema — the type and the validator at once — for every payload.
 *
 * Flow (the picker is Miscord's own UI, as in Discord):
 * 1. renderer → main `screen:listSources` (invoke, no payload) → `ListSourcesReply`: the tiles to show.
 * 2. renderer → main `screen:choose` (invoke, `ScreenChoice`) → `ChooseReply`. Main keeps the choice
 *    for one getDisplayMedia call, a few seconds at most.
 * 3. renderer calls `getDisplayMedia(...)`; main's `setDisplayMediaRequestHandler` answers with the kept
 *    choice (`resolveDisplayMediaRequest` in main/screenSources.ts), or refuses without one.
 * `screen:cancel` drops a kept choice (picker closed).
 */
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Validation } from './ipc';

export const ScreenIpcChannel = {
  /** renderer → main (invoke): the screens and windows that can be shared. */
  ListSources: 'screen:listSources',
  /** renderer → main (invoke): the source the user picked, and whether to share audio. */
  Choose: 'screen:choose',
  /** renderer → main (invoke): the picker closed without a choice. */
  Cancel: 'screen:cancel',
} as const;
export type ScreenIpcChannel = (typeof ScreenIpcChannel)[keyof typeof ScreenIpcChannel];

export const screenIpcChannels: readonly ScreenIpcChannel[] = Object.values(ScreenIpcChannel);

export function isScreenIpcChannel(value: unknown): value is ScreenIpcChannel {
  return typeof value === 'string' && (screenIpcChannels as readonly string[]).includes(value);
}

const strict = { additionalProperties: false } as const;

/** Electron's desktopCapturer ids: `screen:ZZ:0`, `window:XX:YY`. */
export const SourceId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^(screen|window):[A-Za-z0-9_-]{1,64}:[0-9]{1,20}$',
});

/** PNG/JPEG data URLs only: the renderer puts them in <img src>, nothing else may get through. */
const ImageDataUrl = Type.String({
  maxLength: 256 * 1024,
  pattern: '^data:image/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$',
});

export const PickerSource = Type.Object(
  {
    id: SourceId,
    kind: Type.Union([Type.Literal('screen'), Type.Literal('window')]),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    thumbnail: Type.Union([ImageDataUrl, Type.Null()]),
    appIcon: Type.Union([ImageDataUrl, Type.Null()]),
    /** The matching `screen.getAllDisplays()` id, for screens; null when unknown. */
    displayId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  },
  strict,
);
export type PickerSource = Static<typeof PickerSource>;

/** The most sources one `screen:listSources` reply carries. */
export const MAX_PICKER_SOURCES = 500;

export const ListSourcesReply = Type.Object(
  {
    sources: Type.Array(PickerSource, { maxItems: MAX_PICKER_SOURCES }),
    /** Whether the "share audio" switch is offered on this platform and Electron. */
    audioAvailable: Type.Boolean(),
  },
  strict,
);
export type ListSourcesReply = Static<typeof ListSourcesReply>;

export const ScreenChoice = Type.Object({ sourceId: SourceId, audio: Type.Boolean() }, strict);
export type ScreenChoice = Static<typeof ScreenChoice>;

export const ChooseReply = Type.Union([
  Type.Object({ ok: Type.Literal(true) }, strict),
  Type.Object({ ok: Type.Literal(false), error: Type.String({ maxLength: 200 }) }, strict),
]);
export type ChooseReply = Static<typeof ChooseReply>;

interface ValidationError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message: string;
}

interface Checker {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<ValidationError>;
}

function validator<S extends TSchema>(what: string, schema: S): (value: unknown) => Validation<Static<S>> {
  const checker = Compile(schema) as unknown as Checker;
  return (value) => {
    if (checker.Check(value)) return { ok: true, value: value as Static<S> };
    // The deepest path names the field; union bookkeeping errors say nothing useful.
    let best: ValidationError | undefined;
    for (const error of checker.Errors(value)) {
      if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
      if (!best || error.instancePath.length > best.instancePath.length) best = error;
    }
    const message = best?.keyword === 'boolean' ? 'is not allowed' : (best?.message ?? 'is invalid');
    return { ok: false, error: `${what}: ${best?.instancePath || '/'} ${message}` };
  };
}

/** main → renderer reply of `screen:listSources` (checked by the preload before the renderer sees it). */
export const validateListSourcesReply = validator('screen sources', ListSourcesReply);
/** renderer → main payload of `screen:choose` (checked by main: never trust the renderer). */
export const validateScreenChoice = validator('screen choice', ScreenChoice);
/** main → renderer reply of `screen:choose`. */
export const validateChooseReply = validator('screen choose reply', ChooseReply);
