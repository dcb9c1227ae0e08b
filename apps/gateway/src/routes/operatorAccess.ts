import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Operator endpoints expose IPs and user agents. With MISCORD_ADMIN_TOKEN set they need it as a bearer
 * token from everyone (behind a reverse proxy every request comes from loopback); without it they answer
 * only requests from loopback.
 */
export function operatorAccess(adminToken: string | undefined): (request: FastifyRequest) => boolean {
  const expected = adminToken === undefined ? undefined : Buffer.from(`Bearer ${adminToken}`);
  return (request) => {
    if (expected === undefined) return loopback.has(request.socket.remoteAddress ?? '');
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

/** The 403 body of operator endpoints. */
export const forbidden = {
  statusCode: 403,
  error: 'Forbidden',
  code: 'OPERATOR_ONLY',
  message: 'operator endpoint: loopback only, or the admin bearer token',
} as const;
