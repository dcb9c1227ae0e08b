import {
  type ClientPayload,
  decodeServerFrame,
  encode,
  GatewayOp,
  opName,
  type ServerPayload,
} from '@miscord/protocol';
import type { Logger } from '../log/logger';
import { SocketReadyState, type WebSocketConstructor, type WebSocketLike } from './WebSocketLike';

/** Frame counters kept across sockets for getDebugInfo(). */
export class MessageCounters {
  readonly sent: Record<string, number> = {};
  readonly received: Record<string, number> = {};
  bytesSent = 0;
  bytesReceived = 0;
  protocolErrors = 0;

  snapshot() {
    return {
      sent: { ...this.sent },
      received: { ...this.received },
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      protocolErrors: this.protocolErrors,
    };
  }
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** `{op: 0, t: <string>, s: <int>}` with an unknown `t` (the protocol says: ignore and log). */
function unknownDispatch(text: string): { t: string; s: number | null } | null {
  try {
    const value = JSON.parse(text) as { op?: unknown; t?: unknown; s?: unknown };
    if (value.op !== GatewayOp.Dispatch || typeof value.t !== 'string') return null;
    return { t: value.t.slice(0, 64), s: Number.isSafeInteger(value.s) ? (value.s as number) : null };
  } catch {
    return null;
  }
}

export interface GatewaySocketHandlers {
  /** A frame that passed `decodeServerFrame`. */
  readonly onMessage: (message: ServerPayload) => void;
  /** A frame that did not; the socket is still open. */
  readonly onProtocolError: (why: string) => void;
  /** A dispatch with an event name this client does not know: skipped, but its `s` still counts. */
  readonly onUnknownDispatch: (t: string, s: number | null) => void;
  readonly onClose: (code: number, reason: string) => void;
}

/**
 * One WebSocket: validates every incoming frame, counts frames both ways, and once detached (by
 * `close()`) reports nothing more, so a replaced socket can never disturb its successor.
 */
export class GatewaySocket {
  readonly #socket: WebSocketLike;
  readonly #counters: MessageCounters;
  readonly #log: Logger;
  #attached = true;

  constructor(
    WebSocketImpl: WebSocketConstructor,
    url: string,
    handlers: GatewaySocketHandlers,
    counters: MessageCounters,
    log: Logger,
  ) {
    this.#counters = counters;
    this.#log = log;
    const socket = new WebSocketImpl(url);
    this.#socket = socket;
    socket.onmessage = (event) => {
      if (this.#attached) this.#onFrame(event.data, handlers);
    };
    socket.onclose = (event) => {
      if (!this.#attached) return;
      this.#attached = false;
      handlers.onClose(event.code, event.reason || '');
    };
    // closing a socket that is still connecting reports an error; ws throws if no handler is set
    socket.onerror = () => {
      if (this.#attached) log.debug('socket error (a close event follows)');
    };
  }

  get isOpen(): boolean {
    return this.#attached && this.#socket.readyState === SocketReadyState.Open;
  }

  send(payload: ClientPayload): boolean {
    if (!this.isOpen) return false;
    const text = encode(payload);
    try {
      this.#socket.send(text);
    } catch (error) {
      this.#log.error(`send ${opName(payload.op)} failed`, error);
      return false;
    }
    this.#counters.bytesSent += text.length;
    bump(this.#counters.sent, opName(payload.op));
    if (payload.op !== GatewayOp.Heartbeat) this.#log.sent(opName(payload.op), payload.d);
    return true;
  }

  /** Detach (no more callbacks) and close with `code` if still open or opening. */
  close(code: number, reason: string): void {
    this.#attached = false;
    const state = this.#socket.readyState;
    if (state !== SocketReadyState.Connecting && state !== SocketReadyState.Open) return;
    try {
      this.#socket.close(code, reason);
    } catch (error) {
      this.#log.debug('close threw', error);
    }
  }

  #onFrame(data: unknown, handlers: GatewaySocketHandlers): void {
    const binary = typeof data !== 'string';
    const decoded = decodeServerFrame(binary ? new Uint8Array(0) : (data as string), { binary });
    this.#counters.bytesReceived += decoded.bytes;
    if (
      !decoded.ok &&
      !binary &&
      decoded.error.kind === 'close' &&
      decoded.error.reason.startsWith('unknown dispatch event')
    ) {
      const unknown = unknownDispatch(data as string);
      if (unknown) {
        bump(this.#counters.received, `unknown:${unknown.t}`);
        handlers.onUnknownDispatch(unknown.t, unknown.s);
        return;
      }
    }
    if (!decoded.ok) {
      this.#counters.protocolErrors++;
      handlers.onProtocolError(decoded.error.kind === 'close' ? decoded.error.reason : decoded.error.message);
      return;
    }
    const message = decoded.message;
    const label = message.op === GatewayOp.Dispatch ? message.t : opName(message.op);
    bump(this.#counters.received, label);
    if (message.op !== GatewayOp.HeartbeatAck) this.#log.received(label, message.d);
    handlers.onMessage(message);
  }
}
