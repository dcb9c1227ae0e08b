/** Where client settings live: localStorage in the renderer, a Map in tests. Values are JSON text. */
export interface SettingsStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export class MemorySettingsStore implements SettingsStore {
  readonly #values = new Map<string, string>();
  get(key: string): string | null {
    return this.#values.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.#values.set(key, value);
  }
  remove(key: string): void {
    this.#values.delete(key);
  }
}

/** Minimal part of the Web Storage API, so this file needs no DOM at import time. */
interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class LocalStorageSettingsStore implements SettingsStore {
  readonly #storage: StorageLike;
  readonly #prefix: string;

  constructor(storage: StorageLike = globalThis.localStorage, prefix = 'miscord:') {
    this.#storage = storage;
    this.#prefix = prefix;
  }
  get(key: string): string | null {
    try {
      return this.#storage.getItem(this.#prefix + key);
    } catch {
      return null; // storage disabled (private mode, quota): behave as empty
    }
  }
  set(key: string, value: string): void {
    try {
      this.#storage.setItem(this.#prefix + key, value);
    } catch {
      // quota exceeded or storage disabled: settings stay in memory for this run
    }
  }
  remove(key: string): void {
    try {
      this.#storage.removeItem(this.#prefix + key);
    } catch {
      // ignore, as above
    }
  }
}
