import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startRedisServer, type TestRedisServer } from '@miscord/registry/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../scripts/chromium';
import { type CallUser, SCREENSHOTS, signIn, writeCallConfig } from './callHarness';
import { type GatewayProcess, startGateway } from './gatewayProcess';
import { buildRendererForTest } from './rendererBuild';

export interface CallStackOptions {
  /** The people, signed in (in this order) through the web client's first-run screen. */
  readonly names: readonly string[];
  /** The Redis registry (a throwaway redis-server) instead of the embedded memory one. */
  readonly redis?: boolean;
  /** What getDisplayMedia's fake capture is (scripts/chromium.ts). */
  readonly fakeDisplay?: 'monitor' | 'browser';
}

/**
 * Register a call test's hooks: a fresh renderer build served by the real gateway (memory or Redis registry),
 * one Chromium with fake devices, and everyone signed in. `users()` gives them in `names` order.
 */
export function setUpCall(options: CallStackOptions) {
  let webRoot = '';
  let configPath = '';
  let redis: TestRedisServer | undefined;
  let gateway: GatewayProcess | undefined;
  let browser: Browser | undefined;
  let users: CallUser[] = [];
  beforeAll(async () => {
    [webRoot, configPath, redis] = await Promise.all([
      buildRendererForTest(),
      writeCallConfig(),
      options.redis ? startRedisServer() : Promise.resolve(undefined),
    ]);
    gateway = await startGateway({
      webRoot,
      env: { MISCORD_CONFIG: configPath, ...(redis ? { REDIS_URL: redis.url } : {}) },
    });
    browser = await launchChromium(options.fakeDisplay ? { fakeDisplay: options.fakeDisplay } : {});
    const url = gateway.url;
    const open = browser;
    users = await Promise.all(options.names.map((name) => signIn(open, url, name)));
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
    if (configPath) await rm(dirname(configPath), { recursive: true, force: true });
  }, 60_000);
  return {
    users: (): CallUser[] => {
      if (users.length === 0) throw new Error('setUpCall() users read before its beforeAll ran');
      return users;
    },
  };
}
