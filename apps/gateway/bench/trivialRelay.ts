/**
 * The baseline of the gateway benchmark: the least a WebSocket signalling relay can do. Clients
 * register by `?id=` in the URL; each text frame is parsed as JSON, its `d.to` (or `to`) read, and the
 * frame forwarded unchanged to that connection. No auth, no validation, no rate limits, no heartbeats.
 *
 * Run as its own process (the benchmark bundles it with esbuild and starts it with plain node):
 * `PORT=9000 node trivialRelay.mjs` prints `listening <port>` once it accepts connections.
 */
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const sockets = new Map<string, WebSocket>();

function targetOf(frame: unknown): string | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const { to, d } = frame as { to?: unknown; d?: { to?: unknown } | null };
  if (typeof to === 'string') return to;
  const nested = d?.to;
  return typeof nested === 'string' ? nested : undefined;
}

const server = new WebSocketServer({ port, host, perMessageDeflate: false, clientTracking: false });

server.on('connection', (socket, request) => {
  const id = new URL(request.url ?? '/', 'http://relay').searchParams.get('id');
  if (!id) {
    socket.close(4003, 'missing ?id=');
    return;
  }
  sockets.get(id)?.terminate();
  sockets.set(id, socket);
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    const to = targetOf(frame);
    const target = to === undefined ? undefined : sockets.get(to);
    if (target && target.readyState === WebSocket.OPEN) target.send(data, { binary: false });
  });
  socket.on('close', () => {
    if (sockets.get(id) === socket) sockets.delete(id);
  });
  socket.on('error', () => socket.terminate());
});

server.on('listening', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`listening ${bound}\n`);
});

function shutdown(): void {
  for (const socket of sockets.values()) socket.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
