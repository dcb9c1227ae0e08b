import type { GatewaySession } from './GatewaySession';

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  set?.delete(value);
  if (set?.size === 0) index.delete(key);
}

/** This node's sessions by voice channel and by subscribed `voice:<id>` topic: who gets a channel's events. */
export class SessionIndex {
  private readonly byChannel = new Map<string, Set<GatewaySession>>();
  private readonly byTopic = new Map<string, Set<GatewaySession>>();

  setChannel(session: GatewaySession, channelId: string | null): void {
    if (session.channelId === channelId) return;
    if (session.channelId !== null) removeFrom(this.byChannel, session.channelId, session);
    session.channelId = channelId;
    if (channelId !== null) addTo(this.byChannel, channelId, session);
  }

  addTopic(session: GatewaySession, channelId: string): void {
    session.topics.add(channelId);
    addTo(this.byTopic, channelId, session);
  }

  removeTopic(session: GatewaySession, channelId: string): void {
    session.topics.delete(channelId);
    removeFrom(this.byTopic, channelId, session);
  }

  /** Drop a session from every index (its channel mirror becomes null, its topics are cleared). */
  forget(session: GatewaySession): void {
    this.setChannel(session, null);
    for (const channelId of session.topics) removeFrom(this.byTopic, channelId, session);
    session.topics.clear();
  }

  /** Recipients of events of one or two channels: their members and topic subscribers, once each. */
  recipients(channelIds: readonly (string | null)[]): Set<GatewaySession> {
    const result = new Set<GatewaySession>();
    for (const channelId of channelIds) {
      if (channelId === null) continue;
      for (const session of this.byChannel.get(channelId) ?? []) result.add(session);
      for (const session of this.byTopic.get(channelId) ?? []) result.add(session);
    }
    return result;
  }
}
