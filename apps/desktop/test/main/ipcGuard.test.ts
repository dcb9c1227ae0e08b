import { describe, expect, it } from 'vitest';
import { readDefaultServerUrl } from '../../src/main/appConfig';
import { isOwnMainFrame, isTrustedIpcSender } from '../../src/main/ipcGuard';
import { APP_ENTRY_URL, APP_ORIGIN, type RendererSource } from '../../src/main/origins';
import { IpcChannel } from '../../src/shared/ipc';
import { screenIpcChannels } from '../../src/shared/screenIpc';

const bundle: RendererSource = { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN };

describe('isTrustedIpcSender', () => {
  it('answers our main frame on known channels only', () => {
    const main = { url: 'miscord://app/index.html', isMainFrame: true };
    expect(isTrustedIpcSender(IpcChannel.AppGetInfo, main, bundle)).toBe(true);
    expect(isTrustedIpcSender('app:deleteEverything', main, bundle)).toBe(false);
    expect(isTrustedIpcSender(42, main, bundle)).toBe(false);
  });

  it('knows the screen picker channels', () => {
    const main = { url: 'miscord://app/index.html', isMainFrame: true };
    for (const channel of screenIpcChannels) expect(isTrustedIpcSender(channel, main, bundle)).toBe(true);
    expect(isTrustedIpcSender('screen:grantEverything', main, bundle)).toBe(false);
    const popout = { url: 'miscord://app/index.html?popout=screen&user=u1', isMainFrame: true };
    expect(isTrustedIpcSender(screenIpcChannels[0], popout, bundle)).toBe(true);
    expect(
      isTrustedIpcSender(screenIpcChannels[0], { url: 'https://evil.example/', isMainFrame: true }, bundle),
    ).toBe(false);
  });

  it('refuses sub-frames, foreign pages and destroyed frames', () => {
    expect(
      isTrustedIpcSender(IpcChannel.AppGetInfo, { url: 'miscord://app/', isMainFrame: false }, bundle),
    ).toBe(false);
    expect(
      isTrustedIpcSender(IpcChannel.AppGetInfo, { url: 'https://evil.example/', isMainFrame: true }, bundle),
    ).toBe(false);
    expect(isTrustedIpcSender(IpcChannel.AppGetInfo, { url: undefined, isMainFrame: true }, bundle)).toBe(
      false,
    );
  });
});

describe('isOwnMainFrame', () => {
  it('is true for main frames of our origin only', () => {
    expect(isOwnMainFrame({ url: 'miscord://app/', isMainFrame: true }, bundle)).toBe(true);
    expect(isOwnMainFrame({ url: 'miscord://app/', isMainFrame: false }, bundle)).toBe(false);
    expect(isOwnMainFrame({ url: undefined, isMainFrame: true }, bundle)).toBe(false);
    expect(isOwnMainFrame({ url: 'http://127.0.0.1:5173/', isMainFrame: true }, bundle)).toBe(false);
  });
});

describe('readDefaultServerUrl', () => {
  it('normalises an http(s) URL to its origin', () => {
    expect(readDefaultServerUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/');
    expect(readDefaultServerUrl(' https://voice.example.com/some/path ')).toBe('https://voice.example.com/');
  });

  it('gives null when unset or unusable', () => {
    for (const raw of [undefined, '', '   ', 'ftp://x', 'not a url', 'http://u:p@host/']) {
      expect(readDefaultServerUrl(raw)).toBeNull();
    }
  });
});
