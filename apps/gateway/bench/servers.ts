import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFlags as gatewayNodeFlags } from '../src/nodeFlags';
import type { ChildProcesses } from './ChildProcesses';
import { withTimeout } from './concurrency';
import { collectGarbage, watchInspectorUrl } from './inspector';
import type { LoadTarget } from './loadProtocol';
import { freePort, waitForHttpOk } from './net';
import { type RedisServer, startRedis } from './redisServer';

export const ServerKind = {
  Relay: 'relay',
  GatewayMemory: 'gateway-memory',
  GatewayRedis: 'gateway-redis',
} as const;
export type ServerKind = (typeof ServerKind)[keyof typeof ServerKind];

export const allServerKinds: readonly ServerKind[] = Object.values(ServerKind);

export interface ServerUnderTest {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly target: LoadTarget;
  readonly redis: RedisServer | undefined;
  /** Last lines the server wrote (for error messages). */
  output(): string;
  /** A full garbage collection in the server, through its inspector. */
  collectGarbage(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerContext {
  readonly processes: ChildProcesses;
  /** Write a V8 CPU profile of each server run into this folder (node --cpu-prof). */
  readonly cpuProfileDir: string | undefined;
  readonly relayBundle: string;
  /** apps/gateway/dist/server.js */
  readonly gatewayEntry: string;
}

/** Keep the last few KB a child writes, so a failure can say why without flooding the terminal. */
function captureTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

/**
 * Servers run with their inspector on a random loopback port, unattached except for the moment the
 * benchmark asks for a full GC before reading RSS (see inspector.ts).
 */
const INSPECT = '--inspect=127.0.0.1:0';

function nodeFlags(context: ServerContext, name: string): string[] {
  // The gateway runs with the flags it ships with (node-flags.json: npm start uses them too); the relay
  // with Node's defaults.
  const own = name === ServerKind.Relay ? [] : gatewayNodeFlags;
  if (!context.cpuProfileDir) return [INSPECT, ...own];
  return [
    INSPECT,
    ...own,
    '--cpu-prof',
    `--cpu-prof-dir=${context.cpuProfileDir}`,
    `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
  ];
}

function collectGarbageVia(inspectorUrl: () => string | undefined): Promise<void> {
  const url = inspectorUrl();
  return url ? collectGarbage(url) : Promise.reject(new Error('the server printed no inspector URL'));
}

const alive = (child: ChildProcess) => () => child.exitCode === null && child.signalCode === null;

async function startRelay(context: ServerContext): Promise<ServerUnderTest> {
  const port = await freePort();
  const child = context.processes.spawn(
    process.execPath,
    [...nodeFlags(context, 'relay'), context.relayBundle],
    {
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = captureTail(child);
  const inspectorUrl = watchInspectorUrl(child);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (output().includes('listening')) resolve();
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${output()}`)));
    }),
    15_000,
    'relay start',
  );
  return {
    kind: ServerKind.Relay,
    pid: child.pid ?? -1,
    target: { kind: 'relay', wsUrl: `ws://127.0.0.1:${port}/` },
    redis: undefined,
    output,
    collectGarbage: () => collectGarbageVia(inspectorUrl),
    stop: () => context.processes.stop(child),
  };
}

async function startGateway(
  context: ServerContext,
  kind: ServerKind,
  configPath: string,
): Promise<ServerUnderTest> {
  const redis = kind === ServerKind.GatewayRedis ? await startRedis(context.processes) : undefined;
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'miscord-bench-data-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    MISCORD_CONFIG: configPath,
    MISCORD_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(redis ? { REDIS_URL: redis.url } : {}),
  };
  const child = context.processes.spawn(
    process.execPath,
    [...nodeFlags(context, kind), context.gatewayEntry],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = captureTail(child);
  const inspectorUrl = watchInspectorUrl(child);
  const httpUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(`${httpUrl}/readyz`, 30_000, alive(child));
  } catch (error) {
    await context.processes.stop(child, 1_000);
    if (redis) await context.processes.stop(redis.child, 1_000);
    throw new Error(`${kind} did not start: ${(error as Error).message}\n${output()}`);
  }
  return {
    kind,
    pid: child.pid ?? -1,
    target: { kind: 'gateway', httpUrl, wsUrl: `ws://127.0.0.1:${port}/ws?v=1` },
    redis,
    output,
    collectGarbage: () => collectGarbageVia(inspectorUrl),
    stop: async () => {
      await context.processes.stop(child);
      if (redis) await context.processes.stop(redis.child, 1_000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function startServer(
  context: ServerContext,
  kind: ServerKind,
  gatewayConfigPath: string,
): Promise<ServerUnderTest> {
  return kind === ServerKind.Relay ? startRelay(context) : startGateway(context, kind, gatewayConfigPath);
}
