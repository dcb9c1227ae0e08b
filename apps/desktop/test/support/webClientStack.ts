import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium';
import { type GatewayProcess, startGateway } from './gatewayProcess';
import { buildRendererForTest } from './rendererBuild';

export interface WebClientStack {
  readonly gateway: GatewayProcess;
  readonly browser: Browser;
  /** Close the browser, stop the gateway, remove the build. */
  close(): Promise<void>;
}

/** A fresh production build of the renderer served by the real gateway at `/`, and Chromium to open it. */
export async function startWebClientStack(
  gatewayEnv: Readonly<Record<string, string>> = {},
): Promise<WebClientStack> {
  const webRoot = await buildRendererForTest();
  const gateway = await startGateway({ webRoot, env: gatewayEnv });
  const browser = await launchChromium();
  return {
    gateway,
    browser,
    async close() {
      await browser.close();
      await gateway.stop();
      await rm(webRoot, { recursive: true, force: true });
    },
  };
}
