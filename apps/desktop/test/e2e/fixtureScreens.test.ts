import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium';

// Keyboard paths through the UI on the development fixture screens (Vite dev server on 127.0.0.1:0,
// real Chromium): everything reachable with Tab / Enter / arrows / Escape.

let server: ViteDevServer;
let browser: Browser;
let base: string;
const problems: string[] = [];

beforeAll(async () => {
  server = await createServer({
    configFile: join(import.meta.dirname, '../../vite.config.ts'),
    server: { host: '127.0.0.1', port: 0 },
    logLevel: 'error',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not report a TCP address');
  base = `http://127.0.0.1:${address.port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(fixture: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${fixture}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${fixture}: ${error.message}`));
  await page.goto(`${base}?fixture=${fixture}`);
  return page;
}

async function tabTo(page: Page, testId: string, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId))
      return;
  }
  throw new Error(`${testId} is not reachable with Tab`);
}

describe('keyboard paths on fixture screens', () => {
  it('sets a person’s volume and local mute from the tile’s … button, then gives focus back', async () => {
    const page = await open('voice');
    await page.getByTestId('voice-view').waitFor({ timeout: 60_000 });
    await tabTo(page, 'tile-menu-u-ada');
    await page.keyboard.press('Enter');
    const slider = page.getByTestId('participant-volume');
    await slider.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'participant-volume',
    );
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await slider.inputValue()).toBe('110');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByTestId('participant-local-mute').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('participant-menu').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'tile-menu-u-ada',
    );
    expect(await page.getByTestId('tile-u-ada').textContent()).toContain('muted for you');
    await page.close();
  });

  it('reaches mute, deafen and a channel with Tab and toggles them with Enter', async () => {
    const page = await open('main');
    await page.getByTestId('channel-row-general').waitFor({ timeout: 60_000 });
    await tabTo(page, 'channel-row-general');
    await page.keyboard.press('Enter');
    await page.getByTestId('voice-view').waitFor();
    await tabTo(page, 'mute-button');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('mute-button').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('mute-button').getAttribute('aria-label')).toBe('Unmute');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('deafen-button').getAttribute('aria-pressed')).toBe('true');
    // A full channel cannot be joined.
    expect(await page.getByTestId('channel-row-gaming').isDisabled()).toBe(true);
    await page.close();
  });

  it('captures a push-to-talk key in settings and closes with Escape', async () => {
    const page = await open('settings');
    const modal = page.getByTestId('settings-modal');
    await modal.waitFor({ timeout: 60_000 });
    await page.getByTestId('mode-push-to-talk').check();
    await page.getByTestId('ptt-record').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('ptt-key').textContent()).toBe('Press a key…');
    await page.keyboard.press('ControlRight');
    expect(await page.getByTestId('ptt-key').textContent()).toBe('Right Ctrl');
    await page.getByTestId('mode-voice-activity').check();
    await page.getByTestId('level-meter').waitFor();
    await page.getByTestId('echo-cancellation').focus();
    await page.keyboard.press('Space');
    expect(await page.getByTestId('echo-cancellation').isChecked()).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => modal.count()).toBe(0);
    await page.close();
  });

  it('shows an inline error for an empty display name on first run', async () => {
    const page = await open('first-run');
    await page.getByTestId('invite-code-input').waitFor({ timeout: 60_000 });
    await page.getByTestId('sign-in-button').click();
    await expect.poll(() => page.getByText('Enter a display name.').count()).toBe(1);
    expect(await page.getByTestId('display-name-input').getAttribute('aria-invalid')).toBe('true');
    await page.close();
  });

  it('logged no console errors', () => {
    expect(problems).toEqual([]);
  });
});
