import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { newId } from '../auth/tokens';
import type { Gateway } from '../gateway/Gateway';

const MAX_USER_AGENT = 512;

/** `/ws?v=1`: the gateway socket. Graceful close drains the node first (RECONNECT + 1001 to every client). */
async function gatewaySocket(app: FastifyInstance, options: { gateway: Gateway }): Promise<void> {
  const { gateway } = options;
  await app.register(websocket, {
    // Frames above the protocol's limit get 4002 from the decoder; ws itself only stops absurd ones (1009).
    options: { maxPayload: gateway.limits.maxFrameBytes * 4, perMessageDeflate: false },
    preClose: async function drainThenClose(this: FastifyInstance) {
      await gateway.drain();
      const clients = [...this.websocketServer.clients];
      const deadline = Date.now() + 2_000;
      while (clients.some((client) => client.readyState !== client.CLOSED) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => this.websocketServer.close(() => resolve()));
    },
    errorHandler: (error, socket, request) => {
      request.log.error({ err: error }, 'websocket handler failed');
      socket.terminate();
    },
  });

  app.get('/ws', { websocket: true }, (socket, request) => {
    try {
      const version = (request.query as Record<string, unknown>).v;
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
    } catch (error) {
      request.log.error({ err: error }, 'accepting a websocket failed');
      socket.terminate();
    }
  });
}

export default fp(gatewaySocket, { name: 'miscord-gateway-socket' });
