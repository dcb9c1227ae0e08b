import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface CrossOriginOptions {
  /** Exact `Origin` values allowed (config.ts: defaultCorsOrigins plus MISCORD_CORS_ORIGINS). */
  readonly origins: ReadonlySet<string>;
}

/** What an allowed origin gets: the public API is two JSON calls without cookies or custom headers. */
const allowed = {
  methods: ['GET', 'POST'],
  allowedHeaders: ['content-type'],
  credentials: false,
  maxAge: 600,
} as const satisfies FastifyCorsOptions;

/**
 * CORS (`@fastify/cors`) for the routes registered after it in the same context, and for no others: app.ts
 * puts it in the public API's own context, so operator endpoints, the web client and `/ws` never carry
 * CORS headers. The context's preflight route is `OPTIONS *` (it matches every path that has no OPTIONS
 * route of its own), so a preflight is answered only for a path of this context; any other is a 404
 * without CORS headers. A request from an origin not in the list gets no CORS headers at all; the browser
 * then withholds the reply from the page.
 */
async function crossOrigin(app: FastifyInstance, options: CrossOriginOptions): Promise<void> {
  const paths = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.url !== '*') paths.add(route.url);
  });
  const optionsFor = (request: FastifyRequest): FastifyCorsOptions => {
    const origin = request.headers.origin;
    const path = request.url.split('?', 1)[0] ?? '';
    return origin !== undefined && options.origins.has(origin) && paths.has(path)
      ? { ...allowed, origin }
      : { origin: false };
  };
  await app.register(cors, {
    delegator: (request, callback) => callback(null, optionsFor(request)),
  });
}

export default fp(crossOrigin, { name: 'miscord-cross-origin' });
