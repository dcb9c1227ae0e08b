import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium';
import { contentTypeOf, RENDERER_CSP, resolveBundledAsset } from '../../src/main/bundledAssets';
import { buildRendererForTest } from '../support/rendererBuild';

// The production renderer under the Content-Security-Policy the Electron protocol handler sends, served
// the way main.ts serves it (resolveBundledAsset + contentTypeOf), in real Chromium: it must render
// without a single CSP violation or console error.

let webRoot: string;
let server: Server;
let browser: Browser;
let base: string;

beforeAll(async () => {
  webRoot = await buildRendererForTest();
  server = createServer((request, response) => {
    if (request.url === '/api/server') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ name: 'CSP Test', version: '0.1.0', protocolVersion: 1, inviteRequired: true }),
        );
      return;
    }
    const path = resolveBundledAsset(`miscord://app${request.url ?? '/'}`, webRoot);
    if (path === null) {
      response.writeHead(404).end();
      return;
    }
    readFile(path).then(
      (body) =>
        response
          .writeHead(200, { 'content-type': contentTypeOf(path), 'content-security-policy': RENDERER_CSP })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

describe('renderer under the desktop CSP', () => {
  it('renders and checks server replies with no console errors and nothing blocked but the TypeBox eval probe', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} @ ${message.location().url}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
    });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    await page.goto(`${base}/index.html`);
    await page.getByTestId('first-run').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('server-url-input').inputValue()).toBe(base);
    // The /api/server reply passes the protocol schema check (typebox) under this CSP: the invite field appears.
    await page.getByTestId('invite-code-input').waitFor({ timeout: 15_000 });
    expect(await page.getByText('You are joining CSP Test.').count()).toBe(1);
    // TypeBox probes once whether it may compile validators with eval; the CSP says no, it falls back to
    // its interpreter. That probe is the only violation allowed: no script, style or connection is blocked.
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    );
    expect(violations.filter((violation) => violation !== 'script-src eval')).toEqual([]);
    expect(problems).toEqual([]);
  });
});
