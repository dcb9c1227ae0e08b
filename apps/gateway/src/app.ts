import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ConnectionRegistry,
  MemoryConnectionRegistry,
  RedisConnectionRegistry,
} from '@miscord/registry';
import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { TokenSigner } from './auth/tokens';
import { type ChannelConfig, defaultCorsOrigins, parseChannelConfig } from './config';
import { Gateway } from './gateway/Gateway';
import { type LimitOverrides, resolveLimits } from './gateway/limits';
import crossOrigin from './plugins/crossOrigin';
import gatewaySocket from './plugins/gatewaySocket';
import { debugStatsRoutes } from './routes/debugStats';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { operatorAccess } from './routes/operatorAccess';
import { sessionRoutes } from './routes/sessions';
import { webRoutes } from './routes/web';

declare module 'fastify' {
  interface FastifyInstance {
    gateway: Gateway;
  }
}

export const GATEWAY_VERSION = '0.1.0';

interface AjvError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

type HttpFailure = Error & {
  statusCode?: number;
  code?: string;
  validation?: AjvError[];
  validationContext?: string;
};

/** `body/admin is not allowed`, `body/displayName is required`, `body/displayName must be string`. */
function describeValidation(error: HttpFailure): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const base = `${error.validationContext ?? 'body'}${first.instancePath}`;
  if (first.keyword === 'additionalProperties')
    return `${base}/${String(first.params.additionalProperty)} is not allowed`;
  if (first.keyword === 'required') return `${base}/${String(first.params.missingProperty)} is required`;
  return `${base} ${first.message ?? 'is invalid'}`;
}

export interface BuildAppOptions {
  /** HMAC secret for session tokens (server.ts: MISCORD_SECRET or the data file). */
  readonly secret: string;
  /** Redis URL; unset = the embedded in-memory registry. */
  readonly redisUrl?: string | undefined;
  /** A ready-made registry (tests); wins over redisUrl. */
  readonly registry?: ConnectionRegistry;
  readonly nodeId?: string;
  readonly inviteCode?: string | undefined;
  readonly adminToken?: string | undefined;
  /** Origins whose pages may call the public API cross-origin, on top of `defaultCorsOrigins`. */
  readonly corsOrigins?: readonly string[];
  /** Spaces, channels and ICE servers (default: one space with General, Gaming (10) and AFK). */
  readonly channels?: ChannelConfig;
  readonly limits?: LimitOverrides;
  /** A pino logger, or a level (default 'info'). */
  readonly logger?: Logger | string;
  /** Folder of the built web client (default ../../desktop/dist/renderer next to this bundle). */
  readonly webRoot?: string | undefined;
  readonly reaperIntervalMs?: number;
  /** Cluster mode: reload the node's voice directory from Redis this often (default 30 s). */
  readonly directoryResyncMs?: number;
  readonly staleAfterMs?: number;
  /** Registry flush interval for coalesced heartbeats (Redis). */
  readonly flushIntervalMs?: number;
  readonly tokenTtlMs?: number;
}

function defaultWebRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '../../desktop/dist/renderer');
}

/** The gateway as a Fastify app; `listen()` is the caller's business (server.ts or a test). */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const log =
    typeof options.logger === 'object'
      ? options.logger
      : pino({ level: options.logger ?? 'info', name: 'gateway' });
  const limits = resolveLimits(options.limits);
  const nodeId = options.nodeId ?? `node-${randomBytes(4).toString('hex')}`;
  const flushIntervalMs = options.flushIntervalMs ?? 5_000;
  const registry =
    options.registry ??
    (options.redisUrl
      ? new RedisConnectionRegistry({
          nodeId,
          url: options.redisUrl,
          flushIntervalMs,
          replayCapacity: limits.replayBufferSize,
          onError: (error) => log.warn({ err: error }, 'redis error'),
        })
      : new MemoryConnectionRegistry({ nodeId, replayCapacity: limits.replayBufferSize }));
  const channels = options.channels ?? parseChannelConfig({});
  const gateway = new Gateway({
    registry,
    tokens: new TokenSigner(options.secret, options.tokenTtlMs),
    log,
    limits,
    spaces: channels.spaces,
    iceServers: channels.iceServers,
    reaperIntervalMs: options.reaperIntervalMs ?? 10_000,
    directoryResyncMs: options.directoryResyncMs ?? 30_000,
    staleAfterMs:
      options.staleAfterMs ??
      Math.max(limits.heartbeatDeadlineMs, limits.resumeWindowMs) + 2 * flushIntervalMs,
  });

  const app = Fastify({
    loggerInstance: log,
    bodyLimit: 16 * 1024,
    // Bodies are validated exactly as the schemas say: no coercion, no silently dropped fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  app.decorate('gateway', gateway);
  app.setErrorHandler((error: HttpFailure, request, reply) => {
    const statusCode =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    reply.code(statusCode).send({
      statusCode,
      error: statusCode >= 500 ? 'Internal Server Error' : 'Bad Request',
      code: error.validation ? 'INVALID_BODY' : (error.code ?? 'ERROR'),
      message: statusCode >= 500 ? 'internal error' : (describeValidation(error) ?? error.message),
    });
  });

  await gateway.start();
  app.addHook('onClose', async () => {
    await gateway.drain();
    await gateway.stop();
  });

  const allowed = operatorAccess(options.adminToken);
  await app.register(gatewaySocket, { gateway });
  await app.register(healthRoutes);
  const origins = new Set([...defaultCorsOrigins, ...(options.corsOrigins ?? [])]);
  // The public API in a context of its own: only its routes answer CORS (plugins/crossOrigin.ts).
  await app.register(async function publicApi(api) {
    await api.register(crossOrigin, { origins });
    await api.register(sessionRoutes, {
      inviteCode: options.inviteCode,
      serverName: channels.name,
      version: GATEWAY_VERSION,
    });
  });
  await app.register(debugStatsRoutes, { allowed });
  await app.register(metricsRoutes, { allowed });
  await app.register(webRoutes, { root: options.webRoot ?? defaultWebRoot() });
  return app as unknown as FastifyInstance;
}
