import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_API_KEY } from '../../src/shared/desktopApi';
import { IpcChannel } from '../../src/shared/ipc';
import { ScreenIpcChannel } from '../../src/shared/screenIpc';
import { pickerTile } from '../support/capturerSources';
import { bundleElectronEntry, runBundle } from '../support/electronBundle';

// preload.ts bundled as build-main.mjs bundles it and run against stand-ins for `contextBridge` and
// `ipcRenderer`: what the renderer gets as window.miscordDesktop, and what it gets back from main.
// Any `require` but `electron` throws, as it would in the sandbox.

const tile = pickerTile;

/** What main answers each channel with (an Error rejects), and what the preload sent. */
const replies = new Map<string, unknown>();
const invocations: unknown[][] = [];
const ipcRenderer = {
  invoke: async (channel: string, ...args: unknown[]) => {
    invocations.push([channel, ...args]);
    const reply = replies.get(channel);
    if (reply instanceof Error) throw reply;
    return reply;
  },
  on: () => ipcRenderer,
  send: () => {},
  sendSync: () => undefined,
};
const exposed: Array<{ key: string; api: unknown }> = [];

interface Facade {
  isDesktop: boolean;
  platform: string;
  getAppInfo(): Promise<unknown>;
  screen: {
    listSources(): Promise<unknown>;
    choose(choice: unknown): Promise<unknown>;
    cancel(): Promise<unknown>;
  };
}
let api: Facade;

/** Every value reachable from the exposed object (its own properties, depth first). */
function reachable(value: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value))
    return seen;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) reachable(descriptor.value, seen);
  }
  return seen;
}

beforeAll(async () => {
  const code = await bundleElectronEntry('preload/preload.ts');
  runBundle(code, {
    electron: {
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => exposed.push({ key, api: value }),
      },
      ipcRenderer,
    },
    filename: '/app/dist/preload/preload.cjs',
  });
  api = exposed[0]?.api as Facade;
});

describe('preload (bundled, against contextBridge / ipcRenderer stand-ins)', () => {
  it('exposes one object, with exactly the documented members', () => {
    expect(exposed.map((entry) => entry.key)).toEqual([DESKTOP_API_KEY]);
    expect(Object.keys(api).sort()).toEqual(['getAppInfo', 'isDesktop', 'platform', 'screen']);
    expect(Object.keys(api.screen).sort()).toEqual(['cancel', 'choose', 'listSources']);
    expect(api.isDesktop).toBe(true);
    expect(api.platform).toBe(process.platform);
    for (const method of [api.getAppInfo, api.screen.listSources, api.screen.choose, api.screen.cancel]) {
      expect(typeof method).toBe('function');
    }
  });

  it('never exposes ipcRenderer or any of its functions', () => {
    const values = reachable(api);
    expect(values.has(ipcRenderer)).toBe(false);
    for (const fn of Object.values(ipcRenderer)) expect(values.has(fn)).toBe(false);
  });

  it('maps each method to its channel and hands back replies that pass their validator', async () => {
    const info = { version: '0.1.0', platform: 'linux', defaultServerUrl: null };
    const sources = { sources: [tile], audioAvailable: false };
    replies.set(IpcChannel.AppGetInfo, info);
    replies.set(ScreenIpcChannel.ListSources, sources);
    replies.set(ScreenIpcChannel.Choose, { ok: false, error: 'screen choice: /audio must be boolean' });
    replies.set(ScreenIpcChannel.Cancel, 'anything main says');
    invocations.length = 0;

    expect(await api.getAppInfo()).toEqual(info);
    expect(await api.screen.listSources()).toEqual(sources);
    const choice = { sourceId: 'window:42:0', audio: true };
    expect(await api.screen.choose(choice)).toEqual({
      ok: false,
      error: 'screen choice: /audio must be boolean',
    });
    expect(await api.screen.cancel()).toBeUndefined();
    expect(invocations).toEqual([
      [IpcChannel.AppGetInfo],
      [ScreenIpcChannel.ListSources],
      [ScreenIpcChannel.Choose, choice],
      [ScreenIpcChannel.Cancel],
    ]);
  });

  it('rejects a reply from main that fails its validator, naming the channel and the field', async () => {
    replies.set(ScreenIpcChannel.ListSources, {
      sources: [{ ...tile, thumbnail: 'javascript:alert(1)' }],
      audioAvailable: true,
    });
    await expect(api.screen.listSources()).rejects.toThrow(
      /^❌ screen:listSources: screen sources: \/sources\/0\/thumbnail /,
    );
    replies.set(ScreenIpcChannel.Choose, { ok: 'yes' });
    await expect(api.screen.choose({ sourceId: 'screen:0:0', audio: false })).rejects.toThrow(
      /^❌ screen:choose: screen choose reply: /,
    );
    replies.set(IpcChannel.AppGetInfo, { version: '0.1.0' });
    await expect(api.getAppInfo()).rejects.toThrow(/^❌ app:getInfo: app info: expected keys/);
  });

  it('passes main’s refusal through as a rejection', async () => {
    replies.set(
      ScreenIpcChannel.ListSources,
      new Error('screen:listSources refused for https://evil.example/'),
    );
    await expect(api.screen.listSources()).rejects.toThrow(/refused/);
  });
});
