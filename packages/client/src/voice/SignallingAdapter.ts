import type { SignalData } from '@miscord/protocol';

/**
 * How voice code exchanges simple-peer signals with other members. The gateway implementation sends
 * SIGNAL (op 5) and listens for SIGNAL dispatches; tests wire two sessions with an in-memory pair.
 */
export interface SignallingAdapter {
  /** Returns false when the signal could not be sent (gateway not ready). */
  send(to: string, data: SignalData): boolean;
  /** Subscribe to signals addressed to us; returns the unsubscribe function. */
  onSignal(handler: (from: string, data: SignalData) => void): () => void;
}

/** The slice of GatewayConnection the adapter needs. */
export interface SignalTransport {
  sendSignal(to: string, data: SignalData): boolean;
  on(event: 'signal', listener: (signal: { from: string; data: SignalData }) => void): () => void;
}

export class GatewaySignallingAdapter implements SignallingAdapter {
  readonly #gateway: SignalTransport;
  constructor(gateway: SignalTransport) {
    this.#gateway = gateway;
  }
  send(to: string, data: SignalData): boolean {
    return this.#gateway.sendSignal(to, data);
  }
  onSignal(handler: (from: string, data: SignalData) => void): () => void {
    return this.#gateway.on('signal', ({ from, data }) => handler(from, data));
  }
}

/** Two adapters that deliver to each other synchronously-after-a-tick, for tests and demos. */
export function createLoopbackSignallingPair(
  userA: string,
  userB: string,
): [SignallingAdapter, SignallingAdapter] {
  const handlers = new Map<string, Set<(from: string, data: SignalData) => void>>([
    [userA, new Set()],
    [userB, new Set()],
  ]);
  const make = (self: string, other: string): SignallingAdapter => ({
    send(to, data) {
      if (to !== other) return false;
      queueMicrotask(() => {
        for (const h of handlers.get(other) ?? []) h(self, data);
      });
      return true;
    },
    onSignal(handler) {
      handlers.get(self)?.add(handler);
      return () => handlers.get(self)?.delete(handler);
    },
  });
  return [make(userA, userB), make(userB, userA)];
}
