import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { VoiceSession } from '@miscord/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../support/gatewayProcess';
import { startProtocolBot } from '../support/protocolBot';
import { startWebClientStack, type WebClientStack } from '../support/webClientStack';

// The built web client served by the real gateway at `/`, in real Chromium, with other people on the
// gateway played by raw-protocol bots in a second browser context.

const screenshots = join(import.meta.dirname, '../../test-results/screenshots');
let stack: WebClientStack | undefined;
let gateway: GatewayProcess;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** The devtools globals the web client installs (the real VoiceSession). */
interface VoiceWindow {
  miscord: { voice: VoiceSession };
}

beforeAll(async () => {
  stack = await startWebClientStack();
  ({ gateway, browser } = stack);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await stack?.close();
});

describe('web client against a real gateway', () => {
  it('signs in with a display name, validating it inline', async () => {
    await page.goto(`${gateway.url}/`);
    // An input volume saved by an earlier version (renderer-only key) moves into the voice settings.
    await page.evaluate(() => localStorage.setItem('miscord.inputVolume', '150'));
    const name = page.getByTestId('display-name-input');
    await expect.poll(() => page.getByTestId('server-url-input').inputValue()).toBe(gateway.url);
    await expect.poll(() => page.getByText('You are joining').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('invite-code-input').count()).toBe(0); // this server needs no invite

    await name.fill('x'.repeat(33));
    await page.getByTestId('sign-in-button').click();
    await expect.poll(() => page.getByText('Display name must be at most 32 characters.').count()).toBe(1);
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    await name.fill('Margaret');
    await page.getByTestId('sign-in-button').click();
    await page.getByTestId('space-name').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => localStorage.getItem('miscord.session.v1'))).toContain(
      '"displayName":"Margaret"',
    );
    expect(
      await page.evaluate(() => ({
        inputVolume: (window as unknown as VoiceWindow).miscord.voice.settings.inputVolume,
        legacy: localStorage.getItem('miscord.inputVolume'),
      })),
    ).toEqual({ inputVolume: 150, legacy: null });
  });

  it('shows the space, its voice channels and the connection badge with ping', async () => {
    const rows = page.locator('[data-testid^="channel-row-"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const badge = page.getByTestId('connection-badge');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 15_000 }).toBe('online');
    expect(await page.getByTestId('self-name').textContent()).toBe('Margaret');
    const devtools = await page.evaluate(() => {
      const globals = (
        window as unknown as { miscord?: { gateway?: { getDebugInfo(): { state: { status: string } } } } }
      ).miscord;
      return {
        hasVoiceKey: globals !== undefined && 'voice' in globals,
        status: globals?.gateway?.getDebugInfo().state.status,
      };
    });
    expect(devtools).toEqual({ hasVoiceKey: true, status: 'ready' });
  });

  it('lists people under their channel live, with mute state and n/limit, as they come, move and go', async () => {
    const channelIds = await page
      .locator('[data-testid^="channel-row-"]')
      .evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-testid')?.replace('channel-row-', '') ?? ''),
      );
    const limited = await page
      .locator('[data-testid^="channel-"]:has([data-testid="channel-occupancy"])')
      .first();
    const limitedId = (await limited.getAttribute('data-channel-id')) ?? '';
    const openId = channelIds.find((id) => id !== limitedId) ?? '';
    expect(limitedId).not.toBe('');
    expect(openId).not.toBe('');

    const botPage = await (await browser.newContext()).newPage();
    const bob = await startProtocolBot(botPage, gateway.url, 'Bob');
    await bob.setVoice(openId, { selfMute: true });
    const bobRow = page.getByTestId(`channel-${openId}`).getByTestId(`channel-member-${bob.userId}`);
    await bobRow.waitFor({ timeout: 15_000 });
    expect(await bobRow.getAttribute('data-muted')).toBe('true');
    expect(await bobRow.textContent()).toContain('Bob');

    const occupancy = page.getByTestId(`channel-${limitedId}`).getByTestId('channel-occupancy');
    const before = (await occupancy.textContent()) ?? '';
    expect(before).toMatch(/^0\/\d+$/);
    await bob.setVoice(limitedId, { selfDeaf: true });
    await expect.poll(() => occupancy.textContent(), { timeout: 15_000 }).toBe(before.replace(/^0/, '1'));
    const moved = page.getByTestId(`channel-${limitedId}`).getByTestId(`channel-member-${bob.userId}`);
    expect(await moved.getAttribute('data-deafened')).toBe('true');
    expect(
      await page.getByTestId(`channel-${openId}`).getByTestId(`channel-member-${bob.userId}`).count(),
    ).toBe(0);
    await page.screenshot({ path: join(screenshots, 'live-gateway-main.png') });

    await bob.disconnect();
    await expect.poll(() => moved.count(), { timeout: 30_000 }).toBe(0);
    await botPage.context().close();
  });

  it('joins a voice channel: my tile, the badge and mute/deafen follow the voice session', async () => {
    const general = page.locator('[data-testid^="channel-row-"]').first();
    const channelId = ((await general.getAttribute('data-testid')) ?? '').replace('channel-row-', '');
    await general.click();
    await page.getByTestId('voice-view').waitFor({ timeout: 30_000 });
    const userId = await page.evaluate(
      () => (window as unknown as { miscord: { gateway: { userId: string } } }).miscord.gateway.userId,
    );
    await page.getByTestId(`tile-${userId}`).waitFor();
    const badge = page.getByTestId('connection-badge');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('voiceConnected');

    await page.getByTestId('mute-button').click();
    expect(await page.getByTestId('mute-button').getAttribute('aria-pressed')).toBe('true');
    const me = page.getByTestId(`channel-${channelId}`).getByTestId(`channel-member-${userId}`);
    await expect.poll(() => me.getAttribute('data-muted'), { timeout: 15_000 }).toBe('true');
    await page.getByTestId('deafen-button').click();
    await expect.poll(() => me.getAttribute('data-deafened'), { timeout: 15_000 }).toBe('true');
    await page.screenshot({ path: join(screenshots, 'live-gateway-voice.png') });

    await page.getByTestId('deafen-button').click();
    await page.getByTestId('mute-button').click();
    await page.getByTestId('disconnect-button').click();
    await expect.poll(() => page.getByTestId('voice-view').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => me.count(), { timeout: 15_000 }).toBe(0);
  });

  it('opens the settings modal from the keyboard and closes it with Escape', async () => {
    await page.getByTestId('settings-button').focus();
    await page.keyboard.press('Enter');
    const modal = page.getByTestId('settings-modal');
    await modal.waitFor();
    expect(await modal.evaluate((dialog) => (dialog as HTMLDialogElement).open)).toBe(true);
    // Not in voice: the sensitivity meter measures the (fake) microphone itself.
    const meter = page.locator('[data-testid="level-meter"] meter');
    await expect
      .poll(() => meter.evaluate((element) => (element as HTMLMeterElement).value), { timeout: 15_000 })
      .toBeGreaterThan(-100);
    await page.screenshot({ path: join(screenshots, 'live-gateway-settings.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => modal.count()).toBe(0);
  });

  it('in voice, the input volume slider sets the gain in front of what peers hear, live', async () => {
    await page.locator('[data-testid^="channel-row-"]').first().click();
    const badge = page.getByTestId('connection-badge');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('voiceConnected');
    const microphone = () =>
      page.evaluate(() => {
        const { inputVolume, inputGain } = (window as unknown as VoiceWindow).miscord.voice.getDebugInfo()
          .microphone;
        return { inputVolume, inputGain };
      });
    expect(await microphone()).toEqual({ inputVolume: 150, inputGain: 1.5 });

    await page.getByTestId('settings-button').click();
    const slider = page.getByTestId('input-volume');
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(microphone).toEqual({ inputVolume: 200, inputGain: 2 });
    await page.keyboard.press('Home');
    await expect.poll(microphone).toEqual({ inputVolume: 0, inputGain: 0 });
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight'); // step 5 %
    await expect.poll(microphone).toEqual({ inputVolume: 100, inputGain: 1 });
    expect(await slider.getAttribute('aria-valuetext')).toBe('100 percent');
    expect(await page.evaluate(() => localStorage.getItem('miscord:voice-settings.v1'))).toContain(
      '"inputVolume":100',
    );

    await page.keyboard.press('Escape');
    await page.getByTestId('disconnect-button').click();
    await expect.poll(() => page.getByTestId('voice-view').count(), { timeout: 15_000 }).toBe(0);
    expect((await microphone()).inputGain).toBeNull();
  });

  it('shows the gateway round trip in the badge after the first heartbeat', async () => {
    // The first heartbeat waits a random fraction of the interval (15 s by default).
    await page.getByTestId('ping').waitFor({ timeout: 40_000 });
    expect(await page.getByTestId('ping').textContent()).toMatch(/^\d+ ms$/);
  });

  it('signs out from settings back to the first-run screen, closing the gateway session', async () => {
    await page.getByTestId('settings-button').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('first-run').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('server-url-input').inputValue()).toBe(gateway.url);
    expect(await page.evaluate(() => localStorage.getItem('miscord.session.v1'))).toBeNull();
    const gatewayAfter = await page.evaluate(
      () => (window as unknown as { miscord?: { gateway: unknown } }).miscord?.gateway ?? null,
    );
    expect(gatewayAfter).toBeNull();
  });

  it('logged no console errors', () => {
    expect(problems).toEqual([]);
  });
});
