import { timingSafeEqual } from 'node:crypto';
import {
  CreateSessionBody,
  CreateSessionReply,
  HttpError,
  PROTOCOL_VERSION,
  ServerInfo,
} from '@miscord/protocol';
import type { FastifyInstance } from 'fastify';
import { checkDisplayName } from '../auth/displayName';

export interface SessionRouteOptions {
  readonly inviteCode: string | undefined;
  readonly serverName: string;
  readonly version: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** POST /api/sessions (sign in) and GET /api/server (what a client needs before signing in). */
export async function sessionRoutes(app: FastifyInstance, options: SessionRouteOptions): Promise<void> {
  app.get('/api/server', { schema: { response: { 200: ServerInfo } } }, async () => ({
    name: options.serverName,
    version: options.version,
    protocolVersion: PROTOCOL_VERSION,
    inviteRequired: options.inviteCode !== undefined,
  }));

  app.post(
    '/api/sessions',
    {
      schema: {
        body: CreateSessionBody,
        response: { 201: CreateSessionReply, 400: HttpError, 403: HttpError },
      },
    },
    async (request, reply) => {
      const body = request.body as CreateSessionBody;
      if (options.inviteCode !== undefined && !sameSecret(body.inviteCode ?? '', options.inviteCode)) {
        return reply.code(403).send({
          statusCode: 403,
          error: 'Forbidden',
          code: 'INVALID_INVITE',
          message:
            body.inviteCode === undefined ? 'inviteCode is required on this server' : 'inviteCode is wrong',
        });
      }
      const name = checkDisplayName(body.displayName);
      if (!name.ok) {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          code: 'INVALID_DISPLAY_NAME',
          message: name.message,
        });
      }
      const { token, claims } = app.gateway.tokens.issue(name.value);
      return reply.code(201).send({
        token,
        user: { id: claims.userId, displayName: claims.displayName },
        expiresAt: new Date(claims.expiresAt).toISOString(),
      });
    },
  );
}
