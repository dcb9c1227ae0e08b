import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type { ChildProcesses } from './ChildProcesses';
import { withTimeout } from './concurrency';
import { freePort } from './net';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
}

/**
 * A throwaway redis-server on a free port of 127.0.0.1, no persistence; never the shared 6379.
 * Resolves once it logs "ready to accept connections".
 */
export async function startRedis(processes: ChildProcesses): Promise<RedisServer> {
  const port = await freePort();
  const child = processes.spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'notice',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ready = new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
      if (/ready to accept connections/i.test(output)) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)),
    );
    child.once('error', reject);
  });
  await withTimeout(ready, 10_000, 'redis-server start');
  child.stdout?.resume();
  child.stderr?.resume();
  return { port, url: `redis://127.0.0.1:${port}`, pid: child.pid ?? -1, child };
}

/** Calls per command from INFO commandstats (`cmdstat_<name>:calls=…`). */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

/** Commands executed between two INFO commandstats snapshots, by name (zeros left out). */
export function commandDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, calls] of after) {
    const added = calls - (before.get(name) ?? 0);
    if (added > 0) delta.set(name, added);
  }
  return delta;
}

export async function commandStats(redis: Redis): Promise<Map<string, number>> {
  return parseCommandStats(await redis.info('commandstats'));
}

export function connectRedis(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
