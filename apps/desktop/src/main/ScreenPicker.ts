/**
 * 🖥️ What the main process remembers between the desktop picker's steps (the flow is in
 * src/shared/screenIpc.ts), without importing `electron` (main.ts wires it):
 * - `offer`: the list `screen:listSources` last sent, shaped by `shapeSources`, beside the capturer sources
 *   it came from (Electron wants the real source object back);
 * - `choose`: the one choice `screen:choose` keeps for the next getDisplayMedia call, for a few seconds;
 * - `answer`: the reply to that call, for our own page only. Answering uses the choice up: a second call
 *   needs a new choice, so a page cannot capture again without the user picking again.
 * The clock is injectable, so expiry is tested without waiting.
 */
import {
  type ChooseReply,
  type ListSourcesReply,
  type PickerSource,
  type ScreenChoice,
  validateScreenChoice,
} from '../shared/screenIpc';
import { type FrameFacts, isOwnMainFrame } from './ipcGuard';
import { originOf, type RendererSource } from './origins';
import {
  type CapturerSource,
  isLoopbackAudioAvailable,
  resolveDisplayMediaRequest,
  shapeSources,
} from './screenSources';

/** Long enough for the IPC round trip and the getDisplayMedia call after it; too short to go stale. */
export const DEFAULT_CHOICE_TTL_MS = 5_000;
/** `ChooseReply.error`'s bound: a longer error would fail the preload's check of the reply. */
const MAX_ERROR_LENGTH = 200;

export const ScreenPickerStatus = {
  /** Nothing listed yet. */
  Idle: 'idle',
  /** Sources listed; no choice kept (none made, cancelled, used or expired). */
  Offered: 'offered',
  /** A choice waits for the next getDisplayMedia call. */
  Chosen: 'chosen',
} as const;
export type ScreenPickerStatus = (typeof ScreenPickerStatus)[keyof typeof ScreenPickerStatus];

export interface ScreenOffer<S> {
  /** What `desktopCapturer.getSources` returned. */
  readonly sources: readonly S[];
  /** What the renderer was shown. */
  readonly shaped: readonly PickerSource[];
}

export type ScreenPickerState<S> =
  | { readonly status: typeof ScreenPickerStatus.Idle }
  | { readonly status: typeof ScreenPickerStatus.Offered; readonly offer: ScreenOffer<S> }
  | {
      readonly status: typeof ScreenPickerStatus.Chosen;
      readonly offer: ScreenOffer<S>;
      readonly choice: ScreenChoice;
      /** On the injected clock. */
      readonly expiresAt: number;
    };

export interface ScreenPickerOptions {
  /** Whose getDisplayMedia calls are answered. */
  readonly source: RendererSource;
  /** `process.platform`. */
  readonly platform: string;
  /** See `ELECTRON_LOOPBACK_EXCLUDES_OWN_AUDIO` in screenSources.ts. */
  readonly loopbackExcludesOwnAudio: boolean;
  readonly choiceTtlMs?: number;
  /** Milliseconds; `Date.now` unless a test passes its own. */
  readonly now?: () => number;
}

/** The parts of Electron's display-media request that decide the answer. */
export interface DisplayMediaRequestFacts {
  /** `request.frame`: its URL and whether it has no parent; `url` undefined when the frame is gone. */
  readonly frame: FrameFacts;
  readonly securityOrigin: string;
  readonly audioRequested: boolean;
}

export type DisplayMediaAnswer<S> =
  /** `callback({video, audio})`. */
  | { readonly grant: true; readonly video: S; readonly audio?: 'loopback' }
  /** `callback(null)`: getDisplayMedia rejects with NotAllowedError. */
  | { readonly grant: false; readonly reason: string };

function bounded(error: string): string {
  return error.length <= MAX_ERROR_LENGTH ? error : `${error.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

export class ScreenPicker<S extends CapturerSource> {
  #state: ScreenPickerState<S> = { status: ScreenPickerStatus.Idle };
  readonly #options: ScreenPickerOptions;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: ScreenPickerOptions) {
    this.#options = options;
    this.#ttlMs = options.choiceTtlMs ?? DEFAULT_CHOICE_TTL_MS;
    // Read at each call, not captured: a test's fake clock (vi.setSystemTime) replaces Date.
    this.#now = options.now ?? (() => Date.now());
  }

  get state(): ScreenPickerState<S> {
    return this.#state;
  }

  /** Whether "share audio" can work: the same rule `answer` enforces, told to the renderer, never trusted. */
  get audioAvailable(): boolean {
    return isLoopbackAudioAvailable(this.#options);
  }

  /** Remember a fresh source list and reply with it. A new list drops a kept choice: the picker reopened. */
  offer(sources: readonly S[], ownWindowSourceIds: readonly string[]): ListSourcesReply {
    const shaped = shapeSources(sources, { ownWindowSourceIds });
    this.#state = { status: ScreenPickerStatus.Offered, offer: { sources, shaped } };
    return { sources: shaped, audioAvailable: this.audioAvailable };
  }

  /** Keep the renderer's choice, once checked: a bad payload or an id never offered changes nothing. */
  choose(payload: unknown): ChooseReply {
    const checked = validateScreenChoice(payload);
    if (!checked.ok) return { ok: false, error: bounded(checked.error) };
    const state = this.#state;
    if (state.status === ScreenPickerStatus.Idle) {
      return { ok: false, error: 'screen choice: no sources were listed' };
    }
    const { sourceId } = checked.value;
    if (!state.offer.shaped.some((offered) => offered.id === sourceId)) {
      return {
        ok: false,
        error: bounded(`screen choice: /sourceId ${JSON.stringify(sourceId)} was not offered`),
      };
    }
    this.#state = {
      status: ScreenPickerStatus.Chosen,
      offer: state.offer,
      choice: checked.value,
      expiresAt: this.#now() + this.#ttlMs,
    };
    return { ok: true };
  }

  /** The picker closed without a choice. */
  cancel(): void {
    if (this.#state.status === ScreenPickerStatus.Chosen) {
      this.#state = { status: ScreenPickerStatus.Offered, offer: this.#state.offer };
    }
  }

  /**
   * The answer to a getDisplayMedia call. Only the main frame of our own page is answered; a request from
   * anywhere else is refused and leaves the kept choice alone. Ours uses the choice up, granted or not.
   */
  answer(request: DisplayMediaRequestFacts): DisplayMediaAnswer<S> {
    const { source } = this.#options;
    if (!isOwnMainFrame(request.frame, source) || originOf(request.securityOrigin) !== source.origin) {
      const where = request.frame.url ?? 'a destroyed frame';
      const frame = request.frame.isMainFrame ? 'main frame' : 'sub-frame';
      return { grant: false, reason: `request from ${where} (${frame}, origin ${request.securityOrigin})` };
    }
    const state = this.#state;
    if (state.status !== ScreenPickerStatus.Chosen) {
      return { grant: false, reason: 'no source chosen (picker closed, or its choice already used)' };
    }
    this.#state = { status: ScreenPickerStatus.Offered, offer: state.offer };
    const late = this.#now() - state.expiresAt;
    if (late > 0)
      return { grant: false, reason: `the choice of ${state.choice.sourceId} expired ${late} ms ago` };

    const decision = resolveDisplayMediaRequest(state.choice, state.offer.shaped, {
      audio: request.audioRequested,
      platform: this.#options.platform,
      loopbackExcludesOwnAudio: this.#options.loopbackExcludesOwnAudio,
    });
    if (!decision.grant) return decision;
    const { video: chosen, audio } = decision.streams;
    const video = state.offer.sources.find((candidate) => candidate.id === chosen.id);
    if (!video) return { grant: false, reason: `source ${chosen.id} is missing from the capturer's list` };
    return audio === undefined ? { grant: true, video } : { grant: true, video, audio };
  }
}
