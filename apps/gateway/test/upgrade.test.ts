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

  // GatewayConnection.sendFrame: one Buffer per frame, not ws's header-then-payload pair.
  it('writes each frame to the TCP socket whole, in one write', async () => {
    const writes: unknown[] = [];
    gateway.app.server.prependListener('upgrade', (_request: IncomingMessage, socket: Socket) => {
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        // A copy: the gateway reuses the bytes of a write the kernel took at once.
        writes.push(Buffer.isBuffer(args[0]) ? Buffer.from(args[0]) : args[0]);
        return write(...args);
      }) as Socket['write'];
    });
    const { client } = await gateway.client('Whole');
    client.heartbeat();
    await client.nextOp(GatewayOp.HeartbeatAck);
    const ops = writes.map(wholeFrameOp).filter((op) => op !== undefined);
    // HELLO, READY and the ack, each a complete frame in a single chunk.
    expect(ops).toEqual([GatewayOp.Hello, GatewayOp.Dispatch, GatewayOp.HeartbeatAck]);
  });
});
