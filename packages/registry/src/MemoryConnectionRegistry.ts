import { OneOrMany } from './OneOrMany';
import { TouchOrder } from './TouchOrder';
import type {
  BusHandler,
  BusTarget,
  ConnectionRecord,
  ConnectionRegistry,
  EvictedVoiceState,
  ReattachOptions,
  ReattachResult,
  RegistryCounts,
  RegistryHealth,
  ReplayFrame,
  StoredReplay,
  SweepOptions,
  SweepResult,
  VoiceUpdate,
  VoiceUpdateResult,
} from './types';
import { voiceStateOf } from './voiceState';

export interface MemoryRegistryOptions {
  readonly nodeId: string;
  /** Most frames kept per stored replay. */
  readonly replayCapacity?: number;
}

interface StoredEntry {
  lastSeq: number;
  topics: readonly string[];
  frames: ReplayFrame[];
  expiresAt: number;
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

/**
 * The embedded single-node registry. `lastSeen` keeps connections in touch order (a touch moves one to
 * the newest end), so a sweep reads only the stale prefix: its cost depends on the stale entries, not on
 * the live ones.
 */
export class MemoryConnectionRegistry implements ConnectionRegistry {
  readonly mode = 'memory' as const;
  readonly nodeId: string;
  private readonly records = new Map<string, ConnectionRecord>();
  private readonly bySession = new Map<string, string>();
  private readonly byUser = new OneOrMany();
  private readonly byChannel = new Map<string, Set<string>>();
  private readonly lastSeen = new TouchOrder();
  private readonly replays = new Map<string, StoredEntry>();
  private readonly handlers: BusHandler[] = [];
  private readonly replayCapacity: number;

  constructor(options: MemoryRegistryOptions) {
    this.nodeId = options.nodeId;
    this.replayCapacity = options.replayCapacity ?? 1000;
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.length = 0;
  }

  async register(record: ConnectionRecord): Promise<void> {
    const existing = this.records.get(record.connectionId);
    if (existing) this.removeRecord(existing);
    this.records.set(record.connectionId, { ...record });
    this.bySession.set(record.sessionId, record.connectionId);
    this.byUser.add(record.userId, record.connectionId);
    if (record.channelId !== null) addTo(this.byChannel, record.channelId, record.connectionId);
    this.lastSeen.touch(record.connectionId, record.lastSeenAt);
  }

  async get(connectionId: string): Promise<ConnectionRecord | null> {
    const record = this.records.get(connectionId);
    return record ? { ...record } : null;
  }

  async findSession(sessionId: string): Promise<ConnectionRecord | null> {
    const connectionId = this.bySession.get(sessionId);
    return connectionId === undefined ? null : this.get(connectionId);
  }

  touch(connectionId: string, at: number): void {
    const record = this.records.get(connectionId);
    if (!record || at < record.lastSeenAt) return;
    // The stored record is this registry's own copy (callers get copies): updated in place, a
    // heartbeat allocates nothing.
    record.lastSeenAt = at;
    this.lastSeen.touch(connectionId, at);
  }

  async flush(): Promise<void> {}

  async updateVoice(
    connectionId: string,
    update: VoiceUpdate,
    userLimit: number,
  ): Promise<VoiceUpdateResult> {
    const record = this.records.get(connectionId);
    if (!record) return { ok: false, reason: 'UNKNOWN_CONNECTION' };
    const target = update.channelId;
    const others = this.byUser.get(record.userId).filter((id) => id !== connectionId);
    if (target !== null && target !== record.channelId && userLimit > 0) {
      const members = this.byChannel.get(target) ?? new Set<string>();
      const sameUser = others.filter((id) => members.has(id)).length;
      if (members.size - sameUser >= userLimit) return { ok: false, reason: 'CHANNEL_FULL' };
    }
    const evicted: EvictedVoiceState[] = [];
    if (target !== null) {
      for (const otherId of others) {
        const other = this.records.get(otherId);
        if (!other || other.channelId === null) continue;
        const previousChannelId = other.channelId;
        removeFrom(this.byChannel, previousChannelId, otherId);
        const moved = { ...other, channelId: null, selfMute: false, selfDeaf: false, streaming: false };
        this.records.set(otherId, moved);
        evicted.push({ state: voiceStateOf(moved), previousChannelId, nodeId: moved.nodeId });
      }
    }
    const previousChannelId = record.channelId;
    if (previousChannelId !== null) removeFrom(this.byChannel, previousChannelId, connectionId);
    if (target !== null) addTo(this.byChannel, target, connectionId);
    const next: ConnectionRecord = {
      ...record,
      channelId: target,
      selfMute: target === null ? false : update.selfMute,
      selfDeaf: target === null ? false : update.selfDeaf,
      streaming: target === null ? false : update.streaming,
    };
    this.records.set(connectionId, next);
    return { ok: true, state: voiceStateOf(next), previousChannelId, evicted };
  }

  async disconnect(connectionId: string): Promise<ConnectionRecord | null> {
    const record = this.records.get(connectionId);
    if (!record) return null;
    this.removeRecord(record);
    return { ...record };
  }

  private removeRecord(record: ConnectionRecord): void {
    const id = record.connectionId;
    this.records.delete(id);
    this.lastSeen.delete(id);
    if (this.bySession.get(record.sessionId) === id) this.bySession.delete(record.sessionId);
    this.byUser.delete(record.userId, id);
    if (record.channelId !== null) removeFrom(this.byChannel, record.channelId, id);
  }

  async reattach(sessionId: string, options: ReattachOptions): Promise<ReattachResult | null> {
    const previousConnectionId = this.bySession.get(sessionId);
    const previous = previousConnectionId === undefined ? undefined : this.records.get(previousConnectionId);
    if (!previous || previousConnectionId === undefined) return null;
    this.removeRecord(previous);
    const record: ConnectionRecord = {
      ...previous,
      connectionId: options.connectionId,
      nodeId: options.nodeId,
      ip: options.ip,
      userAgent: options.userAgent,
      lastSeenAt: options.at,
    };
    await this.register(record);
    return { record: { ...record }, previousConnectionId, previousNodeId: previous.nodeId };
  }

  async voiceMembers(channelIds?: readonly string[]): Promise<ConnectionRecord[]> {
    const channels = channelIds ?? [...this.byChannel.keys()];
    const result: ConnectionRecord[] = [];
    for (const channelId of channels) {
      for (const id of this.byChannel.get(channelId) ?? []) {
        const record = this.records.get(id);
        if (record) result.push({ ...record });
      }
    }
    return result;
  }

  async list(limit: number): Promise<ConnectionRecord[]> {
    const result: ConnectionRecord[] = [];
    for (const id of this.lastSeen.newest(limit)) {
      const record = this.records.get(id);
      if (record) result.push({ ...record });
    }
    return result;
  }

  async counts(): Promise<RegistryCounts> {
    const byKind = { desktop: 0, web: 0 };
    // Counted here rather than indexed: an index by node cost every removal (the reaper's) a Set update.
    const byNode: Record<string, number> = {};
    for (const record of this.records.values()) {
      byKind[record.kind]++;
      byNode[record.nodeId] = (byNode[record.nodeId] ?? 0) + 1;
    }
    const sizes = (index: Map<string, Set<string>>) =>
      Object.fromEntries([...index].map(([key, set]) => [key, set.size]));
    return {
      total: this.records.size,
      byKind,
      byChannel: sizes(this.byChannel),
      byNode,
      usersOnline: this.byUser.size,
    };
  }

  async sweep(options: SweepOptions): Promise<SweepResult> {
    const started = performance.now();
    const cutoff = (options.now ?? Date.now()) - options.staleAfterMs;
    const removed: ConnectionRecord[] = [];
    for (
      let oldest = this.lastSeen.oldest();
      oldest && oldest.at <= cutoff;
      oldest = this.lastSeen.oldest()
    ) {
      const record = this.records.get(oldest.id);
      if (record) {
        this.removeRecord(record);
        removed.push(record);
      } else this.lastSeen.delete(oldest.id);
    }
    const now = options.now ?? Date.now();
    // Kept in write order, which is expiry order with one TTL (the gateway uses its resume window):
    // only the expired prefix is read. loadReplay checks expiry anyway.
    for (const [sessionId, entry] of this.replays) {
      if (entry.expiresAt > now) break;
      this.replays.delete(sessionId);
    }
    return { ran: true, staleRemoved: removed.length, durationMs: performance.now() - started, removed };
  }

  async saveReplay(sessionId: string, replay: StoredReplay, ttlMs: number): Promise<void> {
    this.replays.delete(sessionId);
    this.replays.set(sessionId, {
      lastSeq: replay.lastSeq,
      topics: [...(replay.topics ?? [])],
      frames: replay.frames.slice(-this.replayCapacity),
      expiresAt: Date.now() + ttlMs,
    });
  }

  appendReplay(sessionId: string, frame: ReplayFrame, ttlMs: number): void {
    const entry = this.replays.get(sessionId) ?? { lastSeq: 0, topics: [], frames: [], expiresAt: 0 };
    entry.frames.push(frame);
    if (entry.frames.length > this.replayCapacity) entry.frames.shift();
    entry.lastSeq = Math.max(entry.lastSeq, frame.seq);
    entry.expiresAt = Date.now() + ttlMs;
    this.replays.delete(sessionId);
    this.replays.set(sessionId, entry);
  }

  async loadReplay(sessionId: string): Promise<StoredReplay | null> {
    const entry = this.replays.get(sessionId);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.replays.delete(sessionId);
      return null;
    }
    return { lastSeq: entry.lastSeq, frames: [...entry.frames], topics: [...entry.topics] };
  }

  async dropReplay(sessionId: string): Promise<void> {
    this.replays.delete(sessionId);
  }

  publish(target: BusTarget, message: string): void {
    if (target.kind === 'node' && target.nodeId !== this.nodeId) return;
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(message);
    });
  }

  onMessage(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  async health(): Promise<RegistryHealth> {
    return { mode: this.mode, connected: true, roundTripMs: null };
  }
}
