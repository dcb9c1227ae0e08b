import pino from 'pino';
import { buildApp } from './app';
import { loadOrCreateSecret } from './auth/secret';
import { ConfigError, defaultCorsOrigins, loadChannelConfig, readEnv } from './config';
import { missingNodeFlags } from './nodeFlags';

/** Read the environment, listen, and shut down gracefully on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  const env = readEnv(process.env);
  const log = pino({ level: env.logLevel, name: 'gateway' });
  const missing = missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length > 0) {
    log.info(
      { missing },
      'started without the Node flags the gateway ships with (npm start adds them): expect longer GC pauses under load',
    );
  }
  const channels = loadChannelConfig(env.configPath);
  const secret = env.secret ?? loadOrCreateSecret(env.dataDir);
  const app = await buildApp({
    secret,
    redisUrl: env.redisUrl,
    nodeId: env.nodeId,
    inviteCode: env.inviteCode,
    adminToken: env.adminToken,
    corsOrigins: env.corsOrigins,
    channels,
    logger: log,
    webRoot: env.webRoot,
  });
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'draining: RECONNECT to every client, then closing');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    app.close().then(
      () => {
        log.info('gateway stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const address = await app.listen({ port: env.port, host: env.host });
  log.info(
    {
      address,
      nodeId: env.nodeId,
      registry: env.redisUrl ? 'redis' : 'memory',
      inviteRequired: Boolean(env.inviteCode),
      corsOrigins: [...defaultCorsOrigins, ...env.corsOrigins],
    },
    `gateway listening on ${address}`,
  );
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  console.error(`❌ gateway failed to start: ${message}`);
  process.exit(1);
});
