/**
 * Gateway opcodes (protocol v1). Numbers travel on the wire, as in Discord's gateway;
 * `opName()` gives the readable name for logs and error messages.
 */
export const GatewayOp = {
  /** server → client: an event, with `t` (its name) and `s` (sequence number). */
  Dispatch: 0,
  /** client → server: keep-alive carrying the last sequence number seen. */
  Heartbeat: 1,
  /** client → server: authenticate and start a session. */
  Identify: 2,
  /** client → server: join, move within or leave a voice channel; mute/deafen/streaming flags. */
  VoiceStateUpdate: 4,
  /** client → server: a WebRTC (simple-peer) signal for one member of the same voice channel. */
  Signal: 5,
  /** client → server: continue a dropped session and get missed dispatches replayed. */
  Resume: 6,
  /** server → client: this node is draining; reconnect and resume. */
  Reconnect: 7,
  /** client → server: start receiving dispatches for topics. */
  Subscribe: 8,
  /** server → client: the session cannot be resumed (`d` says whether a later resume may work). */
  InvalidSession: 9,
  /** server → client: first frame on every connection. */
  Hello: 10,
  /** server → client: answer to a heartbeat. */
  HeartbeatAck: 11,
  /** client → server: stop receiving dispatches for topics. */
  Unsubscribe: 12,
  /** client → server: speaking bitmask of this user in its voice channel. */
  Speaking: 13,
  /** server → client: a request could not be carried out; the connection stays open. */
  Error: 15,
} as const;

export type GatewayOp = (typeof GatewayOp)[keyof typeof GatewayOp];

const namesByOp = new Map<number, string>(
  Object.entries(GatewayOp).map(([name, op]) => [op, name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()]),
);

/** `opName(4)` → `"VOICE_STATE_UPDATE"`; unknown numbers print as `OP_<n>`. */
export function opName(op: number): string {
  return namesByOp.get(op) ?? `OP_${op}`;
}

/** Names of dispatch events (`t` of an op 0 frame). */
export const DispatchEvent = {
  Ready: 'READY',
  Resumed: 'RESUMED',
  VoiceState: 'VOICE_STATE',
  Signal: 'SIGNAL',
  Speaking: 'SPEAKING',
  SubscribeAck: 'SUBSCRIBE_ACK',
  UnsubscribeAck: 'UNSUBSCRIBE_ACK',
} as const;

export type DispatchEvent = (typeof DispatchEvent)[keyof typeof DispatchEvent];

/** Bits of the SPEAKING bitmask. */
export const SpeakingFlag = {
  None: 0,
  Microphone: 1 << 0,
  ScreenAudio: 1 << 1,
} as const;

export const SPEAKING_MASK = SpeakingFlag.Microphone | SpeakingFlag.ScreenAudio;
