import { type Static, Type } from 'typebox';
import { ClientKind, DisplayName, Id } from './common';

const strict = { additionalProperties: false } as const;
const Count = Type.Integer({ minimum: 0 });
const Counts = Type.Record(Type.String(), Count);

/** What the registry keeps about one live WebSocket connection. */
export const ConnectionMetadata = Type.Object(
  {
    connectionId: Id,
    sessionId: Id,
    userId: Id,
    displayName: DisplayName,
    kind: ClientKind,
    /** Voice channel the session is in, or null. */
    channelId: Type.Union([Id, Type.Null()]),
    ip: Type.String(),
    userAgent: Type.String(),
    nodeId: Id,
    /** Epoch milliseconds. */
    connectedAt: Type.Integer({ minimum: 0 }),
    lastSeenAt: Type.Integer({ minimum: 0 }),
  },
  strict,
);
export type ConnectionMetadata = Static<typeof ConnectionMetadata>;

export const NodeState = Type.Union([
  Type.Literal('starting'),
  Type.Literal('ready'),
  Type.Literal('draining'),
]);
export type NodeState = Static<typeof NodeState>;

/** GET /api/debug/websocket-stats */
export const WebSocketStats = Type.Object(
  {
    node: Type.Object(
      { id: Id, state: NodeState, uptimeSeconds: Type.Number({ minimum: 0 }), startedAt: Type.String() },
      strict,
    ),
    connections: Type.Object(
      {
        total: Count,
        byKind: Type.Object({ desktop: Count, web: Count }, strict),
        byChannel: Counts,
        byNode: Counts,
        /** Up to `limit` connections, newest first; `truncated` says more exist. */
        items: Type.Array(ConnectionMetadata),
        truncated: Type.Boolean(),
      },
      strict,
    ),
    usersOnline: Count,
    voiceChannels: Type.Array(
      Type.Object({ channelId: Id, name: Type.String(), participants: Count, userLimit: Count }, strict),
    ),
    messages: Type.Object(
      {
        /** Frames received, by op name. */
        in: Counts,
        /** Frames sent, by op name (dispatches by event name). */
        out: Counts,
        /** Frames rejected, by reason (error code or close reason). */
        rejected: Counts,
      },
      strict,
    ),
    /** Connections closed by this node, by close code. */
    closes: Counts,
    /** Rate-limit hits by bucket (control, signal, speaking, subscribe). */
    rateLimitHits: Counts,
    cleanup: Type.Object(
      {
        lastRunAt: Type.Union([Type.String(), Type.Null()]),
        durationMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
        staleRemoved: Count,
        totalRemoved: Count,
      },
      strict,
    ),
    redis: Type.Object(
      {
        mode: Type.Union([Type.Literal('memory'), Type.Literal('redis')]),
        connected: Type.Boolean(),
        roundTripMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
      },
      strict,
    ),
  },
  strict,
);
export type WebSocketStats = Static<typeof WebSocketStats>;
