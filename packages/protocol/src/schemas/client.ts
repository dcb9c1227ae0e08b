import { type Static, Type } from 'typebox';
import { GatewayOp } from '../opcodes';
import { ClientKind, Id, RequestId, Seq, SignalData, Topic } from './common';

const strict = { additionalProperties: false } as const;

export const HeartbeatPayload = Type.Object({ op: Type.Literal(GatewayOp.Heartbeat), d: Seq }, strict);

export const IdentifyPayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Identify),
    d: Type.Object(
      {
        token: Type.String({ minLength: 1, maxLength: 2048 }),
        kind: ClientKind,
        version: Type.String({ minLength: 1, maxLength: 32 }),
        platform: Type.String({ minLength: 1, maxLength: 64 }),
      },
      strict,
    ),
  },
  strict,
);

export const ResumePayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Resume),
    d: Type.Object(
      { token: Type.String({ minLength: 1, maxLength: 2048 }), sessionId: Id, seq: Seq },
      strict,
    ),
  },
  strict,
);

export const VoiceStateUpdatePayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.VoiceStateUpdate),
    d: Type.Object(
      {
        /** The channel to be in, or `null` to leave voice. */
        channelId: Type.Union([Id, Type.Null()]),
        selfMute: Type.Boolean(),
        selfDeaf: Type.Boolean(),
        streaming: Type.Optional(Type.Boolean()),
      },
      strict,
    ),
  },
  strict,
);

export const SignalPayload = Type.Object(
  { op: Type.Literal(GatewayOp.Signal), d: Type.Object({ to: Id, data: SignalData }, strict) },
  strict,
);

export const SubscribePayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Subscribe),
    d: Type.Object({ id: RequestId, topics: Type.Array(Topic, { minItems: 1, maxItems: 128 }) }, strict),
  },
  strict,
);

export const UnsubscribePayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Unsubscribe),
    d: Type.Object({ id: RequestId, topics: Type.Array(Topic, { minItems: 1, maxItems: 128 }) }, strict),
  },
  strict,
);

export const SpeakingPayload = Type.Object(
  {
    op: Type.Literal(GatewayOp.Speaking),
    d: Type.Object({ speaking: Type.Integer({ minimum: 0, maximum: 3 }) }, strict),
  },
  strict,
);

/** Each client op with its schema: the decoder picks the schema by `op` before validating. */
export const clientPayloadSchemas = {
  [GatewayOp.Heartbeat]: HeartbeatPayload,
  [GatewayOp.Identify]: IdentifyPayload,
  [GatewayOp.VoiceStateUpdate]: VoiceStateUpdatePayload,
  [GatewayOp.Signal]: SignalPayload,
  [GatewayOp.Resume]: ResumePayload,
  [GatewayOp.Subscribe]: SubscribePayload,
  [GatewayOp.Unsubscribe]: UnsubscribePayload,
  [GatewayOp.Speaking]: SpeakingPayload,
} as const;

export type ClientOp = keyof typeof clientPayloadSchemas;

export const ClientPayload = Type.Union([
  HeartbeatPayload,
  IdentifyPayload,
  ResumePayload,
  VoiceStateUpdatePayload,
  SignalPayload,
  SubscribePayload,
  UnsubscribePayload,
  SpeakingPayload,
]);
export type ClientPayload = Static<typeof ClientPayload>;

export type HeartbeatPayload = Static<typeof HeartbeatPayload>;
export type IdentifyPayload = Static<typeof IdentifyPayload>;
export type ResumePayload = Static<typeof ResumePayload>;
export type VoiceStateUpdatePayload = Static<typeof VoiceStateUpdatePayload>;
export type SignalPayload = Static<typeof SignalPayload>;
export type SubscribePayload = Static<typeof SubscribePayload>;
export type UnsubscribePayload = Static<typeof UnsubscribePayload>;
export type SpeakingPayload = Static<typeof SpeakingPayload>;

/** A client message of a given op, e.g. `ClientMessage<typeof GatewayOp.Signal>`. */
export type ClientMessage<O extends ClientOp> = Extract<ClientPayload, { op: O }>;
