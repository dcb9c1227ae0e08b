/**
 * An index from a key to a set of strings, for keys that nearly always hold one (a user's connections):
 * one value is kept as the string itself, a Set only from the second on. A Set of one costs about 220 B
 * of heap (its table is sized for four entries): in heap snapshots of a gateway with a connection per
 * user, that was a twentieth of what the gateway holds per connection.
 */
export class OneOrMany {
  private readonly entries = new Map<string, string | Set<string>>();

  /** Keys holding at least one value. */
  get size(): number {
    return this.entries.size;
  }

  add(key: string, value: string): void {
    const held = this.entries.get(key);
    if (held === undefined || held === value) this.entries.set(key, value);
    else if (typeof held === 'string') this.entries.set(key, new Set([held, value]));
    else held.add(value);
  }

  delete(key: string, value: string): void {
    const held = this.entries.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === value) this.entries.delete(key);
      return;
    }
    held.delete(value);
    if (held.size === 1) this.entries.set(key, held.values().next().value as string);
  }

  /** The values of `key` (a new array: the caller may change the index while using it). */
  get(key: string): string[] {
    const held = this.entries.get(key);
    if (held === undefined) return [];
    return typeof held === 'string' ? [held] : [...held];
  }
}
