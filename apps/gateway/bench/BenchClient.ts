import { WebSocket } from 'ws';
import type { SignalMark, SignalTemplate } from './signalFrames';
import { readSeq, readSignalMark } from './signalFrames';

/** Where one load-generator connection is in its life. */
export const ClientStatus = {
  Idle: 'idle',
  Connecting: 'connecting',
  Ready: 'ready',
  Joining: 'joining',
  Joined: 'joined',
  Closed: 'closed',
} as const;
export type ClientStatus = (typeof ClientStatus)[keyof typeof ClientStatus];

export interface ClientIdentity {
  /** Relay: the `?id=`; gateway: the user id from POST /api/sessions. */
  readonly peerId: string;
  /** Gateway session token; absent for the relay. */
  readonly token?: string;
}

export interface ClientHooks {
  /** A benchmark SIGNAL arrived at this client. */
  onSignal(client: BenchClient, mark: SignalMark): void;
  /** Something went wrong that the run must report (ERROR frames, unexpected closes). */
  onProblem(kind: string): void;
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/**
 * One WebSocket of the load generator. Against the gateway it speaks protocol v1 as a lean client:
 * HELLO → IDENTIFY → READY, heartbeats with the last sequence seen (first one after a random fraction
 * of the interval), SUBSCRIBE + VOICE_STATE_UPDATE to join its pair's channel. Against the relay it only
 * opens the socket. SIGNAL receipts are recognised by their marker without parsing JSON.
 */
export class BenchClient {
  status: ClientStatus = ClientStatus.Idle;
  socket: WebSocket | undefined;
  template: SignalTemplate | undefined;
  partner: BenchClient | undefined;
  identity: ClientIdentity | undefined;
  #seq = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #interval = 0;
  #readyWaiter: Waiter | undefined;
  #joinWaiter: Waiter | undefined;
  #partnerSeen = false;

  constructor(
    readonly index: number,
    readonly channelId: string,
    readonly hooks: ClientHooks,
  ) {}

  /** Open the socket; resolves once the relay accepted it or the gateway sent READY. */
  connect(wsUrl: string, gateway: boolean): Promise<void> {
    const identity = this.#identity();
    this.status = ClientStatus.Connecting;
    const url = gateway ? wsUrl : `${wsUrl}?id=${encodeURIComponent(identity.peerId)}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket = socket;
    const ready = new Promise<void>((resolve, reject) => {
      this.#readyWaiter = { resolve, reject };
    });
    socket.on('open', () => {
      if (!gateway) this.#becomeReady();
    });
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) this.#onFrame(data);
    });
    socket.on('error', (error) => this.#fail(new Error(`socket ${this.index}: ${error.message}`)));
    socket.on('close', (code) => {
      this.#stopHeartbeat();
      if (this.status !== ClientStatus.Closed) this.hooks.onProblem(`close ${code}`);
      this.#fail(new Error(`socket ${this.index} closed with ${code}`));
      this.status = ClientStatus.Closed;
    });
    return ready;
  }

  /** Gateway only: subscribe to the pair's channel, join it, and resolve when the partner is seen there. */
  join(): Promise<void> {
    const partnerId = this.partner?.identity?.peerId;
    if (!partnerId) return Promise.reject(new Error(`client ${this.index} has no partner`));
    this.status = ClientStatus.Joining;
    const joined = new Promise<void>((resolve, reject) => {
      this.#joinWaiter = { resolve, reject };
    });
    this.send(JSON.stringify({ op: 8, d: { id: `j${this.index}`, topics: [`voice:${this.channelId}`] } }));
    this.send(JSON.stringify({ op: 4, d: { channelId: this.channelId, selfMute: false, selfDeaf: false } }));
    if (this.#partnerSeen) this.#becomeJoined();
    return joined;
  }

  send(frame: string): void {
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(frame);
  }

  close(): void {
    this.status = ClientStatus.Closed;
    this.#stopHeartbeat();
    this.socket?.close(1000);
  }

  #identity(): ClientIdentity {
    if (!this.identity) throw new Error(`client ${this.index} has no identity`);
    return this.identity;
  }

  #onFrame(data: Buffer): void {
    const mark = readSignalMark(data);
    if (mark) {
      const seq = readSeq(data);
      if (seq !== undefined && seq > this.#seq) this.#seq = seq;
      this.hooks.onSignal(this, mark);
      return;
    }
    let frame: { op?: unknown; t?: unknown; s?: unknown; d?: unknown };
    try {
      frame = JSON.parse(data.toString()) as typeof frame;
    } catch {
      this.hooks.onProblem('unparsable frame');
      return;
    }
    if (typeof frame.s === 'number' && frame.s > this.#seq) this.#seq = frame.s;
    switch (frame.op) {
      case 10:
        this.#onHello(frame.d as { heartbeatInterval: number });
        return;
      case 0:
        this.#onDispatch(frame.t, frame.d);
        return;
      case 11:
        return;
      case 15: {
        const code = (frame.d as { code?: unknown } | null)?.code;
        this.hooks.onProblem(`ERROR ${String(code)}`);
        return;
      }
      default:
        this.hooks.onProblem(`op ${String(frame.op)}`);
    }
  }

  #onHello(hello: { heartbeatInterval: number }): void {
    const token = this.#identity().token;
    if (!token) {
      this.#fail(new Error('the gateway needs a session token'));
      return;
    }
    this.send(JSON.stringify({ op: 2, d: { token, kind: 'web', version: 'bench', platform: 'linux' } }));
    this.#interval = hello.heartbeatInterval;
    this.#scheduleHeartbeat(Math.floor(Math.random() * this.#interval));
  }

  /**
   * Gateway only: an extra heartbeat now, acknowledging every dispatch seen. After the voice join this
   * leaves the session as a steady idle client's would be: nothing unacknowledged. The regular beats keep
   * their own (random) phase: restarting every client's interval here would line all N up into one burst
   * every interval, which no real fleet does.
   */
  acknowledge(): void {
    if (this.#interval === 0 || this.status === ClientStatus.Closed) return;
    this.send(`{"op":1,"d":${this.#seq}}`);
  }

  #scheduleHeartbeat(delayMs: number): void {
    this.#heartbeat = setTimeout(() => {
      this.send(`{"op":1,"d":${this.#seq}}`);
      this.#scheduleHeartbeat(this.#interval);
    }, delayMs);
  }

  #onDispatch(event: unknown, data: unknown): void {
    const partnerId = this.partner?.identity?.peerId;
    if (event === 'READY') {
      const states = (data as { voiceStates?: { userId: string; channelId: string | null }[] }).voiceStates;
      if (states?.some((state) => state.userId === partnerId && state.channelId === this.channelId)) {
        this.#partnerSeen = true;
      }
      this.#becomeReady();
      return;
    }
    if (event === 'VOICE_STATE') {
      const state = data as { userId?: unknown; channelId?: unknown };
      if (state.userId === partnerId && state.channelId === this.channelId) this.#onPartnerSeen();
      return;
    }
    if (event === 'SUBSCRIBE_ACK') {
      const states = (data as { voiceStates?: { userId: string; channelId: string | null }[] }).voiceStates;
      if (states?.some((state) => state.userId === partnerId && state.channelId === this.channelId)) {
        this.#onPartnerSeen();
      }
    }
  }

  #onPartnerSeen(): void {
    this.#partnerSeen = true;
    if (this.status === ClientStatus.Joining) this.#becomeJoined();
  }

  #becomeReady(): void {
    this.status = ClientStatus.Ready;
    this.#readyWaiter?.resolve();
    this.#readyWaiter = undefined;
  }

  #becomeJoined(): void {
    this.status = ClientStatus.Joined;
    this.#joinWaiter?.resolve();
    this.#joinWaiter = undefined;
  }

  #fail(error: Error): void {
    this.#readyWaiter?.reject(error);
    this.#joinWaiter?.reject(error);
    this.#readyWaiter = undefined;
    this.#joinWaiter = undefined;
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
