import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeTextFrame } from '../../src/gateway/textFrame';

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

/** Open a client, write `frames` to its server-side socket, and return what the client received. */
async function deliver(frames: readonly Buffer[]): Promise<{ text: string; isBinary: boolean }[]> {
  const client = new WebSocket(url);
  const received: { text: string; isBinary: boolean }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.on('message', (data: Buffer, isBinary: boolean) => {
      received.push({ text: data.toString(), isBinary });
      if (received.length === frames.length) resolve();
    });
    client.on('error', reject);
    client.on('close', (code) => reject(new Error(`closed ${code}`)));
  });
  await new Promise((resolve) => client.once('open', resolve));
  const socket = sockets.at(-1) as Socket;
  for (const frame of frames) socket.write(frame);
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
