import type { VoiceState } from '@miscord/protocol';
import { type ConnectionRecord, voiceStateOf } from '@miscord/registry';
import type { GatewaySession } from './GatewaySession';

export interface VoiceEntry {
  readonly state: VoiceState;
  /** The node holding the session's socket (where its SIGNALs go). */
  nodeId: string;
  /**
   * The session `state.sessionId` on this node, once a SIGNAL looked it up (Gateway.localSession), so the
   * next ones follow a pointer instead of a Map lookup. Valid while that session is not removed.
   */
  session: GatewaySession | undefined;
}

/**
 * This node's copy of who is in which voice channel, across the cluster. Kept current by the voice-state
 * events every node receives, so SIGNAL authorisation and routing need no Redis round trip.
 */
export class VoiceDirectory {
  private readonly byUser = new Map<string, VoiceEntry>();
  private readonly byChannel = new Map<string, Set<string>>();

  /** Apply a voice state: `channelId` null removes the user (if that session is the one in voice). */
  apply(state: VoiceState, nodeId: string): void {
    const current = this.byUser.get(state.userId);
    if (state.channelId === null) {
      if (current && current.state.sessionId === state.sessionId) this.remove(state.userId, current);
      return;
    }
    if (current) this.remove(state.userId, current);
    this.byUser.set(state.userId, { state, nodeId, session: undefined });
    const members = this.byChannel.get(state.channelId);
    if (members) members.add(state.userId);
    else this.byChannel.set(state.channelId, new Set([state.userId]));
  }

  private remove(userId: string, entry: VoiceEntry): void {
    this.byUser.delete(userId);
    const channelId = entry.state.channelId;
    if (channelId === null) return;
    const members = this.byChannel.get(channelId);
    members?.delete(userId);
    if (members?.size === 0) this.byChannel.delete(channelId);
  }

  /** A resumed session moved to another node. */
  moveSession(userId: string, sessionId: string, nodeId: string): void {
    const entry = this.byUser.get(userId);
    if (entry && entry.state.sessionId === sessionId) entry.nodeId = nodeId;
  }

  get(userId: string): VoiceEntry | undefined {
    return this.byUser.get(userId);
  }

  states(channelIds?: Iterable<string>): VoiceState[] {
    if (!channelIds) return [...this.byUser.values()].map((entry) => entry.state);
    const result: VoiceState[] = [];
    for (const channelId of channelIds) {
      for (const userId of this.byChannel.get(channelId) ?? []) {
        const entry = this.byUser.get(userId);
        if (entry) result.push(entry.state);
      }
    }
    return result;
  }

  participants(channelId: string): number {
    return this.byChannel.get(channelId)?.size ?? 0;
  }

  /**
   * Channels whose member count here differs from the registry's `counts` (channel id → members), in
   * either direction: where a voice-state event this node should have received was lost.
   */
  driftedChannels(counts: Readonly<Record<string, number>>): string[] {
    const drifted = new Set<string>();
    for (const [channelId, count] of Object.entries(counts))
      if (count !== this.participants(channelId)) drifted.add(channelId);
    for (const channelId of this.byChannel.keys()) if (!(channelId in counts)) drifted.add(channelId);
    return [...drifted];
  }

  /** Replace the members of `channelIds` with the registry's `records` of who is in them. */
  replaceChannels(channelIds: readonly string[], records: readonly ConnectionRecord[]): void {
    for (const channelId of channelIds) {
      for (const userId of [...(this.byChannel.get(channelId) ?? [])]) {
        const entry = this.byUser.get(userId);
        if (entry) this.remove(userId, entry);
      }
    }
    this.applyRecords(records);
  }

  /** Replace everything with the registry's records of who is in voice. */
  reload(records: readonly ConnectionRecord[]): void {
    this.clear();
    this.applyRecords(records);
  }

  private applyRecords(records: readonly ConnectionRecord[]): void {
    for (const record of records)
      if (record.channelId !== null) this.apply(voiceStateOf(record), record.nodeId);
  }

  clear(): void {
    this.byUser.clear();
    this.byChannel.clear();
  }
}
