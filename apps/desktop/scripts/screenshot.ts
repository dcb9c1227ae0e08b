/**
 * Screenshots of the renderer for review: starts the Vite dev server on 127.0.0.1 (port 0), opens the
 * fixture screens in Chromium with fake media devices, and writes PNGs to test-results/screenshots/.
 * Exits non-zero if a page logs a console error or throws.
 *
 *   npm run screenshots -w @miscord/desktop
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { launchChromium } from './chromium';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'test-results', 'screenshots');

interface Shot {
  readonly file: string;
  readonly fixture: string;
  readonly ready: string;
  readonly before?: (page: Page) => Promise<void>;
}

const shots: Shot[] = [
  { file: 'first-run.png', fixture: 'first-run', ready: '[data-testid="invite-code-input"]' },
  { file: 'main-layout.png', fixture: 'main', ready: '[data-testid="channel-row-general"]' },
  { file: 'voice-view.png', fixture: 'voice', ready: '[data-testid="voice-view"]' },
  {
    file: 'voice-tile-menu.png',
    fixture: 'voice',
    ready: '[data-testid="tile-u-linus"]',
    before: async (page) => {
      await page.click('[data-testid="tile-u-linus"]', { button: 'right', position: { x: 40, y: 40 } });
      await page.waitForSelector('[data-testid="participant-menu"]');
    },
  },
  { file: 'settings-modal.png', fixture: 'settings', ready: '[data-testid="settings-modal"]' },
  {
    // The desktop app's Go Live picker, fed by made-up sources (Electron cannot run here).
    file: 'go-live-picker.png',
    fixture: 'voice',
    ready: '[data-testid="screen-share-button"]',
    before: async (page) => {
      await page.click('[data-testid="screen-share-button"]');
      await page.waitForSelector('[data-testid="source-screen:1:0"] img');
    },
  },
  {
    file: 'live-tiles.png',
    fixture: 'live',
    ready: '[data-testid="stream-stop-watching-u-ada"]',
    before: async (page) => {
      await page.click('[data-testid="stream-stop-watching-u-ada"]');
      await page.waitForSelector('[data-testid="watch-stream-u-ada"]');
    },
  },
  {
    file: 'watch-view.png',
    fixture: 'live',
    ready: '[data-testid="stream-video-u-ada"][data-has-frames="true"]',
  },
  { file: 'reconnecting.png', fixture: 'reconnecting', ready: '[data-testid="connection-badge"]' },
];

const server = await createServer({
  configFile: join(root, 'vite.config.ts'),
  server: { host: '127.0.0.1', port: 0, strictPort: false },
  logLevel: 'warn',
});
await server.listen();
const address = server.httpServer?.address();
if (!address || typeof address === 'string') throw new Error('❌ vite did not report a TCP address');
const base = `http://127.0.0.1:${address.port}/`;

const browser = await launchChromium();
const problems: string[] = [];
try {
  await mkdir(outDir, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  for (const shot of shots) {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${shot.file}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${shot.file}: page error: ${error.message}`));
    await page.goto(`${base}?fixture=${shot.fixture}`);
    await page.waitForSelector(shot.ready, { timeout: 30_000 });
    await shot.before?.(page);
    await page.waitForTimeout(300); // let transitions settle
    const path = join(outDir, shot.file);
    await page.screenshot({ path });
    console.log(`📸 ${path}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`❌ ${problem}`);
  process.exit(1);
}
