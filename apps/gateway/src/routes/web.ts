import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The web client at `/` when apps/desktop's renderer is built; otherwise a short page saying so. */
export async function webRoutes(app: FastifyInstance, options: { root: string }): Promise<void> {
  if (existsSync(options.root)) {
    await app.register(fastifyStatic, { root: options.root, prefix: '/', wildcard: true });
    return;
  }
  app.get('/', async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(
        `Miscord gateway is running, but the web client is not built (looked in ${options.root}).\n` +
          'Build it with `npm run build -w @miscord/desktop`, or use the desktop app.\n',
      ),
  );
}
