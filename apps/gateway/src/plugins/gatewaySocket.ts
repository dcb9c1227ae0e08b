import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type WebSocket, WebSocketServer } from 'ws';
import { newId } from '../auth/tokens';
import type { Gateway } from '../gateway/Gateway';

const MAX_USER_AGENT = 512;
const PATH = '/ws';

/** `?v=` as the version check reads it: the one value, null when absent, every value when repeated. */
function versionOf(query: URLSearchParams): string | string[] | null {
  const values = query.getAll('v');
  if (values.length === 0) return null;
  return values.length === 1 ? (values[0] as string) : values;
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * `/ws?v=1`: the gateway socket. Upgrades are taken from the HTTP server's `upgrade` event and handed to
 * `ws` directly rather than routed through Fastify (as @fastify/websocket does): a routed upgrade keeps
 * its Fastify request, reply and raw HTTP response reachable from the socket for as long as it is open,
 * about 2 KB per connection, and the gateway uses none of them after the upgrade. Graceful close drains
 * the node first (RECONNECT + 1001 to every client).
 */
async function gatewaySocket(app: FastifyInstance, options: { gateway: Gateway }): Promise<void> {
  const { gateway } = options;
  const wss = new WebSocketServer({
    noServer: true,
    // The gateway tracks its connections itself (gateway.connections).
    clientTracking: false,
    // Frames above the protocol's limit get 4002 from the decoder; ws itself only stops absurd ones (1009).
    maxPayload: gateway.limits.maxFrameBytes * 4,
    perMessageDeflate: false,
    // The decoder checks UTF-8 and closes 4002 as the protocol says; ws would close 1007 first, and
    // checking every frame twice costs a pass over its bytes.
    skipUTF8Validation: true,
  });

  const accept = (socket: WebSocket, request: IncomingMessage, query: URLSearchParams): void => {
    const version = versionOf(query);
    if (version !== '1') {
      gateway.metrics.closed(4012);
      gateway.metrics.reject('INVALID_VERSION');
      socket.close(4012, `unsupported protocol version ${JSON.stringify(version)}; use ?v=1`.slice(0, 120));
      return;
    }
    gateway.accept(socket, {
      id: newId('c'),
      ip: request.socket.remoteAddress ?? '',
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://gateway');
    if (url.pathname !== PATH) {
      refuseUpgrade(socket, '404 Not Found');
      return;
    }
    if (request.method !== 'GET') {
      refuseUpgrade(socket, '405 Method Not Allowed');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      try {
        accept(ws, request, url.searchParams);
      } catch (error) {
        app.log.error({ err: error }, 'accepting a websocket failed');
        ws.terminate();
      }
    });
  };
  app.server.on('upgrade', onUpgrade);

  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
    const sockets = [...gateway.connections].map((connection) => connection.socket);
    await gateway.drain();
    const deadline = Date.now() + 2_000;
    while (sockets.some((socket) => socket.readyState !== socket.CLOSED) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const socket of sockets) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

export default fp(gatewaySocket, { name: 'miscord-gateway-socket' });
