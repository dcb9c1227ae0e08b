/**
 * Push-to-talk in the window: the key held opens the microphone; release closes it after a short
 * delay (so the last syllable is not clipped). `setActive` is for the desktop's global shortcut.
 */
export class PushToTalk {
  key: string;
  releaseMs: number;
  readonly #onChange: (active: boolean) => void;
  #target: EventTarget | null = null;
  #keyHeld = false;
  #externalHeld = false;
  #active = false;
  #releaseTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: { key: string; releaseMs: number; onChange: (active: boolean) => void }) {
    this.key = options.key;
    this.releaseMs = options.releaseMs;
    this.#onChange = options.onChange;
  }

  get active(): boolean {
    return this.#active;
  }

  attach(target: EventTarget): void {
    this.detach();
    this.#target = target;
    target.addEventListener('keydown', this.#onKeyDown);
    target.addEventListener('keyup', this.#onKeyUp);
    target.addEventListener('blur', this.#onBlur);
  }

  detach(): void {
    const target = this.#target;
    this.#target = null;
    target?.removeEventListener('keydown', this.#onKeyDown);
    target?.removeEventListener('keyup', this.#onKeyUp);
    target?.removeEventListener('blur', this.#onBlur);
    this.#keyHeld = false;
    this.#externalHeld = false;
    this.#update(true);
  }

  /** Global shortcut down (true) / up (false). */
  setActive(active: boolean): void {
    this.#externalHeld = active;
    this.#update(false);
  }

  readonly #onKeyDown = (event: Event): void => {
    const e = event as KeyboardEvent;
    if (e.code !== this.key || e.repeat) return;
    this.#keyHeld = true;
    this.#update(false);
  };

  readonly #onKeyUp = (event: Event): void => {
    if ((event as KeyboardEvent).code !== this.key) return;
    this.#keyHeld = false;
    this.#update(false);
  };

  /** Focus left the window: a keyup may never come. */
  readonly #onBlur = (): void => {
    this.#keyHeld = false;
    this.#update(false);
  };

  #update(immediate: boolean): void {
    const held = this.#keyHeld || this.#externalHeld;
    if (held) {
      if (this.#releaseTimer !== null) clearTimeout(this.#releaseTimer);
      this.#releaseTimer = null;
      this.#set(true);
    } else if (this.#active && (immediate || this.releaseMs === 0)) {
      if (this.#releaseTimer !== null) clearTimeout(this.#releaseTimer);
      this.#releaseTimer = null;
      this.#set(false);
    } else if (this.#active && this.#releaseTimer === null) {
      this.#releaseTimer = setTimeout(() => {
        this.#releaseTimer = null;
        if (!this.#keyHeld && !this.#externalHeld) this.#set(false);
      }, this.releaseMs);
    }
  }

  #set(active: boolean): void {
    if (active === this.#active) return;
    this.#active = active;
    this.#onChange(active);
  }
}
