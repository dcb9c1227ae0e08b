import type {
  CloseAction,
  DispatchData,
  DispatchPayload,
  ErrorData,
  ReadyData,
  SignalData,
  VoiceState,
} from '@miscord/protocol';

export const GatewayStatus = {
  Idle: 'idle',
  Connecting: 'connecting',
  Identifying: 'identifying',
  Resuming: 'resuming',
  Ready: 'ready',
  Reconnecting: 'reconnecting',
  Closed: 'closed',
} as const;
export type GatewayStatus = (typeof GatewayStatus)[keyof typeof GatewayStatus];

/** How the last socket ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly action: CloseAction;
  /** Epoch ms. */
  readonly at: number;
}

/** Each status carries only what is valid in it. */
export type GatewayState =
  | { readonly status: 'idle' }
  | {
      readonly status: 'connecting';
      readonly attempt: number;
      /** What happens after HELLO: RESUME (a session exists) or IDENTIFY. */
      readonly next: 'identify' | 'resume';
    }
  | { readonly status: 'identifying'; readonly connectionId: string; readonly nodeId: string }
  | {
      readonly status: 'resuming';
      readonly connectionId: string;
      readonly nodeId: string;
      readonly sessionId: string;
      readonly seq: number;
    }
  | {
      readonly status: 'ready';
      readonly connectionId: string;
      readonly nodeId: string;
      readonly sessionId: string;
      readonly userId: string;
      /** true when this socket continued a session with RESUME. */
      readonly resumed: boolean;
      /** Epoch ms. */
      readonly since: number;
    }
  | {
      readonly status: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly lastClose: CloseInfo;
      readonly next: 'identify' | 'resume';
    }
  | { readonly status: 'closed'; readonly lastClose: CloseInfo | null; readonly reason: string };

export type SignalDispatchData = DispatchData<'SIGNAL'>;
export type SpeakingDispatchData = DispatchData<'SPEAKING'>;
export type SubscribeAckData = DispatchData<'SUBSCRIBE_ACK'>;
export type UnsubscribeAckData = DispatchData<'UNSUBSCRIBE_ACK'>;

export const GatewayEvent = {
  StateChange: 'stateChange',
  Ready: 'ready',
  Resumed: 'resumed',
  Dispatch: 'dispatch',
  VoiceState: 'voiceState',
  Signal: 'signal',
  Speaking: 'speaking',
  ServerError: 'serverError',
  Heartbeat: 'heartbeat',
  Close: 'close',
} as const;

/** Every event GatewayConnection emits, with its arguments. */
export type GatewayEvents = {
  stateChange: [oldState: GatewayState, newState: GatewayState];
  /** A session started with IDENTIFY (first connect or re-identify): voice must rejoin. */
  ready: [data: ReadyData];
  /** A session continued with RESUME: voice state and subscriptions survived on the server. */
  resumed: [info: { replayed: number }];
  /** Every valid dispatch, in order, after the typed events below. */
  dispatch: [payload: DispatchPayload];
  voiceState: [state: VoiceState];
  signal: [signal: { from: string; data: SignalData }];
  speaking: [speaking: SpeakingDispatchData];
  /** ERROR frames not answering a SUBSCRIBE/UNSUBSCRIBE (those reject the promise instead). */
  serverError: [error: ErrorData];
  heartbeat: [info: { rttMs: number }];
  close: [info: CloseInfo];
};
