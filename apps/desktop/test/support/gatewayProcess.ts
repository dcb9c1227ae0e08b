import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gatewayEntry = join(import.meta.dirname, '../../../gateway/src/server.ts');

export interface GatewayProcess {
  readonly url: string;
  /** The child's pid (to signal it from a test, e.g. SIGTERM for a graceful drain). */
  readonly pid: number;
  /** Everything the process printed so far (pino lines): the place to read why it refused something. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real gateway (apps/gateway's server.ts run with tsx, a separate process, no import across apps) on
 * 127.0.0.1 port 0, serving `webRoot` at `/`. Resolves with its URL once it logs that it listens.
 */
export async function startGateway(options: {
  webRoot: string;
  inviteCode?: string;
  /** Extra environment, applied last (REDIS_URL, a fixed PORT and MISCORD_SECRET for a restart, …). */
  env?: Readonly<Record<string, string>>;
}): Promise<GatewayProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'miscord-desktop-test-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', gatewayEntry], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      MISCORD_SECRET: randomBytes(24).toString('hex'),
      MISCORD_DATA_DIR: dataDir,
      MISCORD_WEB_ROOT: options.webRoot,
      ...(options.inviteCode ? { MISCORD_INVITE_CODE: options.inviteCode } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 60 s:\n${output}`)), 60_000);
    const onData = () => {
      const match = /gateway listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
