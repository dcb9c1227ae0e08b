import type { VoiceState } from '@miscord/protocol';
import { TypedEmitter } from '../events/TypedEmitter';

export type VoiceStateStoreEvents = {
  /** One user's voice state changed; `previous`/`current` are null when absent. */
  change: [change: VoiceStateChange];
};

export interface VoiceStateChange {
  readonly userId: string;
  readonly previous: VoiceState | null;
  readonly current: VoiceState | null;
}

const sameState = (a: VoiceState, b: VoiceState): boolean =>
  a.channelId === b.channelId &&
  a.sessionId === b.sessionId &&
  a.displayName === b.displayName &&
  a.selfMute === b.selfMute &&
  a.selfDeaf === b.selfDeaf &&
  a.streaming === b.streaming;

/**
 * Client-side view of who is in which voice channel, fed by READY, SUBSCRIBE_ACK snapshots and
 * VOICE_STATE dispatches. Keyed by userId, so a user is never listed twice and a VOICE_STATE with
 * another channel moves them; `channelId: null` removes them.
 */
export class VoiceStateStore extends TypedEmitter<VoiceStateStoreEvents> {
  readonly #byUser = new Map<string, VoiceState>();

  /** Apply one VOICE_STATE. Returns true when something changed. */
  apply(state: VoiceState): boolean {
    const previous = this.#byUser.get(state.userId) ?? null;
    if (state.channelId === null) {
      if (!previous) return false;
      this.#byUser.delete(state.userId);
      this.emit('change', { userId: state.userId, previous, current: null });
      return true;
    }
    if (previous && sameState(previous, state)) return false;
    this.#byUser.set(state.userId, state);
    this.emit('change', { userId: state.userId, previous, current: state });
    return true;
  }

  /**
   * Replace what is known about `channelIds` with a snapshot (SUBSCRIBE_ACK): users listed are
   * applied; users the store had in those channels but the snapshot lacks have left.
   */
  applySnapshot(channelIds: Iterable<string>, states: readonly VoiceState[]): void {
    const channels = new Set(channelIds);
    const present = new Set(states.map((s) => s.userId));
    for (const state of [...this.#byUser.values()]) {
      if (state.channelId !== null && channels.has(state.channelId) && !present.has(state.userId)) {
        this.apply({ ...state, channelId: null });
      }
    }
    for (const state of states) this.apply(state);
  }

  /**
   * Stop tracking channels (after UNSUBSCRIBE): their members are removed, except `keepUserId` (our own
   * user, whose state the gateway keeps sending).
   */
  forgetChannels(channelIds: Iterable<string>, keepUserId: string | null = null): void {
    const channels = new Set(channelIds);
    for (const state of [...this.#byUser.values()]) {
      if (state.channelId !== null && channels.has(state.channelId) && state.userId !== keepUserId) {
        this.apply({ ...state, channelId: null });
      }
    }
  }

  /** Replace everything (READY after IDENTIFY). */
  reset(states: readonly VoiceState[]): void {
    const present = new Set(states.map((s) => s.userId));
    for (const state of [...this.#byUser.values()]) {
      if (!present.has(state.userId)) this.apply({ ...state, channelId: null });
    }
    for (const state of states) this.apply(state);
  }

  get(userId: string): VoiceState | undefined {
    return this.#byUser.get(userId);
  }

  /** Members of one channel, ordered by display name then user id. */
  members(channelId: string): VoiceState[] {
    return [...this.#byUser.values()]
      .filter((s) => s.channelId === channelId)
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || (a.userId < b.userId ? -1 : 1));
  }

  /** channelId → members. */
  byChannel(): Map<string, VoiceState[]> {
    const out = new Map<string, VoiceState[]>();
    for (const state of this.#byUser.values()) {
      if (state.channelId === null) continue;
      const list = out.get(state.channelId) ?? [];
      list.push(state);
      out.set(state.channelId, list);
    }
    return out;
  }

  all(): VoiceState[] {
    return [...this.#byUser.values()];
  }

  get size(): number {
    return this.#byUser.size;
  }

  clear(): void {
    this.reset([]);
  }
}
