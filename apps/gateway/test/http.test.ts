import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayOp, WebSocketStats } from '@miscord/protocol';
import { Compile } from 'typebox/compile';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDisplayName } from '../src/auth/displayName';
import { loadOrCreateSecret } from '../src/auth/secret';
import { ConfigError, loadChannelConfig, readEnv } from '../src/config';
import { type Harness, startGateway } from './helpers/gatewayHarness';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('HTTP routes', () => {
  let gateway: Harness | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('POST /api/sessions validates the display name with errors that name the field', async () => {
    gateway = await startGateway(undefined);
    const ok = await post(`${gateway.httpUrl}/api/sessions`, { displayName: '  Zoë 🎧  ' });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { user: { id: string; displayName: string }; expiresAt: string };
    expect(body.user.displayName).toBe('Zoë 🎧');
    expect(body.user.id).toMatch(/^u_/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());

    const cases: [unknown, string][] = [
      [{ displayName: '' }, 'displayName'],
      [{ displayName: 'x'.repeat(33) }, 'displayName'],
      [{ displayName: 42 }, 'displayName'],
      [{}, 'displayName'],
      [{ displayName: 'ok', admin: true }, 'admin'],
      [{ displayName: '   ' }, 'visible'],
      [{ displayName: 'a\u0000b' }, 'control'],
      [{ displayName: '\u200b\u200b' }, 'visible'],
    ];
    for (const [input, mention] of cases) {
      const res = await post(`${gateway.httpUrl}/api/sessions`, input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      const error = (await res.json()) as { message: string; statusCode: number };
      expect(error.message, JSON.stringify(input)).toContain(mention);
      expect(error.statusCode).toBe(400);
    }
  });

  it('requires the invite code when one is set', async () => {
    gateway = await startGateway(undefined, { inviteCode: 'open-sesame' });
    const info = await (await fetch(`${gateway.httpUrl}/api/server`)).json();
    expect(info).toMatchObject({ protocolVersion: 1, inviteRequired: true, name: 'Test' });
    expect((await post(`${gateway.httpUrl}/api/sessions`, { displayName: 'A' })).status).toBe(403);
    const wrong = await post(`${gateway.httpUrl}/api/sessions`, { displayName: 'A', inviteCode: 'nope' });
    expect(await wrong.json()).toMatchObject({ statusCode: 403, code: 'INVALID_INVITE' });
    expect(
      (await post(`${gateway.httpUrl}/api/sessions`, { displayName: 'A', inviteCode: 'open-sesame' })).status,
    ).toBe(201);
  });

  it('serves health, readiness, metrics and a page when the web client is not built', async () => {
    gateway = await startGateway(undefined);
    expect((await fetch(`${gateway.httpUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${gateway.httpUrl}/readyz`)).json()).toMatchObject({ status: 'ready' });
    const page = await fetch(`${gateway.httpUrl}/`);
    expect(await page.text()).toContain('web client is not built');
    const { client } = await gateway.client('Metric');
    client.heartbeat();
    await client.nextOp(GatewayOp.HeartbeatAck);
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    expect(metrics).toContain('miscord_gateway_messages_in_total{op="IDENTIFY"} 1');
    expect(metrics).toContain('miscord_gateway_connections{kind="desktop"} 1');
  });

  it('serves the web client from the web root when it exists', async () => {
    const root = await mkdtemp(join(tmpdir(), 'miscord-web-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Miscord</title>');
    try {
      gateway = await startGateway(undefined, { webRoot: root });
      const res = await fetch(`${gateway.httpUrl}/`);
      expect(await res.text()).toContain('<title>Miscord</title>');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('guards operator endpoints with the admin token when one is set', async () => {
    gateway = await startGateway(undefined, { adminToken: 'op-token' });
    expect((await fetch(`${gateway.httpUrl}/api/debug/websocket-stats`)).status).toBe(403);
    expect((await fetch(`${gateway.httpUrl}/metrics`)).status).toBe(403);
    const res = await fetch(`${gateway.httpUrl}/api/debug/websocket-stats`, {
      headers: { authorization: 'Bearer op-token' },
    });
    expect(res.status).toBe(200);
    expect(Compile(WebSocketStats).Check(await res.json())).toBe(true);
  });
});

describe('configuration', () => {
  it('reads env with defaults and names the wrong variable', () => {
    const env = readEnv({}, '/srv');
    expect(env).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      redisUrl: undefined,
      logLevel: 'info',
      dataDir: '/srv/.miscord-data',
    });
    expect(() => readEnv({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => readEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => readEnv({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => readEnv({ MISCORD_SECRET: 'short' })).toThrow(/MISCORD_SECRET/);
  });

  it('validates the spaces/channels file and names the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miscord-config-'));
    try {
      const file = join(dir, 'config.json');
      await writeFile(
        file,
        JSON.stringify({
          spaces: [
            { id: 's', name: 'S', channels: [{ id: 'c', name: 'C', kind: 'voice', userLimit: 'ten' }] },
          ],
        }),
      );
      expect(() => loadChannelConfig(file)).toThrow(/\/spaces\/0\/channels\/0\/userLimit/);
      await writeFile(file, '{ nope');
      expect(() => loadChannelConfig(file)).toThrow(ConfigError);
      const channel = { id: 'c', name: 'C', kind: 'voice', userLimit: 0 };
      await writeFile(
        file,
        JSON.stringify({ spaces: [{ id: 's', name: 'S', channels: [channel, channel] }] }),
      );
      expect(() => loadChannelConfig(file)).toThrow(/used twice/);
      await writeFile(file, JSON.stringify({ iceServers: [{ urls: 'stun:stun.example.org:3478' }] }));
      const config = loadChannelConfig(file);
      expect(config.spaces[0]?.channels.map((c) => [c.name, c.userLimit])).toEqual([
        ['General', 0],
        ['Gaming', 10],
        ['AFK', 0],
      ]);
      expect(config.iceServers).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('generates the secret once, mode 0600, and reuses it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'miscord-data-')), 'nested');
    try {
      const first = loadOrCreateSecret(dir);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(loadOrCreateSecret(dir)).toBe(first);
      expect((await stat(join(dir, 'secret'))).mode & 0o777).toBe(0o600);
      expect((await readFile(join(dir, 'secret'), 'utf8')).trim()).toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks display names by visible characters', () => {
    expect(checkDisplayName('👩‍👩‍👧‍👦')).toEqual({ ok: true, value: '👩‍👩‍👧‍👦' });
    expect(checkDisplayName('a'.repeat(32)).ok).toBe(true);
    expect(checkDisplayName('a'.repeat(33)).ok).toBe(false);
    expect(checkDisplayName('line\nbreak').ok).toBe(false);
  });
});
