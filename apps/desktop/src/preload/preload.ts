/**
 * Sandboxed preload: exposes `window.miscordDesktop`, a narrow typed facade over the IPC contract in
 * src/shared. The renderer never gets `ipcRenderer`; what comes back from the main process is validated.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_KEY, type MiscordDesktopApi } from '../shared/desktopApi';
import { IpcChannel, type Validation, validateAppInfo } from '../shared/ipc';
import { ScreenIpcChannel, validateChooseReply, validateListSourcesReply } from '../shared/screenIpc';

/** Invoke a channel and hand back only a reply that passes its validator. */
async function invoke<T>(
  channel: string,
  validate: (reply: unknown) => Validation<T>,
  ...payload: unknown[]
): Promise<T> {
  const reply: unknown = await ipcRenderer.invoke(channel, ...payload);
  const checked = validate(reply);
  if (!checked.ok) throw new Error(`❌ ${channel}: ${checked.error}`);
  return checked.value;
}

const api: MiscordDesktopApi = {
  isDesktop: true,
  platform: process.platform,
  getAppInfo: () => invoke(IpcChannel.AppGetInfo, validateAppInfo),
  screen: {
    listSources: () => invoke(ScreenIpcChannel.ListSources, validateListSourcesReply),
    choose: (choice) => invoke(ScreenIpcChannel.Choose, validateChooseReply, choice),
    cancel: async () => {
      await ipcRenderer.invoke(ScreenIpcChannel.Cancel);
    },
  },
};

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api);
