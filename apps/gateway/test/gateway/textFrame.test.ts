import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeTextFrame, FrameWriter } from '../../src/gateway/textFrame';

/**
 * A ws server whose connections get frames written straight to their TCP socket, as the gateway writes
 * them; a ws client on 127.0.0.1 reads them.
 */
let server: Server;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server = createServer();
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, () => sockets.push(request.socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

interface Received {
  readonly text: string;
  readonly isBinary: boolean;
}

/** Open a client, write `frames` to its server-side socket, and return what the client received. */
function deliver(frames: readonly Buffer[]): Promise<Received[]> {
  return deliverWith(frames.length, (socket) => {
    for (const frame of frames) socket.write(frame);
  });
}

/** Open a client, let `send` write `count` frames to its server-side socket, and return what arrived. */
async function deliverWith(
  count: number,
  send: (socket: Socket, client: WebSocket) => void | Promise<void>,
): Promise<Received[]> {
  const client = new WebSocket(url);
  const received: Received[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.on('message', (data: Buffer, isBinary: boolean) => {
      received.push({ text: data.toString(), isBinary });
      if (received.length === count) resolve();
    });
    client.on('error', reject);
    client.on('close', (code) => reject(new Error(`closed ${code}`)));
  });
  await new Promise((resolve) => client.once('open', resolve));
  await send(sockets.at(-1) as Socket, client);
  await done;
  client.terminate();
  return received;
}

describe('encodeTextFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])(
    'frames a %i-byte message as ws reads it',
    async (size) => {
      const text = 'x'.repeat(size);
      const frame = encodeTextFrame(text);
      expect(frame.length).toBe((size < 126 ? 2 : size < 65_536 ? 4 : 10) + size);
      expect(await deliver([frame])).toEqual([{ text, isBinary: false }]);
    },
  );

  it('measures the payload in UTF-8 bytes, not UTF-16 units', async () => {
    // Fewer than 126 UTF-16 units (a 7-bit length if counted so) but 218 bytes (a 16-bit length).
    const text = `{"t":"${'🎙️'.repeat(30)}"}`;
    expect(text.length).toBeLessThan(126);
    const frame = encodeTextFrame(text);
    expect(frame[1]).toBe(126);
    expect(frame.readUInt16BE(2)).toBe(Buffer.byteLength(text));
    expect(await deliver([frame])).toEqual([{ text, isBinary: false }]);
  });

  it('frames written back to back arrive as separate messages, in order', async () => {
    const texts = ['{"s":1}', 'é'.repeat(300), '{"s":3}'];
    expect(await deliver(texts.map(encodeTextFrame))).toEqual(
      texts.map((text) => ({ text, isBinary: false })),
    );
  });

  it('is never masked (a server must not mask, RFC 6455 §5.1)', () => {
    expect((encodeTextFrame('{}')[1] as number) & 0x80).toBe(0);
    expect((encodeTextFrame('y'.repeat(70_000))[1] as number) & 0x80).toBe(0);
  });
});

describe('FrameWriter', () => {
  const texts = (count: number, size: number) =>
    Array.from({ length: count }, (_, i) => `{"s":${i},"pad":"${'é'.repeat(size)}"}`);
  const asReceived = (list: readonly string[]) => list.map((text) => ({ text, isBinary: false }));

  it('writes frames of every size whole, through one slab', async () => {
    const writer = new FrameWriter();
    const list = [
      '',
      'a',
      'b'.repeat(125),
      'c'.repeat(126),
      'd'.repeat(65_535),
      'e'.repeat(70_000),
      '{"t":"🎙️"}',
    ];
    const received = await deliverWith(list.length, (socket) => {
      for (const text of list) writer.write(socket, text);
    });
    expect(received).toEqual(asReceived(list));
  });

  // The bytes of a write the socket kept must not be reused for the next frames until they are sent.
  it('keeps the bytes of writes a socket had to hold while the client is not reading', async () => {
    const writer = new FrameWriter();
    const list = texts(3_000, 2_000);
    let held = 0;
    const received = await deliverWith(list.length, async (socket, client) => {
      // The client stops reading: the kernel buffers fill, and the socket starts keeping writes.
      (client as unknown as { _socket: Socket })._socket.pause();
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const text of list) {
        writer.write(socket, text);
        if (socket.writableLength > 0) held++;
      }
      (client as unknown as { _socket: Socket })._socket.resume();
    });
    expect(held).toBeGreaterThan(1_000);
    expect(received).toEqual(asReceived(list));
  });

  it('reuses its bytes for writes the kernel takes at once, across sockets', async () => {
    const writer = new FrameWriter();
    const first = texts(400, 300);
    const second = texts(400, 50);
    const one = deliverWith(first.length, (socket) => {
      for (const text of first) writer.write(socket, text);
    });
    expect(await one).toEqual(asReceived(first));
    const two = deliverWith(second.length, (socket) => {
      for (const text of second) writer.write(socket, text);
    });
    expect(await two).toEqual(asReceived(second));
  });

  /** Records (copies of) the writes made to `socket`, until `restore`. */
  function countingWrites(socket: Socket): { readonly writes: Buffer[]; restore(): void } {
    const write = socket.write;
    const writes: Buffer[] = [];
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      writes.push(Buffer.from(chunk));
      return (write as (...args: unknown[]) => boolean).call(socket, chunk, ...rest);
    }) as Socket['write'];
    const restore = (): void => {
      socket.write = write;
    };
    return { writes, restore };
  }

  it('writes a list of frames back to back in one write', async () => {
    const writer = new FrameWriter();
    // Lengths around the 2-byte / 4-byte header boundary, measured and not, with multi-byte text.
    const list = [
      '',
      'x'.repeat(41),
      'é'.repeat(41),
      'é'.repeat(63),
      'é'.repeat(64),
      'y'.repeat(125),
      'z'.repeat(126),
      '{"t":"🎙️"}',
    ];
    let writes: Buffer[] = [];
    const received = await deliverWith(list.length, (socket) => {
      const counting = countingWrites(socket);
      writer.write(socket, list);
      counting.restore();
      writes = counting.writes;
    });
    expect(received).toEqual(asReceived(list));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toEqual(Buffer.concat(list.map(encodeTextFrame)));
  });

  it('splits a list beyond its share of the slab into several writes, and gives a large frame its own', async () => {
    const writer = new FrameWriter();
    const list = [...texts(40, 1_000), 'w'.repeat(70_000), ...texts(3, 10)];
    let writes = 0;
    const received = await deliverWith(list.length, (socket) => {
      const counting = countingWrites(socket);
      writer.write(socket, list);
      counting.restore();
      writes = counting.writes.length;
    });
    expect(received).toEqual(asReceived(list));
    // 40 frames of ~2 KB of UTF-8: at most 32 KB a write, so a few writes; then the large one; then the rest.
    expect(writes).toBeGreaterThan(3);
    expect(writes).toBeLessThan(10);
  });
});
