import {
  type ClientPayload,
  type CloseAction,
  clientMessage,
  closeAction,
  closeCodeTable,
  type DispatchPayload,
  GatewayOp,
  type HelloData,
  opName,
  type ReadyData,
  type ServerPayload,
  type SignalData,
  type User,
} from '@miscord/protocol';
import { TypedEmitter } from '../events/TypedEmitter';
import { createLogger } from '../log/logger';
import { GatewayError, GatewayErrorCode } from './errors';
import type { CloseInfo, GatewayEvents, GatewayState } from './events';
import { GatewaySocket, MessageCounters } from './GatewaySocket';
import { Heartbeater } from './Heartbeater';
import { DefaultReconnectPolicy, type ReconnectPolicy } from './ReconnectPolicy';
import { Subscriptions } from './Subscriptions';
import type { GatewayConnectionOptions, GatewayDebugInfo, VoiceStateUpdate } from './types';
import { VoiceStateStore } from './VoiceStateStore';
import { ClientCloseCode, type WebSocketConstructor } from './WebSocketLike';

export type { GatewayConnectionOptions, GatewayDebugInfo, VoiceStateUpdate } from './types';

const log = createLogger('gateway');
/** The last resume attempt comes this long (at most a quarter of the window) before the window ends. */
const RESUME_WINDOW_MARGIN_MS = 5_000;

const closeName = (code: number): string | null =>
  (closeCodeTable as Record<number, { name: string } | undefined>)[code]?.name ?? null;

/**
 * The app's one socket to the gateway: identify, heartbeat, dispatches, resume after drops,
 * re-identify when the session is gone, and stop when the close code says so.
 */
export class GatewayConnection extends TypedEmitter<GatewayEvents> {
  readonly url: string;
  /** Who is in which voice channel (READY, SUBSCRIBE_ACK, VOICE_STATE). */
  readonly voiceStates = new VoiceStateStore();
  readonly #options: GatewayConnectionOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #policy: ReconnectPolicy;
  readonly #random: () => number;
  readonly #subscriptions: Subscriptions;
  #state: GatewayState = { status: 'idle' };
  #socket: GatewaySocket | null = null;
  #heartbeater: Heartbeater | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sessionId: string | null = null;
  #seq = 0;
  #ready: ReadyData | null = null;
  #connectionId: string | null = null;
  #nodeId: string | null = null;
  #attempt = 0;
  #droppedAt: number | null = null;
  /** How long the server keeps a dropped session resumable (from HELLO). */
  #resumeWindowMs: number | null = null;
  #socketsOpened = 0;
  #lastClose: CloseInfo | null = null;
  #readyWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  readonly #counters = new MessageCounters();

  constructor(options: GatewayConnectionOptions) {
    super();
    const WebSocketImpl = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor);
    if (!WebSocketImpl) throw new TypeError('no WebSocket implementation: pass options.WebSocket');
    this.url = options.url;
    this.#options = options;
    this.#WebSocket = WebSocketImpl;
    this.#policy = options.reconnectPolicy ?? new DefaultReconnectPolicy();
    this.#random = options.random ?? Math.random;
    this.#subscriptions = new Subscriptions({
      send: (payload) => this.#sendRaw(payload),
      canSend: () => this.#state.status === 'ready',
    });
  }

  get state(): GatewayState {
    return this.#state;
  }

  /** The one place the state changes. */
  set state(next: GatewayState) {
    const previous = this.#state;
    this.#state = next;
    if (previous.status !== next.status) log.debug(`state ${previous.status} → ${next.status}`);
    this.emit('stateChange', previous, next);
  }

  /** READY of the current session (null before the first one or after a stop). */
  get readyData(): ReadyData | null {
    return this.#ready;
  }
  get user(): User | null {
    return this.#ready?.user ?? null;
  }
  get userId(): string | null {
    return this.#ready?.user.id ?? null;
  }
  get sessionId(): string | null {
    return this.#sessionId;
  }

  /**
   * Open the socket (no-op when already open or opening) and resolve once ready. Rejects if the
   * connection stops for good before that (e.g. 4004 authentication failed).
   */
  connect(): Promise<void> {
    const status = this.#state.status;
    if (status === 'ready') return Promise.resolve();
    const waiter = new Promise<void>((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
    if (status === 'idle' || status === 'closed') {
      this.#attempt = 0;
      this.#droppedAt = null;
      this.#open(this.#sessionId ? 'resume' : 'identify');
    } else if (status === 'reconnecting') {
      this.#clearTimer();
      this.#open(this.#state.next); // the user asked: try now
    }
    return waiter;
  }

  /** Close for good (sign-out, app quit). The session ends on the server (1000). */
  close(reason = 'client closed'): void {
    const info: CloseInfo = { code: 1000, reason, action: 'stop', at: Date.now() };
    this.#teardownSocket(1000, reason);
    this.#sessionId = null;
    this.#seq = 0;
    this.#stop(info, reason);
  }

  /** Send VOICE_STATE_UPDATE. Returns false when not ready (VoiceSession re-sends on `ready`). */
  updateVoiceState(update: VoiceStateUpdate): boolean {
    return this.#sendWhenReady(clientMessage.voiceStateUpdate(update));
  }

  sendSignal(to: string, data: SignalData): boolean {
    return this.#sendWhenReady(clientMessage.signal({ to, data }));
  }

  sendSpeaking(mask: number): boolean {
    return this.#sendWhenReady(clientMessage.speaking(mask));
  }

  /** Subscribe to topics (`voice:<channelId>`); they stay wanted, and are restored, until unsubscribed. */
  subscribe(topicList: readonly string[]) {
    return this.#subscriptions.subscribe(topicList);
  }

  unsubscribe(topicList: readonly string[]) {
    return this.#subscriptions.unsubscribe(topicList);
  }

  getDebugInfo(): GatewayDebugInfo {
    const hb = this.#heartbeater;
    return {
      state: this.#state,
      url: this.url,
      connectionId: this.#connectionId,
      nodeId: this.#nodeId,
      sessionId: this.#sessionId,
      userId: this.userId,
      seq: this.#seq,
      heartbeat: {
        intervalMs: hb?.intervalMs ?? null,
        lastRttMs: hb?.lastRttMs ?? null,
        beats: hb?.counts.beats ?? 0,
        acks: hb?.counts.acks ?? 0,
      },
      attempts: this.#attempt,
      socketsOpened: this.#socketsOpened,
      subscriptions: this.#subscriptions.debug(),
      messages: this.#counters.snapshot(),
      lastClose: this.#lastClose ? { ...this.#lastClose, name: closeName(this.#lastClose.code) } : null,
    };
  }

  protected override onListenerError(event: string, error: unknown): void {
    log.error(`listener for "${event}" threw`, error);
  }

  // ── socket lifecycle ────────────────────────────────────────────────────────────────────────

  #open(next: 'identify' | 'resume'): void {
    this.#teardownSocket(ClientCloseCode.Replaced, 'replaced by a new socket');
    const socket: GatewaySocket = new GatewaySocket(
      this.#WebSocket,
      this.url,
      {
        onMessage: (message) => this.#handle(message),
        onProtocolError: (why) => {
          log.error(`protocol error in a server frame: ${why}; reconnecting`);
          this.#drop(ClientCloseCode.ProtocolError, 'invalid server frame', 'resume');
        },
        onUnknownDispatch: (t, seq) => {
          log.warn(`ignoring dispatch of unknown event ${JSON.stringify(t)}`);
          if (seq !== null && seq > this.#seq) this.#seq = seq;
        },
        onClose: (code, reason) => {
          if (this.#socket !== socket) return;
          this.#teardownSocket(code, reason);
          this.#recover({ code, reason, action: closeAction(code), at: Date.now() });
        },
      },
      this.#counters,
      log,
    );
    this.#socket = socket;
    this.#socketsOpened++;
    this.state = { status: 'connecting', attempt: this.#attempt, next };
    log.info(`connecting to ${this.url} (attempt ${this.#attempt}, then ${next})`);
  }

  /** Detach and close the current socket, so at most one is ever open. */
  #teardownSocket(code: number, reason: string): void {
    this.#clearTimer();
    this.#heartbeater?.stop();
    const socket = this.#socket;
    this.#socket = null;
    this.#connectionId = null;
    socket?.close(code, reason);
  }

  /** We decided to drop this socket (zombie, protocol error, RECONNECT): close and recover. */
  #drop(code: number, reason: string, action: CloseAction, immediate = false): void {
    this.#teardownSocket(code, reason);
    this.#recover({ code, reason, action, at: Date.now() }, immediate);
  }

  /** `immediate`: the first attempt goes at once (server asked, or zombie); later ones back off. */
  #recover(info: CloseInfo, immediate = false): void {
    this.#lastClose = info;
    this.#subscriptions.connectionLost();
    this.emit('close', info);
    const name = closeName(info.code) ?? 'unlisted';
    if (info.action === 'stop') {
      log.error(`closed ${info.code} ${name} "${info.reason}": not reconnecting`);
      this.#sessionId = null;
      this.#seq = 0;
      this.#stop(info, `server closed with ${info.code} ${name}`);
      return;
    }
    if (info.action === 'reidentify') {
      this.#sessionId = null;
      this.#seq = 0;
    }
    const previous = this.#state;
    if (
      previous.status === 'ready' &&
      Date.now() - previous.since >= (this.#options.stableAfterMs ?? 60_000)
    ) {
      this.#attempt = 0;
      this.#droppedAt = null;
    }
    this.#droppedAt ??= Date.now();
    this.#attempt++;
    const policyDelayMs =
      immediate && this.#attempt === 1
        ? 0
        : this.#policy.nextDelayMs({
            attempt: this.#attempt,
            closeCode: info.code,
            elapsedMs: Date.now() - this.#droppedAt,
          });
    const delayMs = policyDelayMs === null ? null : this.#withinResumeWindow(policyDelayMs);
    if (delayMs === null) {
      log.error(`reconnect policy gave up after ${this.#attempt - 1} attempts`);
      this.#stop(info, 'reconnect policy gave up');
      return;
    }
    const next = this.#sessionId ? 'resume' : 'identify';
    log.warn(
      `closed ${info.code} ${name} "${info.reason}" → ${next} in ${delayMs} ms (attempt ${this.#attempt})`,
    );
    this.state = { status: 'reconnecting', attempt: this.#attempt, delayMs, lastClose: info, next };
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#open(next);
    }, delayMs);
  }

  /**
   * A resume attempt the backoff would make after the server has forgotten the session (e.g. at 63 s
   * after a drop, with a 60 s window) comes a little before the window ends instead: one last chance to
   * keep the session and its voice state. Later attempts follow the policy (and re-identify).
   */
  #withinResumeWindow(delayMs: number): number {
    if (this.#sessionId === null || this.#resumeWindowMs === null || this.#droppedAt === null) return delayMs;
    const margin = Math.min(RESUME_WINDOW_MARGIN_MS, this.#resumeWindowMs / 4);
    const lastChanceMs = this.#droppedAt + this.#resumeWindowMs - margin - Date.now();
    return lastChanceMs > 0 && delayMs > lastChanceMs ? Math.round(lastChanceMs) : delayMs;
  }

  #stop(info: CloseInfo | null, reason: string): void {
    this.#teardownSocket(1000, reason);
    this.#subscriptions.failAll(new GatewayError(GatewayErrorCode.Closed, reason));
    if (this.#state.status !== 'closed') this.state = { status: 'closed', lastClose: info, reason };
    const waiters = this.#readyWaiters.splice(0);
    for (const w of waiters) w.reject(new GatewayError(GatewayErrorCode.Closed, reason));
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  // ── frames ──────────────────────────────────────────────────────────────────────────────────

  #handle(message: ServerPayload): void {
    switch (message.op) {
      case GatewayOp.Hello:
        void this.#onHello(message.d);
        return;
      case GatewayOp.HeartbeatAck: {
        const rttMs = this.#heartbeater?.ack();
        if (rttMs != null) this.emit('heartbeat', { rttMs });
        return;
      }
      case GatewayOp.Reconnect:
        log.warn('server asked to reconnect (node draining)');
        this.#drop(ClientCloseCode.ReconnectRequested, 'reconnect requested', 'resume', true);
        return;
      case GatewayOp.InvalidSession:
        this.#onInvalidSession(message.d);
        return;
      case GatewayOp.Error:
        if (!this.#subscriptions.reject(message.d)) {
          log.warn(`server error ${message.d.code}: ${message.d.message}`);
          this.emit('serverError', message.d);
        }
        return;
      case GatewayOp.Dispatch:
        this.#onDispatch(message);
        return;
    }
  }

  async #onHello(hello: HelloData): Promise<void> {
    const socket = this.#socket;
    const status = this.#state;
    if (status.status !== 'connecting') return;
    this.#connectionId = hello.connectionId;
    this.#nodeId = hello.nodeId;
    this.#resumeWindowMs = hello.resumeWindow;
    this.#heartbeater?.stop();
    this.#heartbeater = new Heartbeater({
      intervalMs: hello.heartbeatInterval,
      random: this.#random,
      beat: () => this.#sendRaw(clientMessage.heartbeat(this.#seq)),
      onZombie: () => {
        log.warn('heartbeat not acknowledged: connection is a zombie; reconnecting');
        this.#drop(ClientCloseCode.Zombie, 'heartbeat not acknowledged', 'resume', true);
      },
    });
    this.#heartbeater.start();
    let token: string;
    try {
      token = await this.#options.getToken();
    } catch (error) {
      log.error('getToken failed', error);
      if (this.#socket === socket) this.#drop(ClientCloseCode.ProtocolError, 'no token', 'resume');
      return;
    }
    if (this.#socket !== socket) return;
    if (status.next === 'resume' && this.#sessionId) {
      this.state = {
        status: 'resuming',
        connectionId: hello.connectionId,
        nodeId: hello.nodeId,
        sessionId: this.#sessionId,
        seq: this.#seq,
      };
      this.#sendRaw(clientMessage.resume({ token, sessionId: this.#sessionId, seq: this.#seq }));
    } else {
      this.#identify(token, hello.connectionId, hello.nodeId);
    }
  }

  #identify(token: string, connectionId: string, nodeId: string): void {
    if (this.#state.status !== 'identifying') this.state = { status: 'identifying', connectionId, nodeId };
    const client = this.#options.client ?? {
      kind: 'web' as const,
      version: '0.1.0',
      platform: (globalThis.navigator?.platform || 'unknown').slice(0, 64),
    };
    this.#sendRaw(clientMessage.identify({ token, ...client }));
  }

  #onInvalidSession(resumable: boolean): void {
    const socket = this.#socket;
    const [min, max] = this.#options.invalidSessionDelayMs ?? [1_000, 5_000];
    const delayMs = Math.round(min + (max - min) * this.#random());
    log.warn(
      `invalid session (resumable: ${resumable}); ${resumable ? 'resuming' : 're-identifying'} in ${delayMs} ms`,
    );
    if (!resumable) {
      this.#sessionId = null;
      this.#seq = 0;
    }
    const connectionId = this.#connectionId;
    const nodeId = this.#nodeId;
    if (!connectionId || !nodeId) return;
    // the session is not usable until the next IDENTIFY/RESUME succeeds
    if (resumable && this.#sessionId) {
      this.state = { status: 'resuming', connectionId, nodeId, sessionId: this.#sessionId, seq: this.#seq };
    } else if (this.#state.status !== 'identifying') {
      this.state = { status: 'identifying', connectionId, nodeId };
    }
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#retryHandshake(socket, resumable);
    }, delayMs);
  }

  async #retryHandshake(socket: GatewaySocket | null, resumable: boolean): Promise<void> {
    if (this.#socket !== socket || !socket?.isOpen) return;
    let token: string;
    try {
      token = await this.#options.getToken();
    } catch (error) {
      log.error('getToken failed', error);
      if (this.#socket === socket) this.#drop(ClientCloseCode.ProtocolError, 'no token', 'resume');
      return;
    }
    if (this.#socket !== socket || !this.#connectionId || !this.#nodeId) return;
    if (resumable && this.#sessionId) {
      this.#sendRaw(clientMessage.resume({ token, sessionId: this.#sessionId, seq: this.#seq }));
    } else {
      this.#identify(token, this.#connectionId, this.#nodeId);
    }
  }

  #onDispatch(message: DispatchPayload): void {
    if (message.s > this.#seq) this.#seq = message.s;
    switch (message.t) {
      case 'READY': {
        this.#ready = message.d;
        this.#sessionId = message.d.sessionId;
        this.voiceStates.reset(message.d.voiceStates);
        this.#becomeReady(false);
        log.success(`ready as ${message.d.user.displayName} (session ${message.d.sessionId})`);
        this.emit('ready', message.d);
        this.#subscriptions.restore('identified');
        break;
      }
      case 'RESUMED':
        this.#becomeReady(true);
        log.success(`resumed session ${this.#sessionId} (${message.d.replayed} replayed)`);
        this.emit('resumed', message.d);
        this.#subscriptions.restore('resumed');
        break;
      case 'VOICE_STATE':
        this.voiceStates.apply(message.d);
        this.emit('voiceState', message.d);
        break;
      case 'SIGNAL':
        this.emit('signal', message.d);
        break;
      case 'SPEAKING':
        this.emit('speaking', message.d);
        break;
      case 'SUBSCRIBE_ACK':
        this.#subscriptions.acknowledged(message.d.id, message.d.topics, 'subscribe', message.d);
        this.voiceStates.applySnapshot(
          this.#subscriptions.channelsOf(message.d.topics),
          message.d.voiceStates,
        );
        break;
      case 'UNSUBSCRIBE_ACK':
        this.#subscriptions.acknowledged(message.d.id, message.d.topics, 'unsubscribe', message.d);
        {
          // updates for these channels stop now; keep our own channel (always sent to us)
          const own = this.userId ? this.voiceStates.get(this.userId)?.channelId : null;
          const still = new Set(this.#subscriptions.channelsOf(this.#subscriptions.debug().confirmed));
          const gone = this.#subscriptions
            .channelsOf(message.d.topics)
            .filter((c) => c !== own && !still.has(c));
          this.voiceStates.forgetChannels(gone, this.userId);
        }
        break;
    }
    this.emit('dispatch', message);
  }

  #becomeReady(resumed: boolean): void {
    const connectionId = this.#connectionId;
    const nodeId = this.#nodeId;
    if (!this.#ready || !this.#sessionId || !connectionId || !nodeId) return;
    this.state = {
      status: 'ready',
      connectionId,
      nodeId,
      sessionId: this.#sessionId,
      userId: this.#ready.user.id,
      resumed,
      since: Date.now(),
    };
    const waiters = this.#readyWaiters.splice(0);
    for (const w of waiters) w.resolve();
  }

  #sendWhenReady(payload: ClientPayload): boolean {
    if (this.#state.status !== 'ready') {
      log.debug(`not ready (${this.#state.status}): ${opName(payload.op)} not sent`);
      return false;
    }
    return this.#sendRaw(payload);
  }

  #sendRaw(payload: ClientPayload): boolean {
    return this.#socket?.send(payload) ?? false;
  }
}
