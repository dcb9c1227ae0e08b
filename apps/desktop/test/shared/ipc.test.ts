import { describe, expect, it } from 'vitest';
import {
  IpcChannel,
  ipcChannels,
  isGatewayBaseUrl,
  isIpcChannel,
  validateAppInfo,
} from '../../src/shared/ipc';

describe('IPC channels', () => {
  it('are all named domain:action and unique', () => {
    for (const channel of ipcChannels) expect(channel).toMatch(/^[a-z]+:[a-z][A-Za-z]+$/);
    expect(new Set(ipcChannels).size).toBe(ipcChannels.length);
    expect(isIpcChannel(IpcChannel.AppGetInfo)).toBe(true);
    expect(isIpcChannel('app:getinfo')).toBe(false);
    expect(isIpcChannel(undefined)).toBe(false);
  });
});

describe('validateAppInfo', () => {
  const good = { version: '0.1.0', platform: 'linux', defaultServerUrl: 'http://127.0.0.1:8787/' };

  it('accepts a well-formed reply', () => {
    expect(validateAppInfo(good)).toEqual({ ok: true, value: good });
    expect(validateAppInfo({ ...good, defaultServerUrl: null })).toEqual({
      ok: true,
      value: { ...good, defaultServerUrl: null },
    });
  });

  it('names what is wrong', () => {
    expect(validateAppInfo(null)).toEqual({ ok: false, error: 'app info: expected an object' });
    expect(validateAppInfo([])).toEqual({ ok: false, error: 'app info: expected an object' });
    expect(validateAppInfo({ ...good, extra: 1 })).toEqual({
      ok: false,
      error:
        'app info: expected keys defaultServerUrl, platform, version; got defaultServerUrl,extra,platform,version',
    });
    expect(validateAppInfo({ ...good, version: '' })).toMatchObject({ ok: false, error: /version/ });
    expect(validateAppInfo({ ...good, version: 'x'.repeat(65) })).toMatchObject({
      ok: false,
      error: /version/,
    });
    expect(validateAppInfo({ ...good, platform: 3 })).toMatchObject({ ok: false, error: /platform/ });
    expect(validateAppInfo({ ...good, defaultServerUrl: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: /defaultServerUrl/,
    });
  });
});

describe('isGatewayBaseUrl', () => {
  it('accepts only http(s) origins', () => {
    expect(isGatewayBaseUrl('http://127.0.0.1:8787/')).toBe(true);
    expect(isGatewayBaseUrl('https://voice.example.com')).toBe(true);
    expect(isGatewayBaseUrl('https://voice.example.com/path')).toBe(false);
    expect(isGatewayBaseUrl('https://voice.example.com/?q=1')).toBe(false);
    expect(isGatewayBaseUrl('https://u:p@voice.example.com/')).toBe(false);
    expect(isGatewayBaseUrl('ws://voice.example.com/')).toBe(false);
    expect(isGatewayBaseUrl(`https://${'a'.repeat(3000)}.com/`)).toBe(false);
  });
});
