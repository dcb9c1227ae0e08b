import { GatewayOp, type SubscribePayload, topics as topicNames } from '@miscord/protocol';
import type { GatewayConnection } from '../GatewayConnection';
import type { GatewaySession } from '../GatewaySession';

/** Channel ids of the topics, or the first topic that names no known channel. */
function channelsOf(
  connection: GatewayConnection,
  topics: readonly string[],
): { ok: true; channels: string[] } | { ok: false; topic: string } {
  const channels: string[] = [];
  for (const topic of topics) {
    const channelId = topicNames.channelOf(topic);
    if (channelId === undefined || !connection.gateway.channels.has(channelId)) return { ok: false, topic };
    if (!channels.includes(channelId)) channels.push(channelId);
  }
  return { ok: true, channels };
}

export function subscribe(
  connection: GatewayConnection,
  session: GatewaySession,
  d: SubscribePayload['d'],
): void {
  const gateway = connection.gateway;
  const op = GatewayOp.Subscribe;
  if (d.topics.length > gateway.limits.maxTopicsPerRequest) {
    connection.sendError(
      'TOO_MANY_TOPICS',
      `at most ${gateway.limits.maxTopicsPerRequest} topics per request`,
      op,
      {
        id: d.id,
      },
    );
    return;
  }
  const parsed = channelsOf(connection, d.topics);
  if (!parsed.ok) {
    connection.sendError('INVALID_TOPIC', `topic ${parsed.topic} names no known voice channel`, op, {
      id: d.id,
    });
    return;
  }
  const added = parsed.channels.filter((channelId) => !session.topics.has(channelId));
  if (session.topics.size + added.length > gateway.limits.maxTopicsPerConnection) {
    connection.sendError(
      'TOO_MANY_TOPICS',
      `a connection holds at most ${gateway.limits.maxTopicsPerConnection} topics`,
      op,
      { id: d.id },
    );
    return;
  }
  for (const channelId of added) gateway.addTopic(session, channelId);
  session.dispatch('SUBSCRIBE_ACK', {
    id: d.id,
    topics: parsed.channels.map(topicNames.voice),
    voiceStates: gateway.directory.states(parsed.channels),
  });
}

export function unsubscribe(
  connection: GatewayConnection,
  session: GatewaySession,
  d: SubscribePayload['d'],
): void {
  const parsed = channelsOf(connection, d.topics);
  if (!parsed.ok) {
    connection.sendError(
      'INVALID_TOPIC',
      `topic ${parsed.topic} names no known voice channel`,
      GatewayOp.Unsubscribe,
      {
        id: d.id,
      },
    );
    return;
  }
  for (const channelId of parsed.channels) connection.gateway.removeTopic(session, channelId);
  session.dispatch('UNSUBSCRIBE_ACK', { id: d.id, topics: parsed.channels.map(topicNames.voice) });
}
