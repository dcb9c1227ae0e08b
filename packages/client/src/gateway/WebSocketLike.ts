/** The part of the WebSocket API used here: the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export const SocketReadyState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;

/**
 * Close codes this client uses when it closes the socket itself (4900+ is outside the server's
 * table). None of them is 1000, so the server keeps the session resumable.
 */
export const ClientCloseCode = {
  /** The server sent a frame that failed validation. */
  ProtocolError: 4900,
  /** A heartbeat went unacknowledged for a whole interval. */
  Zombie: 4901,
  /** The server asked for a reconnect (RECONNECT op). */
  ReconnectRequested: 4902,
  /** INVALID_SESSION: start over with a fresh socket. */
  InvalidSession: 4903,
  /** A newer connect() or a URL change replaced the socket. */
  Replaced: 4904,
} as const;
