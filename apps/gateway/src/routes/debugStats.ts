import { HttpError, WebSocketStats } from '@miscord/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildStats } from '../gateway/stats';
import { forbidden } from './operatorAccess';

/** GET /api/debug/websocket-stats?limit=N */
export async function debugStatsRoutes(
  app: FastifyInstance,
  options: { allowed: (request: FastifyRequest) => boolean },
): Promise<void> {
  app.get(
    '/api/debug/websocket-stats',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'string', pattern: '^[0-9]{1,5}$' } },
          additionalProperties: false,
        },
        response: { 200: WebSocketStats, 403: HttpError },
      },
    },
    async (request, reply) => {
      if (!options.allowed(request)) {
        return reply.code(403).send(forbidden);
      }
      const limit = Math.min(Number((request.query as { limit?: string }).limit ?? 100), 10_000);
      return buildStats(app.gateway, limit);
    },
  );
}
