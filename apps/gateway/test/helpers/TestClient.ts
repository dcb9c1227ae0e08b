import {
  type ClientKind,
  type ClientPayload,
  type Dispatch,
  type DispatchEvent,
  decodeServerFrame,
  GatewayOp,
  type ServerPayload,
} from '@miscord/protocol';
import WebSocket from 'ws';

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

type Predicate = (frame: ServerPayload) => boolean;

interface Waiter {
  readonly predicate: Predicate;
  readonly resolve: (frame: ServerPayload) => void;
}

/**
 * A typed gateway client for tests: every frame the server sends is decoded with decodeServerFrame
 * (a frame that does not match the protocol fails the test); `next` consumes frames in order.
 */
export class TestClient {
  readonly ws: WebSocket;
  /** Frames received and not yet consumed by `next`. */
  readonly inbox: ServerPayload[] = [];
  /** Every frame received, consumed or not. */
  readonly received: ServerPayload[] = [];
  readonly invalid: string[] = [];
  readonly closed: Promise<Closed>;
  lastSeq = 0;
  private waiters: Waiter[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('error', () => {});
    ws.on('message', (data: Buffer, isBinary) => {
      const decoded = decodeServerFrame(data, { binary: isBinary });
      if (!decoded.ok) {
        this.invalid.push(`${JSON.stringify(decoded.error)}: ${data.toString().slice(0, 200)}`);
        return;
      }
      const frame = decoded.message;
      if (frame.op === GatewayOp.Dispatch) this.lastSeq = Math.max(this.lastSeq, frame.s);
      this.received.push(frame);
      const index = this.waiters.findIndex((waiter) => waiter.predicate(frame));
      if (index >= 0) {
        const [waiter] = this.waiters.splice(index, 1);
        waiter?.resolve(frame);
      } else this.inbox.push(frame);
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { headers });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(
    payload: ClientPayload | Record<string, unknown> | string | Buffer,
    options: { binary?: boolean } = {},
  ): void {
    const data = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    this.ws.send(data, { binary: options.binary ?? false });
  }

  /** The first unconsumed frame matching `predicate` (waiting for it up to `timeoutMs`). */
  next(predicate: Predicate, timeoutMs = 10_000, what = 'frame'): Promise<ServerPayload> {
    const index = this.inbox.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as ServerPayload);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.received.map((f) => (f.op === 0 ? f.t : `op${f.op}`)).join(',');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${seen}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  nextOp<O extends ServerPayload['op']>(
    op: O,
    timeoutMs?: number,
  ): Promise<Extract<ServerPayload, { op: O }>> {
    return this.next((f) => f.op === op, timeoutMs, `op ${op}`) as Promise<Extract<ServerPayload, { op: O }>>;
  }

  dispatch<T extends DispatchEvent>(
    t: T,
    predicate: (d: Dispatch<T>['d']) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<Dispatch<T>> {
    return this.next(
      (f) =>
        f.op === GatewayOp.Dispatch && f.t === t && predicate((f as { d: unknown }).d as Dispatch<T>['d']),
      timeoutMs,
      `dispatch ${t}`,
    ) as Promise<Dispatch<T>>;
  }

  /** Frames of a kind received so far (consumed or not). */
  seen<T extends DispatchEvent>(t: T): Dispatch<T>[] {
    return this.received.filter((f) => f.op === GatewayOp.Dispatch && f.t === t) as Dispatch<T>[];
  }

  async identify(token: string, kind: ClientKind = 'desktop'): Promise<Dispatch<'READY'>> {
    await this.nextOp(GatewayOp.Hello);
    this.send({ op: GatewayOp.Identify, d: { token, kind, version: '0.1.0', platform: 'vitest' } });
    return this.dispatch('READY');
  }

  heartbeat(): void {
    this.send({ op: GatewayOp.Heartbeat, d: this.lastSeq });
  }

  async joinVoice(
    channelId: string | null,
    flags: { selfMute?: boolean; selfDeaf?: boolean } = {},
  ): Promise<void> {
    this.send({
      op: GatewayOp.VoiceStateUpdate,
      d: { channelId, selfMute: flags.selfMute ?? false, selfDeaf: flags.selfDeaf ?? false },
    });
  }

  close(code = 1000): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    return this.closed;
  }

  /** Drop the TCP connection without a close frame (a network failure: 1006 on the server). */
  drop(): Promise<Closed> {
    this.ws.terminate();
    return this.closed;
  }
}
