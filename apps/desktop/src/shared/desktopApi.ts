import type { AppInfo } from './ipc';
import type { ChooseReply, ListSourcesReply, ScreenChoice } from './screenIpc';

/**
 * 🖥️ The screen-share picker of the desktop app (screenIpc.ts has the flow). The renderer lists the
 * sources, shows its own picker, hands the choice to main, then calls `getDisplayMedia` as a web page
 * would: main answers that call with the choice.
 */
export interface DesktopScreenApi {
  /** Screens and windows to offer, with thumbnails; whether "share audio" can work here. */
  listSources(): Promise<ListSourcesReply>;
  /** Keep this choice for the next getDisplayMedia call (a few seconds at most). */
  choose(choice: ScreenChoice): Promise<ChooseReply>;
  /** The picker closed without a choice. */
  cancel(): Promise<void>;
}

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
  readonly screen: DesktopScreenApi;
}

/** The global name under which the preload exposes the facade. */
export const DESKTOP_API_KEY = 'miscordDesktop';
