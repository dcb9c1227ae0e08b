import { type Static, type TSchema, Type } from 'typebox';
import { ErrorCode } from '../codes';
import { DispatchEvent, GatewayOp } from '../opcodes';
import { IceServer, Id, Limits, RequestId, Seq, SignalData, Space, Topic, User, VoiceState } from './common';

const strict = { additionalProperties: false } as const;

export const HelloPayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Hello),
    d: Type.Object(
      {
        heartbeatInterval: Type.Integer({ minimum: 1 }),
        connectionId: Id,
        nodeId: Id,
        /** Milliseconds a dropped session stays resumable. */
        resumeWindow: Type.Integer({ minimum: 0 }),
      },
      strict,
    ),
  },
  strict,
);

export const HeartbeatAckPayload = Type.Object(
  { op: Type.Literal(GatewayOp.HeartbeatAck), d: Type.Null() },
  strict,
);

export const ReconnectPayload = Type.Object(
  { op: Type.Literal(GatewayOp.Reconnect), d: Type.Null() },
  strict,
);

/** `d`: whether a RESUME may still work later (true) or the client must IDENTIFY (false). */
export const InvalidSessionPayload = Type.Object(
  { op: Type.Literal(GatewayOp.InvalidSession), d: Type.Boolean() },
  strict,
);

export const ErrorPayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Error),
    d: Type.Object(
      {
        // Unsafe only re-types the union: built from an array, its Static would otherwise be never.
        code: Type.Unsafe<ErrorCode>(Type.Union(Object.values(ErrorCode).map((code) => Type.Literal(code)))),
        message: Type.String(),
        /** The op of the frame this answers. */
        op: Type.Optional(Type.Integer()),
        /** The request id of the frame this answers (SUBSCRIBE / UNSUBSCRIBE). */
        id: Type.Optional(RequestId),
        retryAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      strict,
    ),
  },
  strict,
);

function dispatch<const T extends DispatchEvent, D extends TSchema>(t: T, d: D) {
  return Type.Object(
    { op: Type.Literal(GatewayOp.Dispatch), t: Type.Literal(t), s: Type.Integer({ minimum: 1 }), d },
    strict,
  );
}

export const ReadyData = Type.Object(
  {
    sessionId: Id,
    user: User,
    spaces: Type.Array(Space),
    /** Everyone in voice in the spaces above. */
    voiceStates: Type.Array(VoiceState),
    iceServers: Type.Array(IceServer),
    limits: Limits,
  },
  strict,
);
export type ReadyData = Static<typeof ReadyData>;

export const ReadyDispatch = dispatch(DispatchEvent.Ready, ReadyData);
export const ResumedDispatch = dispatch(
  DispatchEvent.Resumed,
  Type.Object({ replayed: Type.Integer({ minimum: 0 }) }, strict),
);
export const VoiceStateDispatch = dispatch(DispatchEvent.VoiceState, VoiceState);
export const SignalDispatch = dispatch(
  DispatchEvent.Signal,
  Type.Object({ from: Id, data: SignalData }, strict),
);
export const SpeakingDispatch = dispatch(
  DispatchEvent.Speaking,
  Type.Object({ userId: Id, channelId: Id, speaking: Type.Integer({ minimum: 0, maximum: 3 }) }, strict),
);
export const SubscribeAckDispatch = dispatch(
  DispatchEvent.SubscribeAck,
  Type.Object(
    {
      id: RequestId,
      topics: Type.Array(Topic),
      /** Current voice states of the channels just subscribed, so no update falls between snapshot and stream. */
      voiceStates: Type.Array(VoiceState),
    },
    strict,
  ),
);
export const UnsubscribeAckDispatch = dispatch(
  DispatchEvent.UnsubscribeAck,
  Type.Object({ id: RequestId, topics: Type.Array(Topic) }, strict),
);

export const dispatchSchemas = {
  [DispatchEvent.Ready]: ReadyDispatch,
  [DispatchEvent.Resumed]: ResumedDispatch,
  [DispatchEvent.VoiceState]: VoiceStateDispatch,
  [DispatchEvent.Signal]: SignalDispatch,
  [DispatchEvent.Speaking]: SpeakingDispatch,
  [DispatchEvent.SubscribeAck]: SubscribeAckDispatch,
  [DispatchEvent.UnsubscribeAck]: UnsubscribeAckDispatch,
} as const;

export const DispatchPayload = Type.Union([
  ReadyDispatch,
  ResumedDispatch,
  VoiceStateDispatch,
  SignalDispatch,
  SpeakingDispatch,
  SubscribeAckDispatch,
  UnsubscribeAckDispatch,
]);
export type DispatchPayload = Static<typeof DispatchPayload>;
/** A dispatch of a given event, e.g. `Dispatch<'SIGNAL'>`. */
export type Dispatch<T extends DispatchEvent> = Extract<DispatchPayload, { t: T }>;
export type DispatchData<T extends DispatchEvent> = Dispatch<T>['d'];

export const serverPayloadSchemas = {
  [GatewayOp.Hello]: HelloPayload,
  [GatewayOp.HeartbeatAck]: HeartbeatAckPayload,
  [GatewayOp.Reconnect]: ReconnectPayload,
  [GatewayOp.InvalidSession]: InvalidSessionPayload,
  [GatewayOp.Error]: ErrorPayload,
} as const;

export const ServerPayload = Type.Union([
  HelloPayload,
  HeartbeatAckPayload,
  ReconnectPayload,
  InvalidSessionPayload,
  ErrorPayload,
  DispatchPayload,
]);
export type ServerPayload = Static<typeof ServerPayload>;

export type HelloPayload = Static<typeof HelloPayload>;
export type HelloData = HelloPayload['d'];
export type ErrorPayload = Static<typeof ErrorPayload>;
export type ErrorData = ErrorPayload['d'];
export type InvalidSessionPayload = Static<typeof InvalidSessionPayload>;

/** Seq: re-exported for HEARTBEAT acknowledgements and resume bookkeeping. */
export { Seq };
