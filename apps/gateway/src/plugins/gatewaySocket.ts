import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { newId } from '../auth/tokens';
import type { Gateway } from '../gateway/Gateway';

const MAX_USER_AGENT = 512;
const PATH = '/ws';

/** `?v=` as Fastify's query parser gives it: absent, one value, or every value when repeated. */
interface GatewayQuery {
  readonly v?: string | string[];
}

/**
 * Take the socket over from @fastify/websocket once it is open, so that the upgrade's Fastify request and
 * reply, its IncomingMessage and the plugin's ServerResponse can be collected when the route handler
 * returns. The plugin leaves two paths to them from the open socket; either alone keeps all four, 3 KB of
 * heap per idle connection (heap snapshots at 400 and 4,000: 8.0 KB per added connection with them, 5.0
 * without) for objects the gateway never uses after the upgrade (test/upgrade.test.ts checks it):
 * - the 'error' listener it adds to the WebSocket just before calling the handler closes over request and
 *   reply (to call its errorHandler). It is the only 'error' listener there; `onError` replaces it in the
 *   same synchronous step, so the socket is never without one (an unhandled 'error' would crash the node).
 * - it assigns the net socket to a `new ServerResponse(request)` so that Fastify's router can answer the
 *   upgrade; `netSocket._httpMessage` then holds the response, and the response the request. The reply is
 *   hijacked and the response never written once ws has sent the 101, so it is detached, as Node detaches
 *   a socket's response before sending the socket to a child process. Node's HTTP server stopped tracking
 *   the socket at the upgrade, so nothing reads `_httpMessage` afterwards.
 * (Fastify would keep a third path, `socket._meta`, for an onTimeout hook; the gateway has none.)
 */
function takeOverSocket(socket: WebSocket, request: IncomingMessage, onError: (error: Error) => void): void {
  socket.removeAllListeners('error');
  socket.on('error', onError);
  const netSocket: Socket & { _httpMessage?: unknown } = request.socket;
  const response = netSocket._httpMessage;
  if (response instanceof ServerResponse && response.req === request) response.detachSocket(netSocket);
}

/** `/ws?v=1`: the gateway socket. Graceful close drains the node first (RECONNECT + 1001 to every client). */
async function gatewaySocket(app: FastifyInstance, options: { gateway: Gateway }): Promise<void> {
  const { gateway } = options;
  await app.register(websocket, {
    options: {
      // The gateway tracks its connections itself (gateway.connections).
      clientTracking: false,
      // Frames above the protocol's limit get 4002 from the decoder; ws itself only stops absurd ones (1009).
      maxPayload: gateway.limits.maxFrameBytes * 4,
      perMessageDeflate: false,
      // The decoder checks UTF-8 and closes 4002 as the protocol says; ws would close 1007 first, and
      // checking every frame twice costs a pass over its bytes.
      skipUTF8Validation: true,
    },
    preClose: async () => {
      const sockets = [...gateway.connections].map((connection) => connection.socket);
      await gateway.drain();
      const deadline = Date.now() + 2_000;
      while (sockets.some((socket) => socket.readyState !== socket.CLOSED) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
    },
    errorHandler: (error, socket, request) => {
      request.log.error({ err: error }, 'websocket handler failed');
      socket.terminate();
    },
  });

  // The plugin upgrades a request to any route and closes it when the route has no websocket handler
  // (the web client's wildcard would take every path): only /ws upgrades, anything else is a 404.
  app.addHook('onRequest', async (request, reply) => {
    if (request.ws && request.routeOptions.url !== PATH) await reply.code(404).send();
  });

  app.get<{ Querystring: GatewayQuery }>(PATH, { websocket: true }, (socket, request) => {
    const info = {
      id: newId('c'),
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
      // The socket of an upgrade is the request's (Node's 'upgrade' event); ws runs on it.
      transport: request.raw.socket,
    };
    const version = request.query.v;
    // Until a GatewayConnection owns the socket (it listens for 'error' itself), a socket error closes
    // it here: a socket refused below, or one that accept() did not take or failed on.
    const onError = (error: Error): void => {
      gateway.log.child({ connId: info.id }).debug({ err: error }, 'socket error before the gateway took it');
      socket.terminate();
    };
    takeOverSocket(socket, request.raw, onError);
    if (version !== '1') {
      gateway.metrics.closed(4012);
      gateway.metrics.reject('INVALID_VERSION');
      socket.close(
        4012,
        `unsupported protocol version ${JSON.stringify(version ?? null)}; use ?v=1`.slice(0, 120),
      );
      return;
    }
    if (gateway.accept(socket, info)) socket.off('error', onError);
  });
}

export default fp(gatewaySocket, { name: 'miscord-gateway-socket' });
