import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcChannel } from '../../src/shared/ipc';

// The Electron binary cannot run here, so main.ts is bundled exactly as build-main.mjs does and executed
// against a recording stand-in for the `electron` module (the edge), to check the wiring end to end:
// what is registered, in which order, with which options, and what each handler answers.

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
}

function fakeElectron(recorded: Recorded) {
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    readonly record: { options: Record<string, unknown>; url: string | null };
    readonly webContents = { on: () => {} };
    constructor(options: Record<string, unknown>) {
      this.record = { options, url: null };
      recorded.windows.push(this.record);
      BrowserWindow.all.push(this);
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
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'miscord-main-'));
  await mkdir(join(dir, 'main'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Miscord</title>');
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, '../../src/main/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  const nodeRequire = createRequire(import.meta.url);
  const electron = fakeElectron(recorded);
  const fakeRequire = (id: string) => (id === 'electron' ? electron : nodeRequire(id));
  const previous = { server: process.env.MISCORD_SERVER_URL, dev: process.env.MISCORD_DEV_SERVER_URL };
  process.env.MISCORD_SERVER_URL = 'http://127.0.0.1:8787';
  delete process.env.MISCORD_DEV_SERVER_URL;
  try {
    const module = { exports: {} };
    new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
      fakeRequire,
      module,
      module.exports,
      join(dir, 'main'),
      join(dir, 'main', 'main.cjs'),
    );
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
    const request = recorded.permissionRequest as unknown as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: object,
    ) => void;
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
    expect(open({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(recorded.external).toEqual(['https://github.com/']);
    expect(open({ url: 'http://evil.example/' })).toEqual({ action: 'deny' });
  });
});
