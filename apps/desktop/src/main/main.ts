/**
 * Electron wiring — the only main-process file that imports `electron`. Every decision (origins,
 * permissions, navigation, window opening, IPC senders, asset paths, the screen picker's sources and its
 * answer to getDisplayMedia) is made by the plain modules beside it, which are unit-tested without the
 * Electron binary.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  type DesktopCapturerSource,
  desktopCapturer,
  ipcMain,
  protocol,
  session,
  shell,
  type WebContents,
  type WebFrameMain,
} from 'electron';
import { type AppInfo, IpcChannel } from '../shared/ipc';
import { type ListSourcesReply, ScreenIpcChannel } from '../shared/screenIpc';
import { readDefaultServerUrl } from './appConfig';
import { contentTypeOf, RENDERER_CSP, resolveBundledAsset } from './bundledAssets';
import { type FrameFacts, isTrustedIpcSender } from './ipcGuard';
import { decideWindowOpen, isNavigationAllowed } from './navigation';
import { APP_SCHEME, type RendererSource, resolveRendererSource } from './origins';
import { decidePermissionCheck, decidePermissionRequest } from './permissions';
import { ScreenPicker } from './ScreenPicker';
import { ELECTRON_LOOPBACK_EXCLUDES_OWN_AUDIO, SOURCE_REQUEST } from './screenSources';

const rendererRoot = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, '..', 'preload', 'preload.cjs');

const defaultServerUrl = readDefaultServerUrl(process.env.MISCORD_SERVER_URL);
const resolved = resolveRendererSource({
  devServerUrl: process.env.MISCORD_DEV_SERVER_URL,
  isPackaged: app.isPackaged,
});

if (!resolved.ok) {
  console.error(`❌ ${resolved.error}`);
  app.exit(1);
} else {
  run(resolved.source);
}

function run(source: RendererSource): void {
  // The bundled renderer is served over a standard, secure scheme so it has a real origin (getUserMedia
  // needs a secure context; file:// has an opaque one). Must run before `ready`.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, source));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(source);
  });
  app.whenReady().then(
    () => {
      serveBundledRenderer();
      installPermissionHandlers(source);
      const picker = new ScreenPicker<DesktopCapturerSource>({
        source,
        platform: process.platform,
        loopbackExcludesOwnAudio: ELECTRON_LOOPBACK_EXCLUDES_OWN_AUDIO,
      });
      installDisplayMediaHandler(picker);
      installIpcHandlers(source, picker);
      createMainWindow(source);
    },
    (error: unknown) => {
      console.error('❌ app failed to start', error);
      app.exit(1);
    },
  );
}

function serveBundledRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = resolveBundledAsset(request.url, rendererRoot);
    if (path === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': contentTypeOf(path),
          'content-security-policy': RENDERER_CSP,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function installPermissionHandlers(source: RendererSource): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const decision = decidePermissionRequest(
      { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame, mediaTypes },
      source,
    );
    if (!decision.grant) console.warn(`⚠️ permission refused: ${decision.reason}`);
    callback(decision.grant);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    decidePermissionCheck(permission, requestingOrigin, source),
  );
}

/** What the guards need to know about a frame; a destroyed frame has no URL. */
function frameFacts(frame: WebFrameMain | null | undefined): FrameFacts {
  return { url: frame?.url, isMainFrame: frame != null && frame.parent === null };
}

/** `ipcMain.handle` for our own main frames only: any other sender's invoke rejects with "refused". */
function handleTrusted(
  channel: IpcChannel | ScreenIpcChannel,
  source: RendererSource,
  handler: (...args: unknown[]) => unknown,
): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    const sender = frameFacts(event.senderFrame);
    if (!isTrustedIpcSender(channel, sender, source)) {
      throw new Error(`${channel} refused for ${sender.url ?? 'a destroyed frame'}`);
    }
    return handler(...args);
  });
}

function installIpcHandlers(source: RendererSource, picker: ScreenPicker<DesktopCapturerSource>): void {
  handleTrusted(
    IpcChannel.AppGetInfo,
    source,
    (): AppInfo => ({ version: app.getVersion(), platform: process.platform, defaultServerUrl }),
  );
  handleTrusted(ScreenIpcChannel.ListSources, source, async (): Promise<ListSourcesReply> => {
    const sources = await desktopCapturer.getSources(SOURCE_REQUEST);
    // Every window of this process is Miscord's (the main window, screen pop-outs): never offered.
    const own = BrowserWindow.getAllWindows().map((window) => window.getMediaSourceId());
    return picker.offer(sources, own);
  });
  handleTrusted(ScreenIpcChannel.Choose, source, (choice) => picker.choose(choice));
  handleTrusted(ScreenIpcChannel.Cancel, source, () => picker.cancel());
}

/**
 * getDisplayMedia is answered from the picker's kept choice. `useSystemPicker: false`: the macOS 15 system
 * picker (experimental) would skip this handler, and with it the origin check and the one-shot choice.
 */
function installDisplayMediaHandler(picker: ScreenPicker<DesktopCapturerSource>): void {
  session.defaultSession.setDisplayMediaRequestHandler(
    (request, callback) => {
      const answer = picker.answer({
        frame: frameFacts(request.frame),
        securityOrigin: request.securityOrigin,
        audioRequested: request.audioRequested,
      });
      if (!answer.grant) {
        console.warn(`⚠️ screen share refused: ${answer.reason}`);
        callback(null);
        return;
      }
      callback(
        answer.audio === undefined ? { video: answer.video } : { video: answer.video, audio: answer.audio },
      );
    },
    { useSystemPicker: false },
  );
}

function guardWebContents(contents: WebContents, source: RendererSource): void {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url, source)) {
      event.preventDefault();
      console.warn(`⚠️ navigation to ${url} refused`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url, source)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, source);
    switch (decision.action) {
      case 'allowScreenPopout':
        return {
          action: 'allow',
          overrideBrowserWindowOptions: {
            title: 'Miscord — screen share',
            width: 960,
            height: 600,
            backgroundColor: '#1e1f22',
            autoHideMenuBar: true,
            webPreferences: {
              preload: preloadPath,
              contextIsolation: true,
              sandbox: true,
              nodeIntegration: false,
              nodeIntegrationInWorker: false,
              nodeIntegrationInSubFrames: false,
              webSecurity: true,
              allowRunningInsecureContent: false,
              webviewTag: false,
            },
          },
        };
      case 'openExternal':
        void shell.openExternal(decision.url);
        return { action: 'deny' };
      case 'deny':
        console.warn(`⚠️ window.open refused: ${decision.reason}`);
        return { action: 'deny' };
    }
  });
}

function createMainWindow(source: RendererSource): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Miscord',
    width: 1280,
    height: 800,
    minWidth: 940,
    minHeight: 560,
    show: false,
    backgroundColor: '#313338',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    console.error(`❌ renderer failed to load ${url}: ${description} (${code})`);
  });
  void window.loadURL(source.url);
  return window;
}
