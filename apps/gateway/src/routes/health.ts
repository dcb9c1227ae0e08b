import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok', nodeId: app.gateway.nodeId }));
  app.get('/readyz', async (_request, reply) => {
    const health = await app.gateway.registry.health();
    const ready = app.gateway.state === 'ready' && health.connected;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      node: app.gateway.state,
      registry: health,
    });
  });
}
