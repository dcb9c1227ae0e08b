import type { ClientKind, ConnectionMetadata, VoiceState } from '@miscord/protocol';

export type RegistryMode = 'memory' | 'redis';

/** A session's voice flags; `channelId` lives in the metadata. */
export interface VoiceFlags {
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
  readonly streaming: boolean;
}

/**
 * What the registry keeps per connection: the protocol's `ConnectionMetadata` plus the voice flags of
 * the session it carries. One record per session: a resumed session keeps its record (and its voice
 * state) under the new connection id.
 */
export type ConnectionRecord = ConnectionMetadata & VoiceFlags;

export interface VoiceUpdate extends VoiceFlags {
  /** The channel to be in, or `null` to leave voice. */
  readonly channelId: string | null;
}

/** A session that lost its place in voice because the same user joined elsewhere. */
export interface EvictedVoiceState {
  readonly state: VoiceState;
  readonly previousChannelId: string;
  readonly nodeId: string;
}

export type VoiceUpdateResult =
  | {
      readonly ok: true;
      readonly state: VoiceState;
      readonly previousChannelId: string | null;
      /** Other sessions of the same user taken out of voice (a user is in at most one channel). */
      readonly evicted: readonly EvictedVoiceState[];
    }
  | { readonly ok: false; readonly reason: 'CHANNEL_FULL' | 'UNKNOWN_CONNECTION' };

export interface ReattachOptions {
  readonly connectionId: string;
  readonly nodeId: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly at: number;
}

export interface ReattachResult {
  readonly record: ConnectionRecord;
  readonly previousConnectionId: string;
  readonly previousNodeId: string;
}

export interface StoredReplay {
  /** The last sequence number sent to the session. */
  readonly lastSeq: number;
  /** Encoded dispatch frames, oldest first, each with its sequence number. */
  readonly frames: readonly ReplayFrame[];
  /** Topics the session subscribed to (restored on a resume elsewhere). */
  readonly topics?: readonly string[];
}

export interface ReplayFrame {
  readonly seq: number;
  readonly frame: string;
}

export interface RegistryCounts {
  readonly total: number;
  readonly byKind: Record<ClientKind, number>;
  readonly byChannel: Record<string, number>;
  readonly byNode: Record<string, number>;
  readonly usersOnline: number;
}

export interface SweepOptions {
  /** Entries whose last-seen is older than `now - staleAfterMs` are removed. */
  readonly staleAfterMs: number;
  readonly now?: number;
  /** Entries taken per batch (one ZRANGEBYSCORE … LIMIT in Redis). */
  readonly batchSize?: number;
}

export interface SweepResult {
  /** False when another node held the reaper lock; nothing was done. */
  readonly ran: boolean;
  readonly staleRemoved: number;
  readonly durationMs: number;
  /** The removed records, so the caller can tell their channels. */
  readonly removed: readonly ConnectionRecord[];
}

/** Where a bus message goes: every node, or one node by id. */
export type BusTarget = { readonly kind: 'all' } | { readonly kind: 'node'; readonly nodeId: string };

export type BusHandler = (message: string) => void;

export interface RegistryHealth {
  readonly mode: RegistryMode;
  readonly connected: boolean;
  /** Round trip of a PING in ms (null in memory mode or when Redis is down). */
  readonly roundTripMs: number | null;
}

/**
 * The connection manager of the gateway. Every mutation that touches several indices is atomic.
 * `disconnect(connectionId)` alone removes everything the registry holds about a connection.
 */
export interface ConnectionRegistry {
  readonly mode: RegistryMode;
  readonly nodeId: string;

  /** Connect, register this node and start the alive beat. */
  start(): Promise<void>;
  /** Flush pending writes, deregister this node and release connections (Redis: quit). */
  close(): Promise<void>;

  register(record: ConnectionRecord): Promise<void>;
  get(connectionId: string): Promise<ConnectionRecord | null>;
  findSession(sessionId: string): Promise<ConnectionRecord | null>;
  /** Record activity. Coalesced: written with the next flush, never one round trip per call. */
  touch(connectionId: string, at: number): void;
  /** Write coalesced touches now. */
  flush(): Promise<void>;
  /** Join, move or leave voice, with the channel's user limit (0 = none). */
  updateVoice(connectionId: string, update: VoiceUpdate, userLimit: number): Promise<VoiceUpdateResult>;
  /** Remove a connection and everything about it; returns what was removed, or null if unknown. */
  disconnect(connectionId: string): Promise<ConnectionRecord | null>;
  /** Move a session's record to a new connection (RESUME); null when the session is unknown. */
  reattach(sessionId: string, options: ReattachOptions): Promise<ReattachResult | null>;
  /** Records of everyone in voice, in the given channels or in all channels. */
  voiceMembers(channelIds?: readonly string[]): Promise<ConnectionRecord[]>;
  /** Up to `limit` records, most recently seen first. */
  list(limit: number): Promise<ConnectionRecord[]>;
  counts(): Promise<RegistryCounts>;
  /** Remove stale connections (one sweeper at a time across the cluster). */
  sweep(options: SweepOptions): Promise<SweepResult>;

  /** Keep a session's dispatches for a resume on any node, for `ttlMs`. Replaces what was stored. */
  saveReplay(sessionId: string, replay: StoredReplay, ttlMs: number): Promise<void>;
  /** Add one dispatch to a stored replay (batched per tick in Redis). */
  appendReplay(sessionId: string, frame: ReplayFrame, ttlMs: number): void;
  loadReplay(sessionId: string): Promise<StoredReplay | null>;
  dropReplay(sessionId: string): Promise<void>;

  /** Cross-node delivery. Messages are strings; handlers get messages for `all` and for this node. */
  publish(target: BusTarget, message: string): void;
  onMessage(handler: BusHandler): void;

  health(): Promise<RegistryHealth>;
}
