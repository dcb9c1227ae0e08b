/** Event name → argument tuple. Every emitter in this package is typed from one of these maps. */
export type EventMap = { [event: string]: readonly unknown[] };

export type Listener<Args extends readonly unknown[]> = (...args: Args) => void;

/**
 * A tiny typed emitter (no Node `events` dependency, so it runs in the renderer as is).
 * `on` returns an unsubscribe function; a listener that throws is reported through `onListenerError`
 * and never stops the others or the emitter's own state machine.
 */
export class TypedEmitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Set<Listener<E[keyof E]>>>();

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as Listener<E[keyof E]>);
    return () => this.off(event, listener);
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, ((...args: E[K]) => {
      off();
      listener(...args);
    }) as Listener<E[K]>);
    return off;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    set.delete(listener as unknown as Listener<E[keyof E]>);
    if (set.size === 0) this.#listeners.delete(event);
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(event?: keyof E): void {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (error) {
        this.onListenerError(String(event), error);
      }
    }
  }

  /** Called when a listener throws; subclasses log it. */
  protected onListenerError(event: string, error: unknown): void {
    console.error(`❌ listener for "${event}" threw`, error);
  }
}
