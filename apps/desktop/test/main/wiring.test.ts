import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = join(import.meta.dirname, '../../src');
const mainSource = readFileSync(join(srcDir, 'main/main.ts'), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The text of each `{ … }` object literal that directly follows `marker`, matched by brace depth. */
function objectLiteralsAfter(source: string, marker: string): string[] {
  const found: string[] = [];
  let from = source.indexOf(marker);
  while (from !== -1) {
    const start = source.indexOf('{', from + marker.length);
    let depth = 0;
    let end = start;
    for (; end < source.length; end += 1) {
      if (source[end] === '{') depth += 1;
      if (source[end] === '}') depth -= 1;
      if (depth === 0) break;
    }
    found.push(source.slice(start, end + 1));
    from = source.indexOf(marker, end);
  }
  return found;
}

const requiredPreferences = [
  'contextIsolation: true',
  'sandbox: true',
  'nodeIntegration: false',
  'nodeIntegrationInWorker: false',
  'nodeIntegrationInSubFrames: false',
  'webSecurity: true',
  'allowRunningInsecureContent: false',
  'webviewTag: false',
];

describe('Electron wiring', () => {
  it('only main.ts and preload.ts import electron at runtime', () => {
    const importers = filesUnder(srcDir).filter((file) =>
      /^import\s+(?!type\b)[^;]*from\s+'electron'/m.test(readFileSync(file, 'utf8')),
    );
    expect(importers.map((file) => file.slice(srcDir.length + 1)).sort()).toEqual([
      'main/main.ts',
      'preload/preload.ts',
    ]);
  });

  it('writes every window’s options literally with the secure webPreferences', () => {
    const windows = [
      ...objectLiteralsAfter(mainSource, 'new BrowserWindow('),
      ...objectLiteralsAfter(mainSource, 'overrideBrowserWindowOptions:'),
    ];
    expect(windows).toHaveLength(2);
    for (const options of windows) {
      expect(options).not.toContain('...');
      const [webPreferences] = objectLiteralsAfter(options, 'webPreferences:');
      expect(webPreferences).toBeDefined();
      for (const preference of requiredPreferences) expect(webPreferences).toContain(preference);
    }
  });

  it('installs permission, navigation and window-open guards and the single-instance lock', () => {
    for (const call of [
      'setPermissionRequestHandler(',
      'setPermissionCheckHandler(',
      'setWindowOpenHandler(',
      "'will-navigate'",
      "'will-attach-webview'",
      'requestSingleInstanceLock()',
    ]) {
      expect(mainSource).toContain(call);
    }
  });

  it('never exposes ipcRenderer itself from the preload', () => {
    const preload = readFileSync(join(srcDir, 'preload/preload.ts'), 'utf8');
    expect(preload).toContain('contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api)');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(preload).not.toMatch(/ipcRenderer\.(on|send|sendSync)\(/);
  });
});
