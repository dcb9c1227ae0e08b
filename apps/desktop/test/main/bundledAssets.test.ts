import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, RENDERER_CSP, resolveBundledAsset } from '../../src/main/bundledAssets';

const root = resolve('/opt/miscord/dist/renderer');

describe('resolveBundledAsset', () => {
  it('maps app URLs to files under the renderer root', () => {
    expect(resolveBundledAsset('miscord://app/', root)).toBe(join(root, 'index.html'));
    expect(resolveBundledAsset('miscord://app/index.html?popout=screen', root)).toBe(
      join(root, 'index.html'),
    );
    expect(resolveBundledAsset('miscord://app/assets/index-abc.js', root)).toBe(
      join(root, 'assets/index-abc.js'),
    );
    expect(resolveBundledAsset('miscord://app/assets/a%20b.css', root)).toBe(join(root, 'assets/a b.css'));
  });

  it('keeps dot segments the URL parser already resolved inside the root', () => {
    expect(resolveBundledAsset('miscord://app/../../main/main.cjs', root)).toBe(join(root, 'main/main.cjs'));
    expect(resolveBundledAsset('miscord://app/%2e%2e/main/main.cjs', root)).toBe(join(root, 'main/main.cjs'));
  });

  it('refuses paths that leave the root, other hosts and other schemes', () => {
    for (const url of [
      'miscord://app/assets/%2e%2e%2f%2e%2e%2fpreload/preload.cjs',
      'miscord://app/assets/..%5c..%5csecret',
      'miscord://app/%00index.html',
      'miscord://app/%E0%A4%A',
      'miscord://other/index.html',
      'file:///opt/miscord/dist/renderer/index.html',
      'http://app/index.html',
    ]) {
      expect(resolveBundledAsset(url, root), url).toBeNull();
    }
  });
});

describe('contentTypeOf', () => {
  it('knows the types Vite emits and falls back to octet-stream', () => {
    expect(contentTypeOf('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/x/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('/x/a.bin')).toBe('application/octet-stream');
  });
});

describe('RENDERER_CSP', () => {
  it('allows only our own scripts and no plugins or framing', () => {
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).toContain("object-src 'none'");
    expect(RENDERER_CSP).toContain("frame-ancestors 'none'");
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
  });
});
