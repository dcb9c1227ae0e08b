import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebClientStack, type WebClientStack } from '../support/webClientStack';

// The desktop renderer (miscord://app) signs in cross-origin. Chromium cannot load our custom scheme here,
// so another http origin stands in for it: the same built client loaded from http://localhost:P signs in to
// the gateway at http://127.0.0.1:P, with http://localhost:P allowed by MISCORD_CORS_ORIGINS — the
// browser's own preflight and CORS checks, then the WebSocket. Loaded from http://127.0.0.1:P, an origin
// nobody allowed, the same client cannot use http://localhost:P.

let stack: WebClientStack | undefined;
let port: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function openFirstRun(
  pageOrigin: string,
  serverUrl: string,
): Promise<{ page: Page; console: string[] }> {
  if (!stack) throw new Error('no web client stack');
  const page = await (await stack.browser.newContext()).newPage();
  const console: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') console.push(message.text());
  });
  page.on('pageerror', (error) => console.push(`page error: ${error.message}`));
  await page.goto(`${pageOrigin}/`);
  await page.getByTestId('server-url-input').fill(serverUrl);
  await page.getByTestId('display-name-input').fill('Faraway');
  return { page, console };
}

beforeAll(async () => {
  port = await freePort();
  stack = await startWebClientStack({ PORT: String(port), MISCORD_CORS_ORIGINS: `http://localhost:${port}` });
});

afterAll(async () => {
  await stack?.close();
});

describe('signing in from another origin', () => {
  it('works from an allowed origin: server info, the JSON sign-in (preflighted) and the gateway socket', async () => {
    const { page, console } = await openFirstRun(`http://localhost:${port}`, `http://127.0.0.1:${port}`);
    await expect
      .poll(() => page.locator('.first-run__hint').textContent(), { timeout: 15_000 })
      .toMatch(/^Server Miscord · v/);
    await page.getByTestId('sign-in-button').click();
    await page.getByTestId('space-name').waitFor({ timeout: 30_000 });
    const badge = page.getByTestId('connection-badge');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 15_000 }).toBe('online');
    expect(console).toEqual([]);
    await page.context().close();
  });

  it('fails from an origin nobody allowed: the browser withholds the replies', async () => {
    const { page, console } = await openFirstRun(`http://127.0.0.1:${port}`, `http://localhost:${port}`);
    const unreachable = `Could not reach http://localhost:${port}.`;
    await expect.poll(() => page.getByText(unreachable).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByTestId('sign-in-button').click();
    await expect
      .poll(() => page.getByTestId('sign-in-error').textContent(), { timeout: 15_000 })
      .toBe(unreachable);
    expect(await page.getByTestId('space-name').count()).toBe(0);
    expect(console.length).toBeGreaterThan(0);
    for (const line of console) expect(line).toMatch(/CORS policy|Failed to load resource/);
    await page.context().close();
  });
});
