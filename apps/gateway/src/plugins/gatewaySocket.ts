import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { newId } from '../auth/tokens';
import type { Gateway } from '../gateway/Gateway';

const MAX_USER_AGENT = 512;
const PATH = '/ws';

/** `?v=` as Fastify's query parser gives it: absent, one value, or every value when repeated. */
interface GatewayQuery {
  readonly v?: string | string[];
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
    const version = request.query.v;
    if (version !== '1') {
      gateway.metrics.closed(4012);
      gateway.metrics.reject('INVALID_VERSION');
      socket.close(
        4012,
        `unsupported protocol version ${JSON.stringify(version ?? null)}; use ?v=1`.slice(0, 120),
      );
      return;
    }
    gateway.accept(socket, {
      id: newId('c'),
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
    });
  });
}

export default fp(gatewaySocket, { name: 'miscord-gateway-socket' });
