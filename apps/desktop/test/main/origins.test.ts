import { DESKTOP_APP_ORIGIN } from '@miscord/protocol';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isOwnUrl, originOf, resolveRendererSource } from '../../src/main/origins';

describe('originOf', () => {
  it('gives http(s) origins and the custom scheme origin', () => {
    expect(originOf('http://127.0.0.1:5173/index.html?x=1')).toBe('http://127.0.0.1:5173');
    expect(originOf('https://Example.com/a')).toBe('https://example.com');
    expect(originOf('miscord://app/index.html')).toBe(APP_ORIGIN);
    expect(originOf('miscord://APP/assets/x.js')).toBe(APP_ORIGIN);
  });

  it('is the origin the gateway answers CORS for', () => {
    expect(APP_ORIGIN).toBe(DESKTOP_APP_ORIGIN);
  });

  it('gives null for schemes without a trusted origin and for garbage', () => {
    for (const url of [
      'file:///etc/passwd',
      'data:text/html,hi',
      'about:blank',
      'javascript:alert(1)',
      'nope',
      '',
    ]) {
      expect(originOf(url)).toBeNull();
    }
  });
});

describe('resolveRendererSource', () => {
  it('serves the bundle by default', () => {
    expect(resolveRendererSource({ isPackaged: false })).toEqual({
      ok: true,
      source: { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN },
    });
    expect(resolveRendererSource({ devServerUrl: '', isPackaged: true }).ok).toBe(true);
  });

  it('accepts a loopback dev server in development only', () => {
    expect(resolveRendererSource({ devServerUrl: 'http://127.0.0.1:5173', isPackaged: false })).toEqual({
      ok: true,
      source: { kind: 'devServer', url: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173' },
    });
    expect(resolveRendererSource({ devServerUrl: 'http://127.0.0.1:5173', isPackaged: true })).toEqual({
      ok: false,
      error: 'a packaged app does not load a dev server',
    });
  });

  it('refuses remote, non-http or credentialed dev server URLs with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://evil.example:5173', /loopback/],
      ['https://localhost:5173', /http:/],
      ['http://user:pw@localhost:5173', /credentials/],
      ['::::', /not a URL/],
    ];
    for (const [devServerUrl, error] of cases) {
      const result = resolveRendererSource({ devServerUrl, isPackaged: false });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(error);
    }
  });
});

describe('isOwnUrl', () => {
  const bundle = { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN } as const;
  const dev = { kind: 'devServer', url: 'http://localhost:5173/', origin: 'http://localhost:5173' } as const;

  it('matches the exact origin, not prefixes or look-alikes', () => {
    expect(isOwnUrl('miscord://app/index.html', bundle)).toBe(true);
    expect(isOwnUrl('miscord://app.evil/index.html', bundle)).toBe(false);
    expect(isOwnUrl('miscord://other/index.html', bundle)).toBe(false);
    expect(isOwnUrl('http://localhost:5173/x', dev)).toBe(true);
    expect(isOwnUrl('http://localhost:5174/x', dev)).toBe(false);
    expect(isOwnUrl('http://localhost:5173.evil.com/', dev)).toBe(false);
    expect(isOwnUrl('file:///index.html', bundle)).toBe(false);
  });
});
