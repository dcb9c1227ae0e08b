import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from './operatorAccess';

/** GET /metrics: Prometheus text (miscord_gateway_*). Same access rule as the debug stats. */
export async function metricsRoutes(
  app: FastifyInstance,
  options: { allowed: (request: FastifyRequest) => boolean },
): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    if (!options.allowed(request)) return reply.code(403).send(forbidden);
    const registry = app.gateway.metrics.prometheus;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
