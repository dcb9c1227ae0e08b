import {
  type ClientKind,
  type ClientPayload,
  CloseCode,
  closeAction,
  decodeClientFrame,
  type ErrorCode,
  GatewayOp,
  type ProtocolError,
} from '@miscord/protocol';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Gateway } from './Gateway';
import { nameOfClose, nameOfOp } from './GatewayMetrics';
import type { GatewaySession } from './GatewaySession';
import { identify } from './handlers/identify';
import { handleReadyFrame } from './handlers/ready';
import { resume } from './handlers/resume';
import { Bucket, RateLimiter } from './RateLimiter';
import type { FrameSink } from './textFrame';

export const ConnectionStatus = {
  /** HELLO sent; waiting for IDENTIFY or RESUME. */
  Hello: 'hello',
  /** IDENTIFY or RESUME is being carried out; other frames wait in `pending`. */
  Authenticating: 'authenticating',
  Ready: 'ready',
  Closed: 'closed',
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

export type ConnectionState =
  | { readonly status: typeof ConnectionStatus.Hello }
  | { readonly status: typeof ConnectionStatus.Authenticating; readonly pending: ClientPayload[] }
  | { readonly status: typeof ConnectionStatus.Ready; readonly session: GatewaySession }
  | { readonly status: typeof ConnectionStatus.Closed; readonly code: number; readonly byServer: boolean };

/** A close reason fits in 123 bytes of UTF-8. */
function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  return Buffer.from(reason)
    .subarray(0, 120)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

/** How long a backlog over the limit may last without shrinking before the client is dropped (4010). */
const BACKLOG_GRACE_MS = 1_000;

/** Frames a client may send while its IDENTIFY / RESUME is in flight. */
const MAX_PENDING = 32;

export interface ConnectionInfo {
  readonly id: string;
  readonly ip: string;
  readonly userAgent: string;
  /** The TCP socket the WebSocket runs on; without it, frames go through ws's sender (see sendFrame). */
  readonly transport?: FrameSink;
}

/** One WebSocket: decoding, limits, the heartbeat deadline and the connection's status. */
export class GatewayConnection {
  readonly id: string;
  readonly ip: string;
  readonly userAgent: string;
  private readonly transport: FrameSink | null;
  readonly connectedAt = Date.now();
  /** When the deadline for the next heartbeat started (4009 past it: Gateway.sweepConnections). */
  lastBeatAt = this.connectedAt;
  /** Bytes waiting to be sent at the last connection sweep, and since when they are over the limit. */
  private queuedAtLastCheck = 0;
  private backlogSince: number | null = null;
  kind: ClientKind | null = null;
  readonly limiter: RateLimiter;
  private current: ConnectionState = { status: ConnectionStatus.Hello };
  /** Frames sent during this turn, written together when it ends (WriteBatch): one, several, or none. */
  private queued: string | string[] | null = null;

  constructor(
    readonly socket: WebSocket,
    info: ConnectionInfo,
    readonly gateway: Gateway,
  ) {
    this.id = info.id;
    this.ip = info.ip;
    this.userAgent = info.userAgent;
    // An extension (permessage-deflate) would have ws transform and queue frames: then only ws may write.
    this.transport = socket.extensions === '' ? (info.transport ?? null) : null;
    this.limiter = new RateLimiter(gateway.ratePolicy);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    socket.on('close', (code: number) => this.onSocketClosed(code));
    socket.on('error', (error: Error) => this.broken(error));
  }

  /** The first frame: heartbeat interval, ids and the resume window. */
  hello(): void {
    const limits = this.gateway.limits;
    const d = {
      heartbeatInterval: limits.heartbeatIntervalMs,
      connectionId: this.id,
      nodeId: this.gateway.nodeId,
      resumeWindow: limits.resumeWindowMs,
    };
    this.send({ op: GatewayOp.Hello, d }, 'HELLO');
  }

  get state(): ConnectionState {
    return this.current;
  }

  set state(next: ConnectionState) {
    const previous = this.current;
    this.current = next;
    this.gateway.connectionStateChanged(this, previous, next);
  }

  /**
   * A pino child with this connection's context (`connId`, and `userId` / `sessionId` once ready). Made
   * when something is logged, not kept: a connection logs a few lines in its life, and a kept child
   * costs every connection a few hundred bytes.
   */
  get log(): Logger {
    const session = this.session;
    return this.gateway.log.child(
      session ? { connId: this.id, userId: session.userId, sessionId: session.id } : { connId: this.id },
    );
  }

  get session(): GatewaySession | null {
    return this.current.status === ConnectionStatus.Ready ? this.current.session : null;
  }

  get isOpen(): boolean {
    return this.current.status !== ConnectionStatus.Closed;
  }

  /**
   * Send one text message. With the TCP socket at hand, the frames of one turn are written to it whole
   * (headers and UTF-8 payloads) in one call once the turn ends, through the node's WriteBatch and
   * FrameWriter. ws's sender writes a header and the payload as two chunks between cork and uncork, a
   * writev that also copies the string into a fresh allocation. Benchmark, N = 5,000 at 10,000 SIGNALs a
   * second, medians of three alternated runs: 50.4 µs of node CPU per message through ws, 48.1 with a
   * Buffer per frame, 43.9 through the FrameWriter.
   *
   * Safe beside ws: everything ws itself sends is written to the same socket. Its close frame goes after
   * the queued frames (`close` writes them first); a pong may go ahead of them, which the protocol allows
   * (control frames may come between messages). Without an extension ws holds nothing back in a queue of
   * its own (the gateway sends no Blobs). Nothing is written once ws is closing (readyState). The socket's
   * queue is what `bufferedAmount` reads, so the slow-consumer check sees these bytes.
   */
  sendFrame(frame: string): void {
    if (this.current.status === ConnectionStatus.Closed || this.socket.readyState !== 1) return;
    if (!this.transport) {
      this.socket.send(frame);
      return;
    }
    const queued = this.queued;
    if (queued === null) {
      this.queued = frame;
      this.gateway.writeBatch.add(this);
    } else if (typeof queued === 'string') this.queued = [queued, frame];
    else queued.push(frame);
  }

  /** Write the frames this turn queued (WriteBatch, and `close` before its close frame). */
  flushQueued(): void {
    const queued = this.queued;
    if (queued === null) return;
    this.queued = null;
    // No write callback: a failed write destroys the socket, and ws reports it as 'error' and 'close'.
    if (this.transport && this.socket.readyState === 1)
      this.gateway.frameWriter.write(this.transport, queued);
  }

  /**
   * Called by the node's connection sweep. A client that stopped reading (a hung or hostile peer, a dead
   * link TCP has not noticed yet) makes the node keep everything sent to it. When what waits for it,
   * beyond the kernel's socket buffers, has been over the limit for BACKLOG_GRACE_MS without shrinking
   * between sweeps, the client is not keeping up: drop it instead of buffering without bound. A reading
   * client that got a burst (a replay, a fan-out) drains it within that time and is kept, however often
   * the sweep runs. The session stays resumable; its replay buffer has what the client did not acknowledge.
   */
  checkBacklog(limit: number, now: number): void {
    const queued = this.socket.bufferedAmount;
    const shrinking = queued < this.queuedAtLastCheck;
    this.queuedAtLastCheck = queued;
    if (queued <= limit || shrinking) {
      this.backlogSince = null;
      return;
    }
    this.backlogSince ??= now;
    if (now - this.backlogSince < BACKLOG_GRACE_MS) return;
    this.close(CloseCode.SlowConsumer, `over ${limit} bytes waiting to be sent, and not draining`);
    // The close frame waits behind the backlog the client is not reading: free the backlog now.
    this.socket.terminate();
  }

  /** Send a non-dispatch payload (HELLO, HEARTBEAT_ACK, ERROR, INVALID_SESSION, RECONNECT). */
  send(payload: { op: number; d: unknown }, outName: string): void {
    this.gateway.metrics.frameOut(outName);
    this.sendFrame(JSON.stringify(payload));
  }

  sendError(
    code: ErrorCode,
    message: string,
    op: number,
    extra: { id?: string; retryAfterMs?: number } = {},
  ): void {
    this.gateway.metrics.reject(code);
    this.send({ op: GatewayOp.Error, d: { code, message, op, ...extra } }, 'ERROR');
  }

  /** Close with a code; the session's fate follows the code's client action (resume → kept). */
  close(code: number, reason: string): void {
    if (this.current.status === ConnectionStatus.Closed) return;
    const session = this.session;
    this.gateway.metrics.closed(code);
    this.flushQueued();
    this.state = { status: ConnectionStatus.Closed, code, byServer: true };
    this.log.debug({ code, reason }, 'closing connection');
    try {
      this.socket.close(code, closeReason(reason));
    } catch {
      this.socket.terminate();
    }
    if (session) this.gateway.sessionLostSocket(session, this, closeAction(code) === 'resume');
  }

  private onSocketClosed(code: number): void {
    if (this.current.status === ConnectionStatus.Closed) return;
    const session = this.session;
    this.state = { status: ConnectionStatus.Closed, code, byServer: false };
    // A clean close (1000) ends the session; anything else (1001 tab closed, 1006 dropped) keeps it resumable.
    if (session) this.gateway.sessionLostSocket(session, this, code !== CloseCode.Normal);
  }

  /** A socket error (a failed write included): the connection is broken; drop it (its session stays resumable). */
  private broken(error: Error): void {
    if (this.current.status === ConnectionStatus.Closed) return;
    this.log.debug({ err: error }, 'socket broken');
    const session = this.session;
    this.state = { status: ConnectionStatus.Closed, code: 1006, byServer: false };
    this.socket.terminate();
    if (session) this.gateway.sessionLostSocket(session, this, true);
  }

  /** No heartbeat came within the deadline. */
  heartbeatMissed(): void {
    const ms = this.gateway.heartbeatDeadlineMs;
    this.close(CloseCode.SessionTimedOut, `no heartbeat within ${ms} ms`);
  }

  /** Push back the heartbeat deadline. */
  beat(now: number): void {
    this.lastBeatAt = now;
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.current.status === ConnectionStatus.Closed) return;
    const result = decodeClientFrame(data, isBinary ? this.gateway.decodeBinary : this.gateway.decodeText);
    if (!result.ok) {
      this.refuse(result.error);
      return;
    }
    this.gateway.metrics.frameIn(result.message.op);
    try {
      this.route(result.message);
    } catch (error) {
      this.internalError(error, result.message.op);
    }
  }

  /** Answer a frame the decoder refused, exactly as the protocol says. */
  private refuse(error: ProtocolError): void {
    if (error.kind === 'error') {
      this.gateway.metrics.frameIn(error.op);
      this.sendError(error.code, error.message, error.op, error.id === undefined ? {} : { id: error.id });
      return;
    }
    this.gateway.metrics.reject(nameOfClose(error.closeCode));
    this.close(error.closeCode, error.reason);
  }

  internalError(error: unknown, op: number): void {
    this.log.error({ err: error, op: nameOfOp(op) }, 'handler failed');
    if (this.isOpen) this.sendError('INTERNAL', `${nameOfOp(op)} failed on the server; retry`, op);
  }

  private route(message: ClientPayload): void {
    const state = this.current;
    if (message.op === GatewayOp.Heartbeat) {
      this.heartbeat(message.d);
      return;
    }
    switch (state.status) {
      case ConnectionStatus.Hello:
        if (message.op === GatewayOp.Identify || message.op === GatewayOp.Resume) {
          if (!this.takeControl(message.op)) return;
          this.state = { status: ConnectionStatus.Authenticating, pending: [] };
          const task =
            message.op === GatewayOp.Identify ? identify(this, message.d) : resume(this, message.d);
          task.catch((error: unknown) => this.authenticationFailed(error));
          return;
        }
        this.close(CloseCode.NotAuthenticated, `${nameOfOp(message.op)} before IDENTIFY or RESUME`);
        return;
      case ConnectionStatus.Authenticating:
        if (message.op === GatewayOp.Identify || message.op === GatewayOp.Resume) {
          this.close(CloseCode.AlreadyAuthenticated, `${nameOfOp(message.op)} sent twice`);
        } else if (state.pending.length >= MAX_PENDING) {
          this.gateway.metrics.rateLimited('control');
          this.close(CloseCode.RateLimited, 'too many frames before READY');
        } else state.pending.push(message);
        return;
      case ConnectionStatus.Ready:
        handleReadyFrame(this, state.session, message);
        return;
      case ConnectionStatus.Closed:
        return;
    }
  }

  private authenticationFailed(error: unknown): void {
    this.log.error({ err: error }, 'IDENTIFY/RESUME failed');
    this.close(CloseCode.UnknownError, 'the server could not start the session; retry');
  }

  /** IDENTIFY/RESUME finished: become ready and run the frames that waited. */
  becomeReady(session: GatewaySession): void {
    const previous = this.current;
    if (previous.status !== ConnectionStatus.Authenticating) return;
    this.state = { status: ConnectionStatus.Ready, session };
    for (const message of previous.pending) {
      if (this.current.status !== ConnectionStatus.Ready) return;
      try {
        handleReadyFrame(this, session, message);
      } catch (error) {
        this.internalError(error, message.op);
      }
    }
  }

  /** RESUME could not continue the session: the client may IDENTIFY on this socket. */
  backToHello(): void {
    if (this.current.status === ConnectionStatus.Authenticating)
      this.state = { status: ConnectionStatus.Hello };
  }

  private heartbeat(seq: number): void {
    const session = this.session;
    const lastSent = session?.seq ?? 0;
    if (seq > lastSent) {
      this.close(CloseCode.InvalidSeq, `HEARTBEAT seq ${seq} is ahead of the last sent ${lastSent}`);
      return;
    }
    // Only a session's heartbeats push the deadline back: a socket that never authenticates is closed 4009.
    if (session) {
      const now = Date.now();
      this.beat(now);
      session.replay.acknowledge(seq);
      this.gateway.registry.touch(session.connectionId, now);
    }
    this.send({ op: GatewayOp.HeartbeatAck, d: null }, 'HEARTBEAT_ACK');
  }

  /** Take a control token; over the limit the connection closes 4008. */
  takeControl(op: number): boolean {
    const wait = this.limiter.take(Bucket.Control, Date.now());
    if (wait === 0) return true;
    this.gateway.metrics.rateLimited('control');
    this.close(CloseCode.RateLimited, `control rate limit exceeded by ${nameOfOp(op)}; retry in ${wait} ms`);
    return false;
  }
}
