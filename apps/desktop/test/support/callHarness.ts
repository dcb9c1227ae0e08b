import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VoiceDebugInfo } from '@miscord/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type InboundSample, inboundAudio, installRtcProbe } from './rtcProbe';

/** Where the call tests put their PNGs (gitignored test-results/). */
export const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots');

/** The channels every call test runs with: one open channel, one for 2, one spare. */
export const CALL_CHANNELS = { lounge: 'lounge', duo: 'duo', spare: 'spare' } as const;

/** A MISCORD_CONFIG file with CALL_CHANNELS; returns its path. */
export async function writeCallConfig(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'miscord-call-config-'));
  const path = join(dir, 'channels.json');
  await writeFile(
    path,
    JSON.stringify({
      name: 'Call test server',
      spaces: [
        {
          id: 'space',
          name: 'Call Test',
          channels: [
            { id: CALL_CHANNELS.lounge, name: 'Lounge', kind: 'voice', userLimit: 0 },
            { id: CALL_CHANNELS.duo, name: 'Duo', kind: 'voice', userLimit: 2 },
            { id: CALL_CHANNELS.spare, name: 'Spare', kind: 'voice', userLimit: 0 },
          ],
        },
      ],
    }),
  );
  return path;
}

/** One person: a browser context (own storage, own fake microphone) with the web client signed in. */
export interface CallUser {
  readonly name: string;
  readonly userId: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and page errors seen so far. */
  readonly problems: string[];
}

/** Sign in through the first-run screen of the web client served by the gateway. */
export async function signIn(
  browser: Browser,
  serverUrl: string,
  name: string,
  viewport: { readonly width: number; readonly height: number } = { width: 1280, height: 800 },
): Promise<CallUser> {
  const context = await browser.newContext({ viewport });
  await installRtcProbe(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${name} console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${name} page error: ${error.message}`));
  await page.goto(`${serverUrl}/`);
  await page.getByTestId('display-name-input').fill(name);
  await page.getByTestId('sign-in-button').click();
  await page.getByTestId('space-name').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as MiscordWindow).miscord?.gateway?.userId, null, {
    timeout: 60_000,
  });
  const userId = await page.evaluate(() => (window as unknown as MiscordWindow).miscord.gateway.userId);
  return { name, userId, context, page, problems };
}

interface MiscordWindow {
  miscord: {
    voice: {
      getDebugInfo(): VoiceDebugInfo;
      diagnoseAudioIssues(): Promise<{
        ok: boolean;
        findings: Array<{ check: string; severity: string; userId?: string; message: string }>;
      }>;
      join(channelId: string): Promise<void>;
    };
    gateway: {
      userId: string;
      getDebugInfo(): GatewayDebugView;
    };
  };
}

export function voiceDebug(user: CallUser): Promise<VoiceDebugInfo> {
  return user.page.evaluate(() => (window as unknown as MiscordWindow).miscord.voice.getDebugInfo());
}

export interface GatewayDebugView {
  state: { status: string; resumed?: boolean };
  socketsOpened: number;
  attempts: number;
  sessionId: string | null;
}

export function gatewayDebug(user: CallUser): Promise<GatewayDebugView> {
  return user.page.evaluate(() => (window as unknown as MiscordWindow).miscord.gateway.getDebugInfo());
}

export type Diagnosis = Awaited<ReturnType<MiscordWindow['miscord']['voice']['diagnoseAudioIssues']>>;

export function diagnose(user: CallUser): Promise<Diagnosis> {
  return user.page.evaluate(() => (window as unknown as MiscordWindow).miscord.voice.diagnoseAudioIssues());
}

/** Join (or move to) a channel the way a person does: click its row in the sidebar. */
export async function clickChannel(user: CallUser, channelId: string): Promise<void> {
  await user.page.getByTestId(`channel-row-${channelId}`).click();
}

/** Resolve when `check` returns true (polled), else fail naming `what` and the last value seen. */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (check(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(last)}${
      lastError ? `; last error ${String(lastError)}` : ''
    }`,
  );
}

/** In voice in `channelId`, with a connected peer to each of `others` (and no one else). */
export function waitForCall(user: CallUser, channelId: string, others: readonly CallUser[]) {
  const want = others.map((o) => o.userId).sort();
  return waitUntil(
    `${user.name} connected to ${others.map((o) => o.name).join(', ') || 'nobody'} in ${channelId}`,
    () => voiceDebug(user),
    (info) =>
      info.state.status === 'connected' &&
      info.state.channelId === channelId &&
      info.peers.length === want.length &&
      info.peers.every((p) => p.status === 'connected' && p.connectionState === 'connected') &&
      JSON.stringify(info.peers.map((p) => p.userId).sort()) === JSON.stringify(want),
    60_000,
  );
}

/** Take two inbound samples `gapMs` apart and say, per remote user, how much bytes and energy grew. */
export async function inboundGrowth(
  user: CallUser,
  gapMs = 1_500,
): Promise<Record<string, { bytes: number; energy: number; last: InboundSample }>> {
  const before = await inboundAudio(user.page);
  await new Promise((resolve) => setTimeout(resolve, gapMs));
  const after = await inboundAudio(user.page);
  const out: Record<string, { bytes: number; energy: number; last: InboundSample }> = {};
  for (const [key, last] of Object.entries(after)) {
    const first = before[key];
    out[key] = {
      bytes: last.bytes - (first?.bytes ?? 0),
      energy: last.energy - (first?.energy ?? 0),
      last,
    };
  }
  return out;
}

/** Wait until `listener` hears every one of `speakers` (bytes and energy both growing). */
export function waitForAudioFrom(listener: CallUser, speakers: readonly CallUser[]) {
  return waitUntil(
    `${listener.name} hearing ${speakers.map((s) => s.name).join(', ')}`,
    () => inboundGrowth(listener, 1_000),
    (growth) =>
      speakers.every((s) => (growth[s.userId]?.bytes ?? 0) > 0 && (growth[s.userId]?.energy ?? 0) > 0),
    45_000,
    0,
  );
}

/** The user ids listed under a channel in someone's sidebar. */
export function sidebarMembers(user: CallUser, channelId: string): Promise<string[]> {
  return user.page
    .getByTestId(`channel-${channelId}`)
    .locator('[data-testid^="channel-member-"]')
    .evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('data-testid')?.replace('channel-member-', '') ?? ''),
    );
}

/** Same membership, sorted, for comparing with the expected ids. */
export async function sortedSidebar(user: CallUser, channelId: string): Promise<string> {
  return JSON.stringify((await sidebarMembers(user, channelId)).sort());
}

export const idsOf = (users: readonly CallUser[]): string =>
  JSON.stringify(users.map((u) => u.userId).sort());
