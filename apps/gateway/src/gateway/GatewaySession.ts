import type { ClientKind, DispatchData, DispatchEvent } from '@miscord/protocol';
import type { ConnectionRegistry } from '@miscord/registry';
import type { FrameStore } from './FrameStore';
import type { GatewayConnection } from './GatewayConnection';
import type { GatewayMetrics } from './GatewayMetrics';
import { ReplayBuffer } from './ReplayBuffer';

export const SessionStatus = {
  Attached: 'attached',
  Detached: 'detached',
  Removed: 'removed',
} as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

/** A session outlives its socket: detached, it keeps its voice state and stays resumable for a window. */
export type SessionState =
  | { readonly status: typeof SessionStatus.Attached; readonly connection: GatewayConnection }
  | {
      readonly status: typeof SessionStatus.Detached;
      readonly since: number;
      readonly timer: NodeJS.Timeout | null;
    }
  | { readonly status: typeof SessionStatus.Removed };

export interface SessionContext {
  readonly metrics: GatewayMetrics;
  readonly registry: ConnectionRegistry;
  /** Keep replays in the registry while detached (cluster mode: a resume may land on another node). */
  readonly shareReplays: boolean;
  readonly resumeWindowMs: number;
  /** Where attached sessions keep their replay frames (off the heap). */
  readonly frames: FrameStore;
  /** Every status change of a session, after it happened. */
  readonly stateChanged: (session: GatewaySession, previous: SessionState, next: SessionState) => void;
}

const idle: Promise<void> = Promise.resolve();

/** A dispatch frame around `d` already serialised. Event names are fixed ASCII: only `d` needs serialising. */
export const dispatchFrame = (t: DispatchEvent, s: number, json: string): string =>
  `{"op":0,"t":"${t}","s":${s},"d":${json}}`;

export interface SessionInit {
  readonly id: string;
  readonly userId: string;
  readonly displayName: string;
  readonly kind: ClientKind;
  readonly connectionId: string;
  readonly replayCapacity: number;
  readonly seq?: number;
  readonly replay?: ReplayBuffer;
}

/** One signed-in session of a user on this node: sequence numbers, replay buffer, voice mirror, topics. */
export class GatewaySession {
  readonly id: string;
  readonly userId: string;
  readonly displayName: string;
  readonly kind: ClientKind;
  /** The registry key of this session's record (changes on RESUME). */
  connectionId: string;
  seq: number;
  readonly replay: ReplayBuffer;
  /** Node-local mirror of the voice channel (authoritative copy: the registry). */
  channelId: string | null = null;
  /** Channel ids of the `voice:<id>` topics this session subscribed to. */
  readonly topics = new Set<string>();
  /** The tail of this session's voice updates; the shared `idle` when none is running. */
  private voiceQueue: Promise<void> = idle;
  private current: SessionState;
  /**
   * `current.status`, and `current.connection` while attached, kept beside it for `dispatch`: a relayed
   * SIGNAL then reads no state object (under load, one more object out of the CPU's cache per frame).
   */
  private status: SessionStatus = SessionStatus.Attached;
  private attached: GatewayConnection | null;

  constructor(
    init: SessionInit,
    connection: GatewayConnection,
    private readonly context: SessionContext,
  ) {
    this.id = init.id;
    this.userId = init.userId;
    this.displayName = init.displayName;
    this.kind = init.kind;
    this.connectionId = init.connectionId;
    this.seq = init.seq ?? 0;
    this.replay = init.replay ?? new ReplayBuffer(init.replayCapacity);
    this.current = { status: SessionStatus.Attached, connection };
    this.attached = connection;
    this.replay.useStore(context.frames);
  }

  get state(): SessionState {
    return this.current;
  }

  get removed(): boolean {
    return this.status === SessionStatus.Removed;
  }

  /**
   * The one place the status changes: clears the old state's timer, keeps the replay in the node's frame
   * store only while attached (a session waiting for a resume must not hold chunks of it), and tells the
   * listener.
   */
  set state(next: SessionState) {
    const previous = this.current;
    if (previous.status === SessionStatus.Detached && previous.timer) clearTimeout(previous.timer);
    if (next.status === SessionStatus.Removed) this.replay.clear();
    this.replay.useStore(next.status === SessionStatus.Attached ? this.context.frames : null);
    this.current = next;
    this.status = next.status;
    this.attached = next.status === SessionStatus.Attached ? next.connection : null;
    this.context.stateChanged(this, previous, next);
  }

  /** Send (or keep for replay) one dispatch with the next sequence number. */
  dispatch<T extends DispatchEvent>(t: T, d: DispatchData<T>): void {
    if (this.status === SessionStatus.Removed) return;
    const s = this.seq + 1;
    // One stringify of the whole frame: no intermediate string to join and flatten.
    this.emit(t, s, JSON.stringify({ op: 0, t, s, d }));
  }

  /** The same with `d` already serialised: an event going to many sessions (serialised once), a SIGNAL. */
  dispatchJson(t: DispatchEvent, json: string): void {
    if (this.status === SessionStatus.Removed) return;
    const s = this.seq + 1;
    this.emit(t, s, dispatchFrame(t, s, json));
  }

  private emit(t: DispatchEvent, s: number, frame: string): void {
    this.seq = s;
    // A client that resumes knows its session id, so it got READY: READY (which can be large: every
    // space and every voice state) is never replayed and need not be kept.
    if (t === 'READY') this.replay.skip(s);
    else this.replay.push(s, frame, t === 'SIGNAL');
    this.context.metrics.frameOut(t);
    const attached = this.attached;
    if (attached !== null) attached.sendFrame(frame);
    else if (this.context.shareReplays) {
      this.context.registry.appendReplay(this.id, { seq: s, frame }, this.context.resumeWindowMs);
    }
  }

  /** Run voice updates of this session one after another, in the order they arrived. */
  queueVoice(task: () => Promise<void>): Promise<void> {
    const run = this.voiceQueue.then(task);
    const done = (): void => {
      if (this.voiceQueue === tail) this.voiceQueue = idle;
    };
    // The last queued update finished: hold no promise while idle (sessions are many, updates rare).
    const tail: Promise<void> = run.then(done, done);
    this.voiceQueue = tail;
    return run;
  }
}
