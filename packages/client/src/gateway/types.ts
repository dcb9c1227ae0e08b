import type { ClientKind, VoiceStateUpdatePayload } from '@miscord/protocol';
import type { CloseInfo, GatewayState } from './events';
import type { ReconnectPolicy } from './ReconnectPolicy';
import type { WebSocketConstructor } from './WebSocketLike';

export interface GatewayConnectionOptions {
  /** Full gateway URL, e.g. `wss://chat.example.org/ws?v=1`. */
  readonly url: string;
  /** Called before every IDENTIFY and RESUME (tokens may be refreshed). */
  readonly getToken: () => string | Promise<string>;
  /** Defaults to `globalThis.WebSocket`; pass `ws`'s class under Node. */
  readonly WebSocket?: WebSocketConstructor;
  readonly reconnectPolicy?: ReconnectPolicy;
  readonly client?: { readonly kind: ClientKind; readonly version: string; readonly platform: string };
  /** A connection that stayed ready this long resets the reconnect attempt count. Default 60 s. */
  readonly stableAfterMs?: number;
  /** Random wait before re-identifying after INVALID_SESSION, ms. Default [1000, 5000]. */
  readonly invalidSessionDelayMs?: readonly [min: number, max: number];
  readonly random?: () => number;
}

export type VoiceStateUpdate = VoiceStateUpdatePayload['d'];

export interface GatewayDebugInfo {
  readonly state: GatewayState;
  readonly url: string;
  readonly connectionId: string | null;
  readonly nodeId: string | null;
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly seq: number;
  readonly heartbeat: {
    readonly intervalMs: number | null;
    readonly lastRttMs: number | null;
    readonly beats: number;
    readonly acks: number;
  };
  readonly attempts: number;
  readonly socketsOpened: number;
  readonly subscriptions: { readonly desired: string[]; readonly confirmed: string[] };
  readonly messages: {
    readonly sent: Record<string, number>;
    readonly received: Record<string, number>;
    readonly bytesSent: number;
    readonly bytesReceived: number;
    readonly protocolErrors: number;
  };
  readonly lastClose: (CloseInfo & { readonly name: string | null }) | null;
}
