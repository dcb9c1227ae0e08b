import type { WebSocketStats } from '@miscord/protocol';
import type { ConnectionRecord } from '@miscord/registry';
import type { Gateway } from './Gateway';

const metadataOf = (record: ConnectionRecord) => ({
  connectionId: record.connectionId,
  sessionId: record.sessionId,
  userId: record.userId,
  displayName: record.displayName,
  kind: record.kind,
  channelId: record.channelId,
  ip: record.ip,
  userAgent: record.userAgent,
  nodeId: record.nodeId,
  connectedAt: record.connectedAt,
  lastSeenAt: record.lastSeenAt,
});

/** The WebSocketStats snapshot: cluster-wide counts from the registry, this node's counters. */
export async function buildStats(gateway: Gateway, limit: number): Promise<WebSocketStats> {
  const [counts, items, health] = await Promise.all([
    gateway.registry.counts(),
    gateway.registry.list(limit + 1),
    gateway.registry.health(),
  ]);
  const metrics = gateway.metrics;
  const voiceChannels = [...gateway.channels.values()].map((channel) => ({
    channelId: channel.id,
    name: channel.name,
    participants: counts.byChannel[channel.id] ?? 0,
    userLimit: channel.userLimit,
  }));
  return {
    node: {
      id: gateway.nodeId,
      state: gateway.state,
      uptimeSeconds: (Date.now() - gateway.startedAt.getTime()) / 1000,
      startedAt: gateway.startedAt.toISOString(),
    },
    connections: {
      total: counts.total,
      byKind: counts.byKind,
      byChannel: counts.byChannel,
      byNode: counts.byNode,
      items: items.slice(0, limit).map(metadataOf),
      truncated: items.length > limit,
    },
    usersOnline: counts.usersOnline,
    voiceChannels,
    messages: {
      in: { ...metrics.messagesIn },
      out: { ...metrics.messagesOut },
      rejected: { ...metrics.rejected },
    },
    closes: { ...metrics.closes },
    rateLimitHits: { ...metrics.rateLimitHits },
    cleanup: { ...metrics.cleanup },
    redis: health,
  };
}

/** This node's sockets by client kind, and the sessions it holds (attached or detached). */
export function localCounts(gateway: Gateway): {
  total: number;
  desktop: number;
  web: number;
  sessions: number;
} {
  let desktop = 0;
  let web = 0;
  for (const connection of gateway.connections) {
    if (connection.kind === 'desktop') desktop++;
    else if (connection.kind === 'web') web++;
  }
  return { total: gateway.connections.size, desktop, web, sessions: gateway.sessions.size };
}
