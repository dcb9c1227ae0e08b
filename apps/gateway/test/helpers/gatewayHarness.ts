import type { FastifyInstance } from 'fastify';
import { type BuildAppOptions, buildApp } from '../../src/app';
import type { ChannelConfig } from '../../src/config';
import { parseChannelConfig } from '../../src/config';
import { TestClient } from './TestClient';

export type RegistryMode = 'memory' | 'redis';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

export interface Harness {
  readonly app: FastifyInstance;
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** POST /api/sessions → token. */
  token(displayName: string): Promise<{ token: string; userId: string }>;
  /** Connect, IDENTIFY and wait for READY. */
  client(displayName: string, kind?: 'desktop' | 'web'): Promise<Signed>;
  close(): Promise<void>;
}

export interface Signed {
  readonly client: TestClient;
  readonly token: string;
  readonly userId: string;
  readonly sessionId: string;
}

export const testChannels: ChannelConfig = parseChannelConfig({
  name: 'Test',
  spaces: [
    {
      id: 'space',
      name: 'Space',
      channels: [
        { id: 'general', name: 'General', kind: 'voice', userLimit: 0 },
        { id: 'gaming', name: 'Gaming', kind: 'voice', userLimit: 10 },
        { id: 'duo', name: 'Duo', kind: 'voice', userLimit: 2 },
      ],
    },
  ],
});

/** A gateway on 127.0.0.1:0 in the given registry mode. */
export async function startGateway(
  redisUrl: string | undefined,
  options: Partial<BuildAppOptions> = {},
): Promise<Harness> {
  const app = await buildApp({
    secret: TEST_SECRET,
    redisUrl,
    logger: process.env.TEST_LOG_LEVEL ?? 'silent',
    channels: testChannels,
    reaperIntervalMs: 0,
    flushIntervalMs: 200,
    webRoot: '/nonexistent-web-root',
    ...options,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const httpUrl = address.replace('localhost', '127.0.0.1');
  const wsUrl = `${httpUrl.replace('http', 'ws')}/ws?v=1`;
  const clients: TestClient[] = [];
  const harness: Harness = {
    app,
    httpUrl,
    wsUrl,
    async token(displayName) {
      const res = await fetch(`${httpUrl}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName }),
      });
      const body = (await res.json()) as { token: string; user: { id: string } };
      if (res.status !== 201) throw new Error(`POST /api/sessions → ${res.status} ${JSON.stringify(body)}`);
      return { token: body.token, userId: body.user.id };
    },
    async client(displayName, kind = 'desktop') {
      const { token, userId } = await harness.token(displayName);
      const client = await TestClient.connect(wsUrl);
      clients.push(client);
      const ready = await client.identify(token, kind);
      return { client, token, userId, sessionId: ready.d.sessionId };
    },
    async close() {
      for (const client of clients) client.ws.terminate();
      await app.close();
    },
  };
  return harness;
}

/** Poll until `check` passes (robust on a loaded machine; no fixed sleeps). */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
