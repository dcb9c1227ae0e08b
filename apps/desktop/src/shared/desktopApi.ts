import type { AppInfo } from './ipc';

/**
 * What the preload exposes to the renderer as `window.miscordDesktop`: a narrow, typed facade. The renderer
 * never sees `ipcRenderer`; each method maps to one IPC channel and validates what comes back.
 */
export interface MiscordDesktopApi {
  /** Always true: lets the renderer tell the desktop app from the web client. */
  readonly isDesktop: true;
  /** `process.platform` as seen by the preload (`linux`, `darwin`, `win32`). */
  readonly platform: string;
  /** Version, platform and the server URL the app was started with. */
  getAppInfo(): Promise<AppInfo>;
}

/** The global name under which the preload exposes the facade. */
export const DESKTOP_API_KEY = 'miscordDesktop';
