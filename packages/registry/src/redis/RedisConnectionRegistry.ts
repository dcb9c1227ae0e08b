import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
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
} from '../types';
import { voiceStateOf } from '../voiceState';
import {
  disconnectScript,
  reattachScript,
  registerScript,
  releaseLockScript,
  sweepScript,
  voiceScript,
} from './luaScripts';
import { recordFields, recordFromFlat, recordFromHash } from './recordCodec';

export interface RedisRegistryOptions {
  readonly nodeId: string;
  /** redis://host:port/db */
  readonly url: string;
  /** Prefix of every key and channel (default `miscord:`). */
  readonly keyPrefix?: string;
  /** How often coalesced touches and the node's alive beat are written (default 5 s). */
  readonly flushIntervalMs?: number;
  /** TTL of the node's alive key (default 3 × flush interval). */
  readonly aliveTtlMs?: number;
  /** Reaper lock TTL: the longest a sweep may hold the lock (default 30 s). */
  readonly lockTtlMs?: number;
  readonly replayCapacity?: number;
  /** Errors of fire-and-forget writes (touch flushes, replay appends, publishes). */
  readonly onError?: (error: Error) => void;
}

type Reply = string | null | Reply[];

/** The Lua commands added with `defineCommand`. */
interface LuaCommands {
  miscordRegister(...args: string[]): Promise<number>;
  miscordDisconnect(prefix: string, connectionId: string): Promise<string[] | null>;
  miscordVoice(...args: string[]): Promise<Reply[]>;
  miscordReattach(...args: string[]): Promise<[string, string, string[]] | null>;
  miscordSweep(prefix: string, cutoff: string, limit: string): Promise<string[][]>;
  miscordReleaseLock(key: string, token: string): Promise<number>;
}

const flag = (value: boolean): string => (value ? '1' : '0');

/** Records read per pipeline by `records()` (voice members, list). */
const RECORD_BATCH = 250;

/** Touches per ZADD in a flush (all ZADDs of one flush still go out in one pipeline). */
const TOUCH_CHUNK = 5_000;

function parseTopics(text: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(value) ? value.filter((topic): topic is string => typeof topic === 'string') : [];
  } catch {
    return [];
  }
}

/** Removed-record replies carry `lastSeenAt` as their last field pair. */
const removedRecord = (flat: readonly string[]): ConnectionRecord | null => recordFromFlat(flat);

/**
 * The cluster registry on Redis (ioredis). Data model and scripts: packages/registry/README.md.
 * Hot paths never await Redis: touches are coalesced and flushed as one ZADD per interval; replay
 * appends and publishes go out through ioredis's auto-pipelining (one write per event-loop tick).
 */
export class RedisConnectionRegistry implements ConnectionRegistry {
  readonly mode = 'redis' as const;
  readonly nodeId: string;
  readonly prefix: string;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly lua: LuaCommands;
  private readonly pendingTouches = new Map<string, number>();
  private readonly handlers: BusHandler[] = [];
  private readonly flushIntervalMs: number;
  private readonly aliveTtlMs: number;
  private readonly lockTtlMs: number;
  private readonly replayCapacity: number;
  private readonly onError: (error: Error) => void;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: RedisRegistryOptions) {
    this.nodeId = options.nodeId;
    this.prefix = options.keyPrefix ?? 'miscord:';
    this.flushIntervalMs = options.flushIntervalMs ?? 5_000;
    this.aliveTtlMs = options.aliveTtlMs ?? this.flushIntervalMs * 3;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.replayCapacity = options.replayCapacity ?? 1000;
    this.onError = options.onError ?? (() => {});
    const common = { lazyConnect: true, enableAutoPipelining: true, maxRetriesPerRequest: 2 } as const;
    this.redis = new Redis(options.url, common);
    this.subscriber = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    // Without listeners ioredis prints every failed reconnect; the health endpoint reports the state.
    this.redis.on('error', (error: Error) => this.onError(error));
    this.subscriber.on('error', (error: Error) => this.onError(error));
    const define = (name: keyof LuaCommands, lua: string, numberOfKeys = 0) =>
      this.redis.defineCommand(name, { lua, numberOfKeys });
    define('miscordRegister', registerScript);
    define('miscordDisconnect', disconnectScript);
    define('miscordVoice', voiceScript);
    define('miscordReattach', reattachScript);
    define('miscordSweep', sweepScript);
    define('miscordReleaseLock', releaseLockScript, 1);
    this.lua = this.redis as unknown as LuaCommands;
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  async start(): Promise<void> {
    await Promise.all([this.redis.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, message: string) => {
      for (const handler of this.handlers) handler(message);
    });
    await this.subscriber.subscribe(this.key('bus:all'), this.key(`bus:node:${this.nodeId}`));
    await this.redis
      .multi()
      .sadd(this.key('nodes'), this.nodeId)
      .set(this.key(`node:${this.nodeId}:alive`), String(Date.now()), 'PX', this.aliveTtlMs)
      .exec();
    this.flushTimer = setInterval(() => {
      this.flush().catch((error: Error) => this.onError(error));
    }, this.flushIntervalMs);
    this.flushTimer.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.flushTimer);
    try {
      await this.flush();
      await this.redis
        .multi()
        .srem(this.key('nodes'), this.nodeId)
        .del(this.key(`node:${this.nodeId}:alive`))
        .exec();
    } finally {
      await Promise.allSettled([this.subscriber.quit(), this.redis.quit()]);
    }
  }

  async register(record: ConnectionRecord): Promise<void> {
    await this.lua.miscordRegister(
      this.prefix,
      record.connectionId,
      String(record.lastSeenAt),
      ...recordFields(record),
    );
  }

  async get(connectionId: string): Promise<ConnectionRecord | null> {
    const [hash, score] = await Promise.all([
      this.redis.hgetall(this.key(`conn:${connectionId}`)),
      this.redis.zscore(this.key('lastseen'), connectionId),
    ]);
    return recordFromHash(hash, Number(score ?? 0));
  }

  async findSession(sessionId: string): Promise<ConnectionRecord | null> {
    const connectionId = await this.redis.get(this.key(`session:${sessionId}`));
    return connectionId === null ? null : this.get(connectionId);
  }

  touch(connectionId: string, at: number): void {
    const pending = this.pendingTouches.get(connectionId);
    if (pending === undefined || at > pending) this.pendingTouches.set(connectionId, at);
  }

  async flush(): Promise<void> {
    const pipeline = this.redis.pipeline();
    if (this.pendingTouches.size > 0) {
      // XX: never resurrect a connection removed meanwhile; GT: never move last-seen backwards.
      // One ZADD per chunk keeps argument lists small (a spread of 100,000 pairs overflows the stack).
      let args: (string | number)[] = [];
      for (const [id, at] of this.pendingTouches) {
        args.push(at, id);
        if (args.length >= TOUCH_CHUNK * 2) {
          pipeline.zadd(this.key('lastseen'), 'XX', 'GT', ...args);
          args = [];
        }
      }
      if (args.length > 0) pipeline.zadd(this.key('lastseen'), 'XX', 'GT', ...args);
      this.pendingTouches.clear();
    }
    pipeline.set(this.key(`node:${this.nodeId}:alive`), String(Date.now()), 'PX', this.aliveTtlMs);
    await pipeline.exec();
  }

  async updateVoice(
    connectionId: string,
    update: VoiceUpdate,
    userLimit: number,
  ): Promise<VoiceUpdateResult> {
    const reply = await this.lua.miscordVoice(
      this.prefix,
      connectionId,
      update.channelId ?? '',
      flag(update.selfMute),
      flag(update.selfDeaf),
      flag(update.streaming),
      String(userLimit),
    );
    const status = reply[0];
    if (status === 'CHANNEL_FULL' || status === 'UNKNOWN_CONNECTION') return { ok: false, reason: status };
    const previous = reply[1] as string;
    const record = recordFromFlat(reply[2] as string[]);
    if (!record) return { ok: false, reason: 'UNKNOWN_CONNECTION' };
    const evicted: EvictedVoiceState[] = [];
    for (const entry of reply[3] as string[][]) {
      const other = await this.get(entry[0] as string);
      if (other) {
        evicted.push({
          state: voiceStateOf(other),
          previousChannelId: entry[1] as string,
          nodeId: other.nodeId,
        });
      }
    }
    return {
      ok: true,
      state: voiceStateOf(record),
      previousChannelId: previous === '' ? null : previous,
      evicted,
    };
  }

  async disconnect(connectionId: string): Promise<ConnectionRecord | null> {
    const flat = await this.lua.miscordDisconnect(this.prefix, connectionId);
    this.pendingTouches.delete(connectionId);
    return flat ? removedRecord(flat) : null;
  }

  async reattach(sessionId: string, options: ReattachOptions): Promise<ReattachResult | null> {
    const reply = await this.lua.miscordReattach(
      this.prefix,
      sessionId,
      options.connectionId,
      options.nodeId,
      options.ip,
      options.userAgent,
      String(options.at),
    );
    if (!reply) return null;
    const record = recordFromFlat(reply[2], options.at);
    if (!record) return null;
    return { record, previousConnectionId: reply[0], previousNodeId: reply[1] };
  }

  /**
   * The records of `ids`, RECORD_BATCH per pipeline one after another: the replies of one pipeline are
   * parsed in one go, and 5,000 records at once held a gateway's event loop for 65–110 ms (every
   * directory resync), where a batch holds it for a few ms.
   */
  private async records(ids: readonly string[]): Promise<ConnectionRecord[]> {
    const result: ConnectionRecord[] = [];
    for (let first = 0; first < ids.length; first += RECORD_BATCH) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(first, first + RECORD_BATCH)) {
        pipeline.hgetall(this.key(`conn:${id}`));
        pipeline.zscore(this.key('lastseen'), id);
      }
      const replies = (await pipeline.exec()) ?? [];
      for (let i = 0; i + 1 < replies.length; i += 2) {
        const hash = replies[i]?.[1] as Record<string, string> | undefined;
        const score = replies[i + 1]?.[1] as string | null | undefined;
        const record = hash ? recordFromHash(hash, Number(score ?? 0)) : null;
        if (record) result.push(record);
      }
    }
    return result;
  }

  async voiceMembers(channelIds?: readonly string[]): Promise<ConnectionRecord[]> {
    const channels = channelIds ?? (await this.redis.hkeys(this.key('count:channel')));
    if (channels.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const channelId of channels) pipeline.smembers(this.key(`channel:${channelId}:conns`));
    const replies = (await pipeline.exec()) ?? [];
    const ids = replies.flatMap(([, members]) => (members as string[] | null) ?? []);
    return this.records(ids);
  }

  async list(limit: number): Promise<ConnectionRecord[]> {
    if (limit <= 0) return [];
    return this.records(await this.redis.zrevrange(this.key('lastseen'), 0, limit - 1));
  }

  async counts(): Promise<RegistryCounts> {
    const [total, kinds, channels, nodes, users] = await Promise.all([
      this.redis.zcard(this.key('lastseen')),
      this.redis.hgetall(this.key('count:kind')),
      this.redis.hgetall(this.key('count:channel')),
      this.redis.hgetall(this.key('count:node')),
      this.redis.hlen(this.key('count:user')),
    ]);
    const numbers = (hash: Record<string, string>) =>
      Object.fromEntries(Object.entries(hash).map(([key, value]) => [key, Number(value)]));
    return {
      total,
      byKind: { desktop: Number(kinds.desktop ?? 0), web: Number(kinds.web ?? 0) },
      byChannel: numbers(channels),
      byNode: numbers(nodes),
      usersOnline: users,
    };
  }

  async sweep(options: SweepOptions): Promise<SweepResult> {
    const started = performance.now();
    const lockKey = this.key('reaper:lock');
    const token = `${this.nodeId}:${randomUUID()}`;
    const locked = await this.redis.set(lockKey, token, 'PX', this.lockTtlMs, 'NX');
    if (locked !== 'OK')
      return { ran: false, staleRemoved: 0, durationMs: performance.now() - started, removed: [] };
    const removed: ConnectionRecord[] = [];
    try {
      const cutoff = String((options.now ?? Date.now()) - options.staleAfterMs);
      const batchSize = options.batchSize ?? 500;
      for (;;) {
        const batch = await this.lua.miscordSweep(this.prefix, cutoff, String(batchSize));
        for (const flat of batch) {
          const record = removedRecord(flat);
          if (record) removed.push(record);
        }
        if (batch.length < batchSize) break;
      }
    } finally {
      await this.lua.miscordReleaseLock(lockKey, token);
    }
    return { ran: true, staleRemoved: removed.length, durationMs: performance.now() - started, removed };
  }

  async saveReplay(sessionId: string, replay: StoredReplay, ttlMs: number): Promise<void> {
    const key = this.key(`replay:${sessionId}`);
    const pipeline = this.redis.multi().del(key);
    for (const frame of replay.frames.slice(-this.replayCapacity)) {
      pipeline.xadd(key, 'MAXLEN', '~', this.replayCapacity, '*', 's', frame.seq, 'f', frame.frame);
    }
    pipeline.xadd(key, 'MAXLEN', '~', this.replayCapacity, '*', 'last', replay.lastSeq);
    pipeline.xadd(key, '*', 'topics', JSON.stringify(replay.topics ?? []));
    pipeline.pexpire(key, ttlMs);
    await pipeline.exec();
  }

  appendReplay(sessionId: string, frame: ReplayFrame, ttlMs: number): void {
    const key = this.key(`replay:${sessionId}`);
    this.redis
      .xadd(key, 'MAXLEN', '~', this.replayCapacity, '*', 's', frame.seq, 'f', frame.frame)
      .catch((error: Error) => this.onError(error));
    this.redis.pexpire(key, ttlMs).catch((error: Error) => this.onError(error));
  }

  async loadReplay(sessionId: string): Promise<StoredReplay | null> {
    const entries = await this.redis.xrange(this.key(`replay:${sessionId}`), '-', '+');
    if (entries.length === 0) return null;
    let lastSeq = 0;
    let topics: string[] = [];
    const frames: ReplayFrame[] = [];
    for (const [, fields] of entries) {
      if (fields[0] === 'last') lastSeq = Math.max(lastSeq, Number(fields[1]));
      else if (fields[0] === 'topics') topics = parseTopics(fields[1]);
      else if (fields[0] === 's' && fields[2] === 'f') {
        const seq = Number(fields[1]);
        frames.push({ seq, frame: fields[3] ?? '' });
        lastSeq = Math.max(lastSeq, seq);
      }
    }
    return { lastSeq, frames, topics };
  }

  async dropReplay(sessionId: string): Promise<void> {
    await this.redis.del(this.key(`replay:${sessionId}`));
  }

  publish(target: BusTarget, message: string): void {
    const channel = target.kind === 'all' ? this.key('bus:all') : this.key(`bus:node:${target.nodeId}`);
    this.redis.publish(channel, message).catch((error: Error) => this.onError(error));
  }

  onMessage(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  async health(): Promise<RegistryHealth> {
    if (this.redis.status !== 'ready') return { mode: this.mode, connected: false, roundTripMs: null };
    const started = performance.now();
    try {
      await this.redis.ping();
      return { mode: this.mode, connected: true, roundTripMs: performance.now() - started };
    } catch {
      return { mode: this.mode, connected: false, roundTripMs: null };
    }
  }

  /** Live nodes (their alive key has not expired). */
  async aliveNodes(): Promise<string[]> {
    const nodes = await this.redis.smembers(this.key('nodes'));
    if (nodes.length === 0) return [];
    const alive = await this.redis.mget(nodes.map((node) => this.key(`node:${node}:alive`)));
    return nodes.filter((_, i) => alive[i] !== null);
  }
}
