import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloseCode, GatewayOp } from '@miscord/protocol';
import { freePort } from '@miscord/registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './helpers/gatewayHarness';
import { TestClient } from './helpers/TestClient';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

/** The real bundle (dist/server.js) as its own process, configured by env only. */
async function startBundle(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist/server.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited: ${output}`);
      return fetch(`${url}/readyz`).then(
        (res) => res.ok,
        () => false,
      );
    },
    30_000,
    'the bundle to be ready',
  );
  return { child, url, exited };
}

async function signIn(url: string, displayName: string): Promise<string> {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return ((await res.json()) as { token: string }).token;
}

describe('dist/server.js', () => {
  let dataDir: string;
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(root, 'build.mjs')], { cwd: root });
    dataDir = await mkdtemp(join(tmpdir(), 'miscord-server-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('drains on SIGTERM (RECONNECT, 1001, exit 0) and keeps tokens valid across a restart', async () => {
    const first = await startBundle({ MISCORD_DATA_DIR: dataDir });
    const token = await signIn(first.url, 'Restart');
    expect((await stat(join(dataDir, 'secret'))).mode & 0o777).toBe(0o600);
    const client = await TestClient.connect(`${first.url.replace('http', 'ws')}/ws?v=1`);
    await client.identify(token);
    first.child.kill('SIGTERM');
    await client.nextOp(GatewayOp.Reconnect);
    expect((await client.closed).code).toBe(CloseCode.GoingAway);
    expect(await first.exited).toBe(0);

    // Same data dir, no MISCORD_SECRET: the generated secret is reused, so the old token still works.
    const second = await startBundle({ MISCORD_DATA_DIR: dataDir });
    try {
      const again = await TestClient.connect(`${second.url.replace('http', 'ws')}/ws?v=1`);
      const ready = await again.identify(token);
      expect(ready.d.user.displayName).toBe('Restart');
      again.ws.terminate();
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
  });

  it('refuses to start on a bad environment, naming the variable', async () => {
    const result = await promisify(execFile)(process.execPath, [join(root, 'dist/server.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', MISCORD_DATA_DIR: dataDir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain('PORT must be an integer');
  });
});
