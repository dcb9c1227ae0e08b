import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CapturerSource } from '../../src/main/screenSources';
import { IpcChannel } from '../../src/shared/ipc';
import { type ListSourcesReply, ScreenIpcChannel } from '../../src/shared/screenIpc';
import { capturerSource } from '../support/capturerSources';
import { bundleElectronEntry, runBundle } from '../support/electronBundle';

// The Electron binary cannot run here, so main.ts is bundled exactly as build-main.mjs does and executed
// against a recording stand-in for the `electron` module (the edge; test/support/electronBundle.ts), to
// check the wiring end to end: what is registered, in which order, with which options, and what each
// handler answers.

type Handler = (...args: never[]) => unknown;

interface Recorded {
  privileged: unknown[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  appEvents: Map<string, Handler>;
  windows: Array<{ options: Record<string, unknown>; url: string | null }>;
  ipc: Map<string, Handler>;
  permissionRequest: Handler | null;
  permissionCheck: Handler | null;
  external: string[];
  readyCalledAfterPrivileged: boolean;
  displayMedia: { handler: Handler; options: unknown } | null;
  capturerRequests: unknown[];
  /** What `desktopCapturer.getSources` returns. */
  capturerSources: CapturerSource[];
  /** Windows Electron made itself, such as a screen pop-out opened through an allowed window.open. */
  otherWindows: Array<{ getMediaSourceId(): string }>;
}

function fakeElectron(recorded: Recorded) {
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => [...BrowserWindow.all, ...recorded.otherWindows];
    readonly record: { options: Record<string, unknown>; url: string | null };
    readonly webContents = { on: () => {} };
    readonly #mediaSourceId: string;
    constructor(options: Record<string, unknown>) {
      this.record = { options, url: null };
      this.#mediaSourceId = `window:${100 + BrowserWindow.all.length}:0`;
      recorded.windows.push(this.record);
      BrowserWindow.all.push(this);
    }
    getMediaSourceId() {
      return this.#mediaSourceId;
    }
    once() {}
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      isPackaged: false,
      getVersion: () => '0.1.0',
      requestSingleInstanceLock: () => true,
      on: (event: string, handler: Handler) => recorded.appEvents.set(event, handler),
      whenReady: () => {
        recorded.readyCalledAfterPrivileged = recorded.privileged.length > 0;
        return Promise.resolve();
      },
      quit: () => {},
      exit: (code: number) => {
        throw new Error(`app.exit(${code})`);
      },
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        recorded.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => {
          recorded.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: Handler) => {
          recorded.permissionCheck = handler;
        },
        setDisplayMediaRequestHandler: (handler: Handler, options: unknown) => {
          recorded.displayMedia = { handler, options };
        },
      },
    },
    desktopCapturer: {
      getSources: async (options: unknown) => {
        recorded.capturerRequests.push(options);
        return recorded.capturerSources;
      },
    },
    ipcMain: { handle: (channel: string, handler: Handler) => recorded.ipc.set(channel, handler) },
    shell: { openExternal: async (url: string) => void recorded.external.push(url) },
  };
}

let dir: string;
const recorded: Recorded = {
  privileged: [],
  protocolHandlers: new Map(),
  appEvents: new Map(),
  windows: [],
  ipc: new Map(),
  permissionRequest: null,
  permissionCheck: null,
  external: [],
  readyCalledAfterPrivileged: false,
  displayMedia: null,
  capturerRequests: [],
  capturerSources: [
    capturerSource('window:42:0', 'Game'),
    capturerSource('screen:0:0', 'Entire Screen'),
    capturerSource('window:100:0', 'Miscord'),
    capturerSource('window:300:0', 'Miscord — screen share'),
  ],
  otherWindows: [],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'miscord-main-'));
  await mkdir(join(dir, 'main'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Miscord</title>');
  const code = await bundleElectronEntry('main/main.ts');
  const nodeRequire = createRequire(import.meta.url);
  const previous = { server: process.env.MISCORD_SERVER_URL, dev: process.env.MISCORD_DEV_SERVER_URL };
  process.env.MISCORD_SERVER_URL = 'http://127.0.0.1:8787';
  delete process.env.MISCORD_DEV_SERVER_URL;
  try {
    runBundle(code, {
      electron: fakeElectron(recorded),
      filename: join(dir, 'main', 'main.cjs'),
      requireOther: nodeRequire,
    });
  } finally {
    if (previous.server === undefined) delete process.env.MISCORD_SERVER_URL;
    else process.env.MISCORD_SERVER_URL = previous.server;
    if (previous.dev !== undefined) process.env.MISCORD_DEV_SERVER_URL = previous.dev;
  }
  await new Promise((resolve) => setTimeout(resolve, 0)); // let whenReady().then run
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The session's permission request handler, as main.ts installed it. */
function permissionRequestHandler() {
  return recorded.permissionRequest as unknown as (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: object,
  ) => void;
}

describe('main.ts wiring (against a recording electron stand-in)', () => {
  it('registers the privileged scheme before ready and installs the app handlers', () => {
    expect(recorded.privileged).toEqual([
      { scheme: 'miscord', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(recorded.readyCalledAfterPrivileged).toBe(true);
    expect([...recorded.appEvents.keys()].sort()).toEqual([
      'activate',
      'second-instance',
      'web-contents-created',
      'window-all-closed',
    ]);
  });

  it('opens one secure window on the bundled renderer', () => {
    expect(recorded.windows).toHaveLength(1);
    const [window] = recorded.windows;
    expect(window?.url).toBe('miscord://app/index.html');
    expect(window?.options.webPreferences).toMatchObject({
      preload: join(dir, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('serves dist/renderer with the CSP and refuses everything else', async () => {
    const handler = recorded.protocolHandlers.get('miscord');
    if (!handler) throw new Error('no protocol handler');
    const index = await handler(new Request('miscord://app/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>Miscord</title>');
    expect((await handler(new Request('miscord://app/missing.js'))).status).toBe(404);
    expect((await handler(new Request('miscord://app/assets/%2e%2e%2f%2e%2e%2fmain/x'))).status).toBe(404);
    expect((await handler(new Request('miscord://evil/index.html'))).status).toBe(404);
  });

  it('grants media to our page and refuses the rest', () => {
    const request = permissionRequestHandler();
    const answers: boolean[] = [];
    const own = { requestingUrl: 'miscord://app/index.html', isMainFrame: true };
    request({}, 'media', (granted) => answers.push(granted), { ...own, mediaTypes: ['audio'] });
    request({}, 'geolocation', (granted) => answers.push(granted), own);
    request({}, 'media', (granted) => answers.push(granted), {
      requestingUrl: 'https://evil.example/',
      isMainFrame: true,
    });
    expect(answers).toEqual([true, false, false]);
    const check = recorded.permissionCheck as unknown as (
      contents: unknown,
      permission: string,
      origin: string,
    ) => boolean;
    expect([check(null, 'media', 'miscord://app'), check(null, 'media', 'https://evil.example')]).toEqual([
      true,
      false,
    ]);
  });

  it('answers app:getInfo to our main frame only', () => {
    const handler = recorded.ipc.get(IpcChannel.AppGetInfo) as unknown as (event: object) => unknown;
    const frame = (url: string, parent: object | null = null) => ({ senderFrame: { url, parent } });
    expect(handler(frame('miscord://app/index.html'))).toEqual({
      version: '0.1.0',
      platform: process.platform,
      defaultServerUrl: 'http://127.0.0.1:8787/',
    });
    expect(() => handler(frame('https://evil.example/'))).toThrow(/refused/);
    expect(() => handler(frame('miscord://app/index.html', {}))).toThrow(/refused/);
  });

  it('guards every web contents: navigation, webviews and window.open', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler:
      | ((details: { url: string }) => { action: string; overrideBrowserWindowOptions?: object })
      | null = null;
    const contents = {
      on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) =>
        listeners.set(event, listener),
      setWindowOpenHandler: (handler: typeof openHandler) => {
        openHandler = handler;
      },
    };
    (recorded.appEvents.get('web-contents-created') as unknown as (event: object, contents: object) => void)(
      {},
      contents,
    );

    const prevented = (event: string, url: string) => {
      let value = false;
      listeners.get(event)?.({ preventDefault: () => (value = true) }, url);
      return value;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'miscord://app/index.html')).toBe(false);
    expect(prevented('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-attach-webview', 'miscord://app/')).toBe(true);

    const open = openHandler as unknown as (details: { url: string }) => {
      action: string;
      overrideBrowserWindowOptions?: { webPreferences?: object };
    };
    expect(open({ url: 'miscord://app/index.html?popout=screen&user=u1' })).toMatchObject({
      action: 'allow',
      overrideBrowserWindowOptions: {
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
      },
    });
    // The pop-out stays in the default session, so the permission and display-media handlers cover it.
    const popout = open({
      url: 'miscord://app/index.html?popout=screen&user=u1',
    }).overrideBrowserWindowOptions;
    expect(popout).not.toHaveProperty('webPreferences.partition');
    expect(popout).not.toHaveProperty('webPreferences.session');
    expect(open({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(recorded.external).toEqual(['https://github.com/']);
    expect(open({ url: 'http://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('screen picker wiring (against the same stand-in)', () => {
  const ownFrame = { url: 'miscord://app/index.html', parent: null };
  const popoutFrame = { url: 'miscord://app/index.html?popout=screen&user=u1', parent: null };
  const foreignFrame = { url: 'https://evil.example/', parent: null };

  /** `ipcRenderer.invoke` from a frame, as Electron delivers it: a refusal rejects. */
  async function invoke(channel: string, frame: object | null, ...args: unknown[]): Promise<unknown> {
    const handler = recorded.ipc.get(channel) as unknown as
      | ((event: object, ...args: unknown[]) => unknown)
      | undefined;
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frame }, ...args);
  }

  /** A getDisplayMedia call reaching the session's handler; resolves with what the callback was given. */
  function requestDisplayMedia(request: {
    frame: object | null;
    securityOrigin: string;
    audioRequested?: boolean;
  }): unknown {
    const handler = recorded.displayMedia?.handler as unknown as
      | ((request: object, callback: (streams: unknown) => void) => void)
      | undefined;
    if (!handler) throw new Error('no display media handler');
    const answers: unknown[] = [];
    handler({ videoRequested: true, audioRequested: false, userGesture: true, ...request }, (streams) =>
      answers.push(streams),
    );
    expect(answers).toHaveLength(1);
    return answers[0];
  }

  const fromOurPage = { frame: ownFrame, securityOrigin: 'miscord://app', audioRequested: true };
  let warnings: string[] = [];

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function recordWarnings(): void {
    warnings = [];
    vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
  }

  it('registers one handler per screen channel and a display-media handler without the system picker', () => {
    for (const channel of Object.values(ScreenIpcChannel)) expect(recorded.ipc.has(channel)).toBe(true);
    expect(recorded.displayMedia?.options).toEqual({ useSystemPicker: false });
  });

  it('lists shaped sources to our frame, leaving out the main window and a screen pop-out', async () => {
    recorded.otherWindows.push({ getMediaSourceId: () => 'window:300:0' });
    const reply = (await invoke(ScreenIpcChannel.ListSources, ownFrame)) as ListSourcesReply;
    expect(recorded.capturerRequests.at(-1)).toEqual({
      types: ['screen', 'window'],
      thumbnailSize: { width: 320, height: 180 },
      fetchWindowIcons: true,
    });
    expect(reply.sources.map((source) => [source.id, source.name])).toEqual([
      ['screen:0:0', 'Entire screen'],
      ['window:42:0', 'Game'],
    ]);
    expect(reply.audioAvailable).toBe(false);
    // The pop-out is one of ours too: it may call the picker.
    expect(await invoke(ScreenIpcChannel.ListSources, popoutFrame)).toEqual(reply);
  });

  it('answers the pop-out like the main window: its media permissions and its getDisplayMedia', async () => {
    const request = permissionRequestHandler();
    const granted: boolean[] = [];
    for (const permission of ['media', 'display-capture']) {
      request({}, permission, (answer) => granted.push(answer), {
        requestingUrl: popoutFrame.url,
        isMainFrame: true,
      });
    }
    expect(granted).toEqual([true, true]);
    await invoke(ScreenIpcChannel.ListSources, popoutFrame);
    await invoke(ScreenIpcChannel.Choose, popoutFrame, { sourceId: 'screen:0:0', audio: false });
    expect(requestDisplayMedia({ frame: popoutFrame, securityOrigin: 'miscord://app' })).toEqual({
      video: recorded.capturerSources[1],
    });
  });

  it('refuses every screen channel to foreign pages, sub-frames and destroyed frames', async () => {
    const requests = recorded.capturerRequests.length;
    for (const frame of [foreignFrame, { url: 'miscord://app/index.html', parent: ownFrame }, null]) {
      for (const channel of Object.values(ScreenIpcChannel)) {
        await expect(invoke(channel, frame, { sourceId: 'screen:0:0', audio: false })).rejects.toThrow(
          `${channel} refused`,
        );
      }
    }
    expect(recorded.capturerRequests).toHaveLength(requests);
  });

  it('refuses a malformed choice with a message naming the field', async () => {
    await invoke(ScreenIpcChannel.ListSources, ownFrame);
    expect(await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'screen:0:0', audio: 'yes' })).toEqual(
      {
        ok: false,
        error: expect.stringMatching(/^screen choice: \/audio /),
      },
    );
    expect(
      await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'file:///etc/passwd', audio: false }),
    ).toEqual({ ok: false, error: expect.stringMatching(/\/sourceId/) });
    expect(await invoke(ScreenIpcChannel.Choose, ownFrame)).toEqual({
      ok: false,
      error: expect.stringMatching(/^screen choice: \/ /),
    });
    expect(
      await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'window:100:0', audio: false }),
    ).toEqual({
      ok: false,
      error: 'screen choice: /sourceId "window:100:0" was not offered',
    });
    // Nothing was kept.
    recordWarnings();
    expect(requestDisplayMedia(fromOurPage)).toBeNull();
  });

  it('grants exactly the chosen source to our page, once, without audio (the call stays out)', async () => {
    await invoke(ScreenIpcChannel.ListSources, ownFrame);
    expect(await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'window:42:0', audio: true })).toEqual(
      {
        ok: true,
      },
    );
    const streams = requestDisplayMedia(fromOurPage) as { video: unknown };
    expect(streams).toEqual({ video: recorded.capturerSources[0] });
    expect(streams.video).toBe(recorded.capturerSources[0]);

    recordWarnings();
    expect(requestDisplayMedia(fromOurPage)).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/^⚠️ screen share refused: no source chosen/)]);
  });

  it('refuses a choice that expired, and one the picker cancelled', async () => {
    recordWarnings();
    vi.useFakeTimers({ toFake: ['Date'] });
    await invoke(ScreenIpcChannel.ListSources, ownFrame);
    await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'screen:0:0', audio: false });
    vi.setSystemTime(Date.now() + 6_000);
    expect(requestDisplayMedia(fromOurPage)).toBeNull();
    expect(warnings).toEqual([
      expect.stringMatching(/^⚠️ screen share refused: the choice of screen:0:0 expired/),
    ]);

    await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'screen:0:0', audio: false });
    expect(await invoke(ScreenIpcChannel.Cancel, ownFrame)).toBeUndefined();
    expect(requestDisplayMedia(fromOurPage)).toBeNull();
  });

  it('refuses requests from another origin or a sub-frame, and leaves our choice to our page', async () => {
    recordWarnings();
    await invoke(ScreenIpcChannel.ListSources, ownFrame);
    await invoke(ScreenIpcChannel.Choose, ownFrame, { sourceId: 'screen:0:0', audio: false });
    expect(requestDisplayMedia({ frame: foreignFrame, securityOrigin: 'https://evil.example' })).toBeNull();
    expect(
      requestDisplayMedia({
        frame: { url: 'miscord://app/', parent: ownFrame },
        securityOrigin: 'miscord://app',
      }),
    ).toBeNull();
    expect(requestDisplayMedia({ frame: null, securityOrigin: 'miscord://app' })).toBeNull();
    expect(warnings).toHaveLength(3);
    for (const warning of warnings) expect(warning).toMatch(/^⚠️ screen share refused: request from /);
    expect(requestDisplayMedia(fromOurPage)).toEqual({ video: recorded.capturerSources[1] });
  });
});
