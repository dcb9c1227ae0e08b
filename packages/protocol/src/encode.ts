import { CloseCode } from './codes';
import { DispatchEvent, GatewayOp } from './opcodes';
import type { ClientPayload } from './schemas/client';
import type { Dispatch, DispatchData, ErrorData, HelloData, ServerPayload } from './schemas/server';

/** Serialise any payload to the JSON text frame that goes on the wire. */
export function encode(payload: ServerPayload | ClientPayload): string {
  return JSON.stringify(payload);
}

export const serverMessage = {
  hello: (d: HelloData) => ({ op: GatewayOp.Hello, d }) as const,
  heartbeatAck: () => ({ op: GatewayOp.HeartbeatAck, d: null }) as const,
  reconnect: () => ({ op: GatewayOp.Reconnect, d: null }) as const,
  invalidSession: (resumable: boolean) => ({ op: GatewayOp.InvalidSession, d: resumable }) as const,
  error: (d: ErrorData) => ({ op: GatewayOp.Error, d }) as const,
  dispatch: <T extends DispatchEvent>(t: T, s: number, d: DispatchData<T>): Dispatch<T> =>
    ({ op: GatewayOp.Dispatch, t, s, d }) as unknown as Dispatch<T>,
};

export const clientMessage = {
  heartbeat: (seq: number) => ({ op: GatewayOp.Heartbeat, d: seq }) as const,
  identify: (d: Extract<ClientPayload, { op: 2 }>['d']) => ({ op: GatewayOp.Identify, d }) as const,
  resume: (d: Extract<ClientPayload, { op: 6 }>['d']) => ({ op: GatewayOp.Resume, d }) as const,
  voiceStateUpdate: (d: Extract<ClientPayload, { op: 4 }>['d']) =>
    ({ op: GatewayOp.VoiceStateUpdate, d }) as const,
  signal: (d: Extract<ClientPayload, { op: 5 }>['d']) => ({ op: GatewayOp.Signal, d }) as const,
  subscribe: (id: string, topics: string[]) => ({ op: GatewayOp.Subscribe, d: { id, topics } }) as const,
  unsubscribe: (id: string, topics: string[]) => ({ op: GatewayOp.Unsubscribe, d: { id, topics } }) as const,
  speaking: (speaking: number) => ({ op: GatewayOp.Speaking, d: { speaking } }) as const,
};

/** Topic naming in one place. */
export const topics = {
  voice: (channelId: string) => `voice:${channelId}`,
  channelOf: (topic: string): string | undefined => (topic.startsWith('voice:') ? topic.slice(6) : undefined),
};

export { CloseCode, DispatchEvent };
