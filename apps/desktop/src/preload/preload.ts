/**
 * Sandboxed preload: exposes `window.miscordDesktop`, a narrow typed facade over the IPC contract in
 * src/shared. The renderer never gets `ipcRenderer`; what comes back from the main process is validated.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_KEY, type MiscordDesktopApi } from '../shared/desktopApi';
import { type AppInfo, IpcChannel, validateAppInfo } from '../shared/ipc';

const api: MiscordDesktopApi = {
  isDesktop: true,
  platform: process.platform,
  async getAppInfo(): Promise<AppInfo> {
    const reply: unknown = await ipcRenderer.invoke(IpcChannel.AppGetInfo);
    const checked = validateAppInfo(reply);
    if (!checked.ok) throw new Error(`❌ ${IpcChannel.AppGetInfo}: ${checked.error}`);
    return checked.value;
  },
};

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api);
