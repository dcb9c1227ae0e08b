import { type Static, Type } from 'typebox';

const strict = { additionalProperties: false } as const;

/** Ids minted by the server: user, session, connection, node, space and channel ids. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

/** Sequence numbers: server dispatches count from 1; 0 means "none seen yet". */
export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** 1–32 visible characters; the server trims and rejects control characters. */
export const DisplayName = Type.String({ minLength: 1, maxLength: 32 });

export const ClientKind = Type.Union([Type.Literal('desktop'), Type.Literal('web')]);
export type ClientKind = Static<typeof ClientKind>;

export const User = Type.Object({ id: Id, displayName: DisplayName }, strict);
export type User = Static<typeof User>;

export const VoiceChannel = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: Type.Literal('voice'),
    /** 0 = no limit. */
    userLimit: Type.Integer({ minimum: 0, maximum: 99 }),
  },
  strict,
);
export type VoiceChannel = Static<typeof VoiceChannel>;

export const Space = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    channels: Type.Array(VoiceChannel, { maxItems: 500 }),
  },
  strict,
);
export type Space = Static<typeof Space>;

/** Where one user is in voice. A user is in at most one voice channel across all sessions. */
export const VoiceState = Type.Object(
  {
    userId: Id,
    sessionId: Id,
    displayName: DisplayName,
    /** `null` when the user left voice (sent once, on leave). */
    channelId: Type.Union([Id, Type.Null()]),
    selfMute: Type.Boolean(),
    selfDeaf: Type.Boolean(),
    streaming: Type.Boolean(),
  },
  strict,
);
export type VoiceState = Static<typeof VoiceState>;

export const IceServer = Type.Object(
  {
    urls: Type.Union([
      Type.String({ minLength: 1 }),
      Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    ]),
    username: Type.Optional(Type.String()),
    credential: Type.Optional(Type.String()),
  },
  strict,
);
export type IceServer = Static<typeof IceServer>;

export const BucketLimit = Type.Object(
  { capacity: Type.Integer({ minimum: 1 }), refillPerSecond: Type.Number({ exclusiveMinimum: 0 }) },
  strict,
);

export const Limits = Type.Object(
  {
    maxFrameBytes: Type.Integer({ minimum: 1 }),
    maxSignalBytes: Type.Integer({ minimum: 1 }),
    maxControlBytes: Type.Integer({ minimum: 1 }),
    control: BucketLimit,
    signal: BucketLimit,
    speaking: BucketLimit,
    subscribe: BucketLimit,
    maxTopicsPerConnection: Type.Integer({ minimum: 1 }),
    maxTopicsPerRequest: Type.Integer({ minimum: 1 }),
  },
  strict,
);
export type Limits = Static<typeof Limits>;

/** `voice:<channelId>`: voice states of one channel. */
export const Topic = Type.String({ minLength: 7, maxLength: 80, pattern: '^voice:[A-Za-z0-9_.:-]{1,64}$' });

/** Request ids echo back in acks and errors so the client can match them. */
export const RequestId = Type.String({ minLength: 1, maxLength: 64 });

/** simple-peer signal payloads, relayed unchanged. */
export const SignalData = Type.Union([
  Type.Object(
    { type: Type.Union([Type.Literal('offer'), Type.Literal('answer')]), sdp: Type.String({ minLength: 1 }) },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('candidate'),
      candidate: Type.Object(
        {
          candidate: Type.String({ maxLength: 1024 }),
          sdpMLineIndex: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
          sdpMid: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          usernameFragment: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
        },
        strict,
      ),
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('renegotiate'), renegotiate: Type.Literal(true) }, strict),
  Type.Object(
    {
      type: Type.Literal('transceiverRequest'),
      transceiverRequest: Type.Object(
        {
          kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
          init: Type.Optional(Type.Object({}, { additionalProperties: true })),
        },
        strict,
      ),
    },
    strict,
  ),
]);
export type SignalData = Static<typeof SignalData>;
