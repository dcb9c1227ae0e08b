import {
  type DecodeOptions,
  encodeSignalDispatchData,
  type IceServer,
  type Limits,
  type NodeState,
  type SignalData,
  type Space,
  type VoiceChannel,
  type VoiceState,
} from '@miscord/protocol';
import { type ConnectionRecord, type ConnectionRegistry, leftVoiceOf } from '@miscord/registry';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { TokenSigner } from '../auth/tokens';
import { type BusMessage, handleBusMessage, parseBusMessage } from './busMessages';
import { FrameStore } from './FrameStore';
import {
  type ConnectionInfo,
  type ConnectionState,
  ConnectionStatus,
  GatewayConnection,
} from './GatewayConnection';
import { GatewayMetrics } from './GatewayMetrics';
import { GatewaySession, type SessionContext, type SessionInit, SessionStatus } from './GatewaySession';
import type { GatewayLimits } from './limits';
import { drainNode, type SweepReport, sweepStale } from './nodeLifecycle';
import { RatePolicy } from './RateLimiter';
import type { ReplayBuffer } from './ReplayBuffer';
import { SessionIndex } from './SessionIndex';
import { localCounts } from './stats';
import { TaskLimiter } from './TaskLimiter';
import { FrameWriter } from './textFrame';
import { VoiceDirectory, type VoiceEntry } from './VoiceDirectory';
import { WriteBatch } from './WriteBatch';

/** How often heartbeat deadlines are checked: a connection is closed at most this late. */
const deadlineCheckMs = (deadlineMs: number): number => Math.min(1_000, Math.max(10, deadlineMs / 20));

/**
 * Replay saves a node runs at once. Each keeps a copy of its session's frames (and ioredis's command for
 * them) until Redis answers. A drain saves every session, and a network blip detaches thousands at once:
 * a sampling heap profile taken while the benchmark dropped 5,000 connections found the commands and
 * pipelines of those saves the largest live objects (~55 MB), all started together.
 */
export const REPLAY_SAVES_IN_FLIGHT = 64;

/** Every this many directory resyncs, the whole directory is reloaded (at the 30 s default: 5 min). */
const FULL_RESYNC_EVERY = 10;

export interface GatewayOptions {
  readonly registry: ConnectionRegistry;
  readonly tokens: TokenSigner;
  readonly log: Logger;
  readonly limits: GatewayLimits;
  readonly spaces: Space[];
  readonly iceServers: IceServer[];
  /** How often the reaper sweeps stale registry entries (0 = never; tests call sweepOnce). */
  readonly reaperIntervalMs: number;
  /** A registry entry not seen for this long is stale. */
  readonly staleAfterMs: number;
  /** Cluster mode: how often the voice directory is reloaded from Redis (0 = never). */
  readonly directoryResyncMs: number;
}

/**
 * One gateway node: its connections and sessions, the voice directory, delivery of dispatches (locally
 * and through the registry bus), the reaper and draining.
 */
export class Gateway {
  readonly nodeId: string;
  readonly registry: ConnectionRegistry;
  readonly tokens: TokenSigner;
  readonly log: Logger;
  readonly limits: GatewayLimits;
  readonly readyLimits: Limits;
  /** The rate limits every connection's limiter applies. */
  readonly ratePolicy: RatePolicy;
  readonly spaces: Space[];
  readonly iceServers: IceServer[];
  readonly channels = new Map<string, VoiceChannel>();
  readonly directory = new VoiceDirectory();
  /** Writes every connection's frames whole (GatewayConnection.sendFrame). */
  readonly frameWriter = new FrameWriter();
  /** Gathers each connection's frames of a turn into one write. */
  readonly writeBatch = new WriteBatch((error) => this.log.error({ err: error }, 'writing frames failed'));
  readonly sessions = new Map<string, GatewaySession>();
  readonly connections = new Set<GatewayConnection>();
  readonly metrics: GatewayMetrics;
  /** The replay frames of this node's attached sessions, off the heap. */
  readonly frames = new FrameStore();
  /** Decoder options, built once (not per frame). */
  readonly decodeText: DecodeOptions;
  readonly decodeBinary: DecodeOptions;
  readonly startedAt = new Date();
  state: NodeState = 'starting';
  private readonly index = new SessionIndex();
  private readonly replaySaves = new TaskLimiter(REPLAY_SAVES_IN_FLIGHT);
  /** What every session of this node shares (one object, not one per session). */
  private readonly sessionContext: SessionContext;
  readonly clustered: boolean;
  /** Directory resyncs run so far (every FULL_RESYNC_EVERY-th one reloads everything). */
  private resyncs = 0;
  private reaperTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.registry = options.registry;
    this.nodeId = options.registry.nodeId;
    this.tokens = options.tokens;
    this.log = options.log;
    this.limits = options.limits;
    this.ratePolicy = new RatePolicy(options.limits);
    const {
      heartbeatIntervalMs: _h,
      resumeWindowMs: _r,
      replayBufferSize: _b,
      heartbeatDeadlineMs: _d,
      maxBufferedBytes: _m,
      ...ready
    } = options.limits;
    this.readyLimits = ready;
    const sizes = {
      maxFrameBytes: ready.maxFrameBytes,
      maxSignalBytes: ready.maxSignalBytes,
      maxControlBytes: ready.maxControlBytes,
    };
    this.decodeText = { ...sizes, binary: false };
    this.decodeBinary = { ...sizes, binary: true };
    this.spaces = options.spaces;
    this.iceServers = options.iceServers;
    for (const space of options.spaces)
      for (const channel of space.channels) this.channels.set(channel.id, channel);
    this.clustered = options.registry.mode === 'redis';
    this.metrics = new GatewayMetrics(
      () => localCounts(this),
      () => this.frames.stats(),
    );
    this.sessionContext = {
      metrics: this.metrics,
      registry: this.registry,
      shareReplays: this.clustered,
      resumeWindowMs: this.limits.resumeWindowMs,
      frames: this.frames,
      stateChanged: (session, previous, next) =>
        this.log.debug(
          { sessionId: session.id, userId: session.userId, from: previous.status, to: next.status },
          'session state',
        ),
    };
  }

  get heartbeatDeadlineMs(): number {
    return this.limits.heartbeatDeadlineMs;
  }

  get replayCapacity(): number {
    return this.limits.replayBufferSize;
  }

  async start(): Promise<void> {
    await this.registry.start();
    this.registry.onMessage((text) => this.onBusMessage(text));
    await this.loadDirectory();
    // One timer for every connection's heartbeat deadline and backlog (a timer per connection costs each
    // ~250 bytes).
    this.deadlineTimer = setInterval(
      () => this.sweepConnections(Date.now()),
      deadlineCheckMs(this.limits.heartbeatDeadlineMs),
    );
    this.deadlineTimer.unref();
    if (this.clustered && this.options.directoryResyncMs > 0) {
      // Bus messages lost while Redis was unreachable would leave the directory behind; check it now and then.
      this.resyncTimer = setInterval(() => {
        this.resyncDirectory().catch((error: unknown) =>
          this.log.warn({ err: error }, 'directory resync failed'),
        );
      }, this.options.directoryResyncMs);
      this.resyncTimer.unref();
    }
    if (this.options.reaperIntervalMs > 0) {
      this.reaperTimer = setInterval(() => {
        this.sweepOnce().catch((error: unknown) => this.log.warn({ err: error }, 'reaper sweep failed'));
      }, this.options.reaperIntervalMs);
      this.reaperTimer.unref();
    }
    this.state = 'ready';
  }

  /** Rebuild the voice directory from the registry. */
  private async loadDirectory(): Promise<void> {
    this.directory.reload(await this.registry.voiceMembers());
  }

  /**
   * Catch up with voice-state events this node missed. Usually one read of the per-channel counts, then
   * a reload of only the channels whose count drifted; every FULL_RESYNC_EVERY-th time the whole
   * directory, for what counts cannot show (a lost move out of one channel and a lost move into it, or a
   * lost mute flag). Reloading every member every time cost each node one HGETALL per member.
   */
  private async resyncDirectory(): Promise<void> {
    this.resyncs++;
    if (this.resyncs % FULL_RESYNC_EVERY === 0) {
      await this.loadDirectory();
      return;
    }
    const { byChannel } = await this.registry.counts();
    const drifted = this.directory.driftedChannels(byChannel);
    if (drifted.length === 0) return;
    // Debug, not warn: a voice event applied while the counts were in flight also reads as drift.
    this.log.debug(
      { channels: drifted },
      'voice directory drifted from the registry; reloading those channels',
    );
    this.directory.replaceChannels(drifted, await this.registry.voiceMembers(drifted));
  }

  /** Take a new WebSocket; while draining it is told to reconnect elsewhere at once. */
  accept(socket: WebSocket, info: ConnectionInfo): GatewayConnection | null {
    if (this.state === 'draining') {
      socket.send(JSON.stringify({ op: 7, d: null }));
      socket.close(1001, 'node draining');
      return null;
    }
    const connection = new GatewayConnection(socket, info, this);
    this.connections.add(connection);
    connection.hello();
    return connection;
  }

  /** Close every connection that sent no heartbeat within the deadline (4009) or stopped reading (4010). */
  sweepConnections(now: number): void {
    const deadline = this.limits.heartbeatDeadlineMs;
    const backlog = this.limits.maxBufferedBytes;
    for (const connection of this.connections) {
      if (now - connection.lastBeatAt >= deadline) connection.heartbeatMissed();
      else connection.checkBacklog(backlog, now);
    }
  }

  connectionStateChanged(
    connection: GatewayConnection,
    _previous: ConnectionState,
    next: ConnectionState,
  ): void {
    if (next.status === ConnectionStatus.Closed) this.connections.delete(connection);
  }

  createSession(init: Omit<SessionInit, 'replayCapacity'>, connection: GatewayConnection): GatewaySession {
    const session = new GatewaySession(
      { ...init, replayCapacity: this.replayCapacity },
      connection,
      this.sessionContext,
    );
    this.sessions.set(session.id, session);
    return session;
  }

  /** RESUME of a session held here: move it to the new socket (closing a zombie socket still holding it). */
  takeOver(session: GatewaySession, connection: GatewayConnection, connectionId: string): void {
    const previous = session.state;
    session.connectionId = connectionId;
    session.state = { status: SessionStatus.Attached, connection };
    if (previous.status === SessionStatus.Attached && previous.connection !== connection) {
      previous.connection.close(4014, 'session resumed on another connection');
    }
    connection.becomeReady(session);
  }

  /** RESUME of a session another node held: rebuild it here from the registry. */
  adoptSession(
    record: ConnectionRecord,
    replay: ReplayBuffer,
    lastSeq: number,
    connection: GatewayConnection,
    previousNodeId: string,
    topics: readonly string[] = [],
  ): void {
    const session = new GatewaySession(
      {
        id: record.sessionId,
        userId: record.userId,
        displayName: record.displayName,
        kind: record.kind,
        connectionId: record.connectionId,
        replayCapacity: this.replayCapacity,
        seq: lastSeq,
        replay,
      },
      connection,
      this.sessionContext,
    );
    this.sessions.set(session.id, session);
    this.index.setChannel(session, record.channelId);
    for (const channelId of topics) if (this.channels.has(channelId)) this.addTopic(session, channelId);
    this.directory.moveSession(record.userId, record.sessionId, this.nodeId);
    connection.becomeReady(session);
    const message: BusMessage = {
      k: 'attach',
      origin: this.nodeId,
      userId: record.userId,
      sessionId: record.sessionId,
      nodeId: this.nodeId,
      previousNodeId,
    };
    this.registry.publish({ kind: 'all' }, JSON.stringify(message));
  }

  /** The socket of a session closed: keep the session resumable, or remove it now. */
  sessionLostSocket(session: GatewaySession, connection: GatewayConnection, keep: boolean): void {
    const state = session.state;
    if (state.status !== SessionStatus.Attached || state.connection !== connection) return;
    if (!keep) {
      this.removeSession(session, 'closed').catch((error: unknown) =>
        this.log.warn({ err: error }, 'removing a session failed'),
      );
      return;
    }
    const now = Date.now();
    const timer =
      this.state === 'draining'
        ? null
        : setTimeout(() => {
            this.removeSession(session, 'resume window passed').catch((error: unknown) =>
              this.log.warn({ err: error }, 'removing an expired session failed'),
            );
          }, this.limits.resumeWindowMs);
    timer?.unref();
    session.state = { status: SessionStatus.Detached, since: now, timer };
    this.registry.touch(session.connectionId, now);
    if (this.clustered && this.state !== 'draining')
      this.persistReplay(session).catch((error: unknown) =>
        this.log.warn({ err: error }, 'saving a replay failed'),
      );
  }

  /** Write a session's replay to the registry (cluster mode), REPLAY_SAVES_IN_FLIGHT at a time node-wide. */
  persistReplay(session: GatewaySession): Promise<void> {
    // The snapshot is taken when the save starts: a waiting save holds nothing but its place in line.
    return this.replaySaves.run(() =>
      this.registry.saveReplay(
        session.id,
        { lastSeq: session.seq, frames: session.replay.all(), topics: [...session.topics] },
        this.limits.resumeWindowMs,
      ),
    );
  }

  /** End a session: registry entry gone, its channel told. */
  async removeSession(session: GatewaySession, reason: string): Promise<void> {
    if (session.state.status === SessionStatus.Removed) return;
    session.state = { status: SessionStatus.Removed };
    this.forgetSession(session);
    this.log.debug({ sessionId: session.id, userId: session.userId, reason }, 'session removed');
    await this.removeRecord(session.connectionId);
    if (this.clustered) await this.registry.dropReplay(session.id);
  }

  forgetSession(session: GatewaySession): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    this.index.forget(session);
  }

  /** Remove a registry entry and tell its channel (whoever removes an entry announces the leave). */
  async removeRecord(connectionId: string): Promise<void> {
    const record = await this.registry.disconnect(connectionId);
    if (record?.channelId) this.announceVoice(leftVoiceOf(record), record.channelId, record.nodeId);
  }

  addTopic(session: GatewaySession, channelId: string): void {
    this.index.addTopic(session, channelId);
  }

  removeTopic(session: GatewaySession, channelId: string): void {
    this.index.removeTopic(session, channelId);
  }

  /** A voice state changed (on this node): apply it here and on every other node. */
  announceVoice(state: VoiceState, previousChannelId: string | null, nodeId: string): void {
    this.applyVoice(state, previousChannelId, nodeId);
    if (this.clustered) {
      const message: BusMessage = { k: 'voice', origin: this.nodeId, nodeId, state, previousChannelId };
      this.registry.publish({ kind: 'all' }, JSON.stringify(message));
    }
  }

  applyVoice(state: VoiceState, previousChannelId: string | null, nodeId: string): void {
    this.directory.apply(state, nodeId);
    const own = this.sessions.get(state.sessionId);
    if (own) this.index.setChannel(own, state.channelId);
    const recipients = this.index.recipients([state.channelId, previousChannelId]);
    if (own) recipients.add(own);
    const json = JSON.stringify(state);
    for (const session of recipients) session.dispatchJson('VOICE_STATE', json);
  }

  announceSpeaking(userId: string, channelId: string, speaking: number): void {
    this.applySpeaking(userId, channelId, speaking);
    if (this.clustered) {
      const message: BusMessage = { k: 'speaking', origin: this.nodeId, userId, channelId, speaking };
      this.registry.publish({ kind: 'all' }, JSON.stringify(message));
    }
  }

  applySpeaking(userId: string, channelId: string, speaking: number): void {
    const json = JSON.stringify({ userId, channelId, speaking });
    for (const session of this.index.recipients([channelId]))
      if (session.userId !== userId) session.dispatchJson('SPEAKING', json);
  }

  /** SIGNAL to a session: dispatched here, or one PUBLISH to the node holding it. */
  deliverSignal(target: VoiceEntry, from: string, data: SignalData): void {
    if (target.nodeId === this.nodeId) {
      const session = this.localSession(target);
      if (!session) return;
      this.metrics.signalsRelayed.local = (this.metrics.signalsRelayed.local ?? 0) + 1;
      // `data` passed the SignalData schema, so encodeSignalData may write it (several times faster than
      // JSON.stringify). SIGNALs from other nodes arrive unchecked, as bus messages, and are stringified.
      session.dispatchJson('SIGNAL', encodeSignalDispatchData(from, data));
      return;
    }
    this.metrics.signalsRelayed.remote = (this.metrics.signalsRelayed.remote ?? 0) + 1;
    const message: BusMessage = { k: 'signal', to: target.state.sessionId, from, data };
    this.registry.publish({ kind: 'node', nodeId: target.nodeId }, JSON.stringify(message));
  }

  /**
   * The session of a directory entry on this node. The entry remembers it: at 30,000 SIGNALs a second the
   * `sessions` lookup (hashing and comparing the id, each in memory the cache no longer held) was 2 % of
   * the node's time. A session leaves `sessions` only once removed, so a remembered one that is not
   * removed is still the one with that id.
   */
  private localSession(entry: VoiceEntry): GatewaySession | undefined {
    const known = entry.session;
    if (known !== undefined && !known.removed) return known;
    const session = this.sessions.get(entry.state.sessionId);
    entry.session = session;
    return session;
  }

  private onBusMessage(text: string): void {
    const message = parseBusMessage(text);
    if (!message) return;
    try {
      handleBusMessage(this, message);
    } catch (error) {
      this.log.warn({ err: error }, 'bus message failed');
    }
  }

  /** Another node resumed a session this node still held: forget it here, without announcing anything. */
  dropMovedSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    const state = session.state;
    session.state = { status: SessionStatus.Removed };
    this.forgetSession(session);
    if (state.status === SessionStatus.Attached)
      state.connection.close(4014, 'session resumed on another node');
  }

  /** One reaper pass: remove stale entries (cluster-wide, one node at a time) and tell their channels. */
  sweepOnce(): Promise<SweepReport> {
    return sweepStale(this, this.options.staleAfterMs);
  }

  /**
   * Graceful shutdown: mark draining, keep every session resumable (cluster mode: replays written to the
   * registry), send RECONNECT and close 1001 to every client, then flush the registry.
   */
  drain(): Promise<void> {
    this.draining ??= drainNode(this);
    return this.draining;
  }

  stopTimers(): void {
    clearInterval(this.reaperTimer);
    clearInterval(this.resyncTimer);
    clearInterval(this.deadlineTimer);
  }

  /** Stop timers and close the registry (after drain). */
  async stop(): Promise<void> {
    this.stopTimers();
    for (const session of this.sessions.values()) {
      const state = session.state;
      if (state.status === SessionStatus.Detached && state.timer) clearTimeout(state.timer);
    }
    await this.registry.close();
  }
}
