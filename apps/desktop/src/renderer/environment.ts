import type { MiscordDesktopApi } from '../shared/desktopApi';
import type { ClientIdentity } from './state/LiveSession';
import { defaultServerUrl } from './state/serverUrl';

declare global {
  interface Window {
    /** Present in the Electron app only (exposed by the sandboxed preload). */
    readonly miscordDesktop?: MiscordDesktopApi;
  }
  const __MISCORD_VERSION__: string;
}

/** Where the renderer runs: the desktop app (preload facade present) or a browser tab served by the gateway. */
export interface RendererEnvironment {
  readonly identity: ClientIdentity;
  /** The server to suggest on the first-run screen ('' when unknown: the user types it). */
  readonly defaultServerUrl: string;
}

export async function detectEnvironment(): Promise<RendererEnvironment> {
  const desktop = window.miscordDesktop;
  if (desktop) {
    try {
      const info = await desktop.getAppInfo();
      return {
        identity: { kind: 'desktop', version: info.version, platform: info.platform },
        defaultServerUrl: info.defaultServerUrl?.replace(/\/$/, '') ?? '',
      };
    } catch (error) {
      console.warn('⚠️ desktop app info unavailable', error);
      return {
        identity: { kind: 'desktop', version: __MISCORD_VERSION__, platform: desktop.platform },
        defaultServerUrl: '',
      };
    }
  }
  return {
    identity: { kind: 'web', version: __MISCORD_VERSION__, platform: 'web' },
    defaultServerUrl: defaultServerUrl(window.location) ?? '',
  };
}
