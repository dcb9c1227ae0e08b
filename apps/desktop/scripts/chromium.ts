import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium with fake media devices (E2E-RECIPE §3): no prompts, a fake microphone and screen. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

/**
 * `fakeDisplay: 'browser'` makes getDisplayMedia's fake capture a browser tab (it is a monitor otherwise):
 * a tab's audio may be shared, so share-audio paths can run (packages/client/src/screen/shareAudio.ts).
 */
export function launchChromium(
  options: { readonly fakeDisplay?: 'monitor' | 'browser' } = {},
): Promise<Browser> {
  const fake = '--use-fake-device-for-media-stream';
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS.map((arg) =>
      arg === fake && options.fakeDisplay === 'browser' ? `${fake}=display-media-type=browser` : arg,
    ),
  });
}
