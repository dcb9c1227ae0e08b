import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { CloseCode, defaultLimits, GatewayOp } from '@miscord/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './helpers/gatewayHarness';

/** Over ws's maxPayload (4 × the protocol's frame limit): ws refuses it with an 'error' on the server socket. */
const OVERSIZE = defaultLimits.maxFrameBytes * 4 + 1;

/** A masked client text frame's header announcing `length` bytes (64-bit length), without the payload. */
function oversizeFrameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/** The op of `chunk` when it is one whole unmasked text frame (7- or 16-bit length), else undefined. */
function wholeFrameOp(chunk: unknown): number | undefined {
  if (!Buffer.isBuffer(chunk) || chunk[0] !== 0x81 || chunk.length < 2) return undefined;
  const head = chunk[1] === 126 ? 4 : 2;
  const length = head === 4 ? chunk.readUInt16BE(2) : (chunk[1] as number);
  if (chunk.length !== head + length) return undefined;
  return (JSON.parse(chunk.subarray(head).toString()) as { op: number }).op;
}

/** The ops of the whole unmasked text frames (7- or 16-bit lengths) that make up `chunk`, in order. */
function frameOps(chunk: Buffer): number[] {
  const ops: number[] = [];
  for (let at = 0; at < chunk.length; ) {
    const head = chunk[at + 1] === 126 ? 4 : 2;
    const length = head === 4 ? chunk.readUInt16BE(at + 2) : (chunk[at + 1] as number);
    const op = wholeFrameOp(chunk.subarray(at, at + head + length));
    if (op === undefined) throw new Error(`no whole text frame at byte ${at}`);
    ops.push(op);
    at += head + length;
  }
  return ops;
}

/** Upgrade over a plain TCP socket with `head` in the same write; resolves with what the server sent. */
function rawUpgrade(wsUrl: string, head: Buffer): Promise<{ status: string; frames: Buffer }> {
  const url = new URL(wsUrl);
  const socket = connect(Number(url.port), url.hostname);
  const request =
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
    'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
  socket.write(Buffer.concat([Buffer.from(request), head]));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => {
      const received = Buffer.concat(chunks);
      const end = received.indexOf('\r\n\r\n');
      resolve({ status: received.subarray(0, end).toString(), frames: received.subarray(end + 4) });
    });
  });
}

/**
 * A socket error must never crash the node, whoever holds the socket: a GatewayConnection (it listens
 * itself), or the /ws route for a socket it refused or the draining gateway did not take. Each socket's
 * oversize frame header comes in the same write as its upgrade, so ws reads it once the route has run.
 */
describe('socket errors', () => {
  let gateway: Harness;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeEach(async () => {
    crashes.length = 0;
    process.on('uncaughtException', onCrash);
    gateway = await startGateway(undefined);
  });
  afterEach(async () => {
    await gateway.close();
    process.off('uncaughtException', onCrash);
  });

  it('on a ready connection: the socket closes and the node stays up', async () => {
    const { client } = await gateway.client('Huge');
    client.send('x'.repeat(OVERSIZE));
    expect([1006, 1009]).toContain((await client.closed).code);
    const after = await gateway.client('After');
    expect(after.client.isOpen).toBe(true);
    expect(crashes).toEqual([]);
  });

  it('on a socket refused with 4012', async () => {
    const refused = await rawUpgrade(gateway.wsUrl.replace('v=1', 'v=2'), oversizeFrameHeader(OVERSIZE));
    expect(refused.status).toMatch(/^HTTP\/1\.1 101 /);
    // The server's first frame: close (0x88), its length byte, then the code.
    expect(refused.frames[0]).toBe(0x88);
    expect(refused.frames.readUInt16BE(2)).toBe(CloseCode.InvalidVersion);
    const after = await gateway.client('After');
    expect(after.client.isOpen).toBe(true);
    expect(crashes).toEqual([]);
  });

  it('on a socket the draining node told to reconnect', async () => {
    await gateway.app.gateway.drain();
    const told = await rawUpgrade(gateway.wsUrl, oversizeFrameHeader(OVERSIZE));
    expect(told.status).toMatch(/^HTTP\/1\.1 101 /);
    expect(told.frames.toString('latin1')).toContain('{"op":7,"d":null}');
    expect(crashes).toEqual([]);
  });
});

describe('the upgrade', () => {
  let gateway: Harness;

  beforeEach(async () => {
    gateway = await startGateway(undefined);
  });
  afterEach(async () => {
    await gateway.close();
  });

  // What @fastify/websocket leaves reachable from an open socket is the route's to drop (gatewaySocket.ts).
  // The ServerResponse and Fastify's request and reply all hold the IncomingMessage: once it can be
  // collected, so can they.
  it('keeps no IncomingMessage (nor its response, request or reply) once the gateway has the socket', async () => {
    const collectGarbage = gc;
    if (!collectGarbage) throw new Error('run with --expose-gc (vitest.config.ts)');
    const requests: WeakRef<IncomingMessage>[] = [];
    gateway.app.server.prependListener('upgrade', (request: IncomingMessage) => {
      requests.push(new WeakRef(request));
    });
    const { client } = await gateway.client('Idle');
    client.heartbeat();
    await client.nextOp(GatewayOp.HeartbeatAck);
    // A WeakRef holds its target until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.deref()).toBeUndefined();
    expect(client.isOpen).toBe(true);
  });

  /** Every chunk written to the TCP sockets of upgrades from now on, copied. */
  function recordWrites(): unknown[] {
    const writes: unknown[] = [];
    gateway.app.server.prependListener('upgrade', (_request: IncomingMessage, socket: Socket) => {
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        // A copy: the gateway reuses the bytes of a write the kernel took at once.
        writes.push(Buffer.isBuffer(args[0]) ? Buffer.from(args[0]) : args[0]);
        return write(...args);
      }) as Socket['write'];
    });
    return writes;
  }

  // GatewayConnection.sendFrame: one Buffer per frame, not ws's header-then-payload pair.
  it('writes each frame to the TCP socket whole, in one write', async () => {
    const writes = recordWrites();
    const { client } = await gateway.client('Whole');
    client.heartbeat();
    await client.nextOp(GatewayOp.HeartbeatAck);
    const ops = writes.map(wholeFrameOp).filter((op) => op !== undefined);
    // HELLO, READY and the ack, each a complete frame in a single chunk.
    expect(ops).toEqual([GatewayOp.Hello, GatewayOp.Dispatch, GatewayOp.HeartbeatAck]);
  });

  // WriteBatch: what one turn sends a connection is one write; a close made in the same turn comes after it.
  it('writes the frames of one turn in one write, before a close of the same turn', async () => {
    const writes = recordWrites();
    const { client } = await gateway.client('Batched');
    const connection = [...gateway.app.gateway.connections][0];
    if (!connection) throw new Error('the gateway holds no connection');
    writes.length = 0;
    connection.send({ op: GatewayOp.HeartbeatAck, d: null }, 'HEARTBEAT_ACK');
    connection.sendError('RATE_LIMITED', 'a test error', GatewayOp.Speaking);
    connection.close(CloseCode.SessionTimedOut, 'closing in the same turn');
    expect((await client.closed).code).toBe(CloseCode.SessionTimedOut);
    expect(client.received.slice(-2).map((frame) => frame.op)).toEqual([
      GatewayOp.HeartbeatAck,
      GatewayOp.Error,
    ]);
    const [frames, ...rest] = writes as Buffer[];
    expect(frameOps(frames as Buffer)).toEqual([GatewayOp.HeartbeatAck, GatewayOp.Error]);
    // Then ws's close frame (it writes header and payload apart): opcode 8, the code first.
    const close = Buffer.concat(rest);
    expect(close[0]).toBe(0x88);
    expect(close.readUInt16BE(2)).toBe(CloseCode.SessionTimedOut);
  });
});
