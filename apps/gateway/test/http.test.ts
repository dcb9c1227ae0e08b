import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESKTOP_APP_ORIGIN, GatewayOp, WebSocketStats } from '@miscord/protocol';
import { Compile } from 'typebox/compile';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDisplayName } from '../src/auth/displayName';
import { loadOrCreateSecret } from '../src/auth/secret';
import { ConfigError, loadChannelConfig, parseCorsOrigins, readEnv } from '../src/config';
import { type Harness, startGateway } from './helpers/gatewayHarness';
import { TestClient } from './helpers/TestClient';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The CORS headers of a reply (`access-control-*`), by name. */
function corsHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
}

const preflight = (origin: string, method = 'POST') => ({
  origin,
  'access-control-request-method': method,
  'access-control-request-headers': 'content-type',
});

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
    expect(metrics).toContain('miscord_gateway_sessions 1');
    // Nothing relayed yet: the replay store holds no frame and no chunk.
    expect(metrics).toContain('miscord_gateway_replay_store_frames 0');
    expect(metrics).toContain('miscord_gateway_replay_store_bytes 0');
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

  describe('CORS', () => {
    it('answers the desktop renderer: preflight for the JSON sign-in, then the reply carries its origin', async () => {
      gateway = await startGateway(undefined);
      const { app } = gateway;
      const options = await app.inject({
        method: 'OPTIONS',
        url: '/api/sessions',
        headers: preflight(DESKTOP_APP_ORIGIN),
      });
      expect(options.statusCode).toBe(204);
      expect(corsHeaders(options.headers)).toEqual({
        'access-control-allow-origin': 'miscord://app',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      });
      const signIn = (displayName: string) =>
        app.inject({
          method: 'POST',
          url: '/api/sessions',
          headers: { origin: DESKTOP_APP_ORIGIN, 'content-type': 'application/json' },
          payload: { displayName },
        });
      const signedIn = await signIn('Desk');
      expect(signedIn.statusCode).toBe(201);
      expect(corsHeaders(signedIn.headers)).toEqual({ 'access-control-allow-origin': 'miscord://app' });
      expect(signedIn.headers.vary).toContain('Origin');
      const info = await app.inject({ url: '/api/server', headers: { origin: DESKTOP_APP_ORIGIN } });
      expect(corsHeaders(info.headers)).toEqual({ 'access-control-allow-origin': 'miscord://app' });
      // Errors are readable cross-origin too, so the sign-in screen can show them.
      const refused = await signIn('');
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['access-control-allow-origin']).toBe('miscord://app');
    });

    it('allows the Vite dev server on loopback by default and more origins from corsOrigins', async () => {
      gateway = await startGateway(undefined, { corsOrigins: ['https://chat.example.org'] });
      for (const origin of ['http://127.0.0.1:5173', 'http://localhost:5173', 'https://chat.example.org']) {
        const options = await gateway.app.inject({
          method: 'OPTIONS',
          url: '/api/sessions',
          headers: preflight(origin),
        });
        expect([options.statusCode, options.headers['access-control-allow-origin']], origin).toEqual([
          204,
          origin,
        ]);
      }
    });

    it('gives any other origin no CORS headers: the request is served, the browser withholds the reply', async () => {
      gateway = await startGateway(undefined);
      const { app } = gateway;
      for (const origin of ['https://evil.example', 'http://127.0.0.1:5174', 'null', 'miscord://other']) {
        const info = await app.inject({ url: '/api/server', headers: { origin } });
        expect([info.statusCode, corsHeaders(info.headers)], origin).toEqual([200, {}]);
        const options = await app.inject({
          method: 'OPTIONS',
          url: '/api/sessions',
          headers: preflight(origin),
        });
        expect([options.statusCode, corsHeaders(options.headers)], origin).toEqual([404, {}]);
      }
      const sameOrigin = await app.inject({ url: '/api/server' });
      expect(corsHeaders(sameOrigin.headers)).toEqual({});
    });

    it('never opens operator endpoints, health or the web client cross-origin, even to an allowed origin', async () => {
      gateway = await startGateway(undefined);
      const { app } = gateway;
      for (const url of ['/api/debug/websocket-stats', '/metrics', '/healthz', '/readyz', '/']) {
        const get = await app.inject({ url, headers: { origin: DESKTOP_APP_ORIGIN } });
        expect([get.statusCode, corsHeaders(get.headers)], url).toEqual([200, {}]); // inject comes from loopback
        const options = await app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            ...preflight(DESKTOP_APP_ORIGIN, 'GET'),
            'access-control-request-headers': 'authorization',
          },
        });
        expect([options.statusCode, corsHeaders(options.headers)], url).toEqual([404, {}]);
      }
    });

    it('accepts WebSocket upgrades from any origin: IDENTIFY needs the bearer token, not a cookie', async () => {
      gateway = await startGateway(undefined);
      const { token } = await gateway.token('Anywhere');
      const client = await TestClient.connect(gateway.wsUrl, { origin: 'https://evil.example' });
      try {
        const ready = await client.identify(token, 'web');
        expect(ready.d.user.displayName).toBe('Anywhere');
      } finally {
        client.ws.terminate();
      }
    });
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

  it('reads MISCORD_CORS_ORIGINS as origins the way browsers send them, and names bad entries', () => {
    expect(readEnv({}).corsOrigins).toEqual([]);
    expect(
      readEnv({ MISCORD_CORS_ORIGINS: ' https://Chat.Example.org:443/ , http://10.0.0.5:5174,' }).corsOrigins,
    ).toEqual(['https://chat.example.org', 'http://10.0.0.5:5174']);
    expect(() => parseCorsOrigins('*')).toThrow(/MISCORD_CORS_ORIGINS: "\*" is not allowed/);
    for (const bad of [
      'chat.example.org',
      'https://chat.example.org/app',
      'ftp://x',
      'https://u:p@x',
      'https://x/?a=1',
    ]) {
      expect(() => readEnv({ MISCORD_CORS_ORIGINS: bad }), bad).toThrow(
        new ConfigError(`MISCORD_CORS_ORIGINS: "${bad}" is not an origin (http(s)://host[:port], no path)`),
      );
    }
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
