import { describe, expect, it } from 'vitest';
import { decideWindowOpen, isNavigationAllowed } from '../../src/main/navigation';
import { APP_ENTRY_URL, APP_ORIGIN, type RendererSource } from '../../src/main/origins';

const bundle: RendererSource = { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN };

describe('isNavigationAllowed', () => {
  it('keeps the window on our own origin', () => {
    expect(isNavigationAllowed('miscord://app/index.html#settings', bundle)).toBe(true);
    expect(isNavigationAllowed('https://evil.example/', bundle)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', bundle)).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)', bundle)).toBe(false);
  });
});

describe('decideWindowOpen', () => {
  it('allows only the screen-share pop-out of our own origin', () => {
    expect(decideWindowOpen('miscord://app/index.html?popout=screen&user=u_1', bundle)).toEqual({
      action: 'allowScreenPopout',
      userId: 'u_1',
    });
    expect(decideWindowOpen('miscord://app/?popout=screen&user=abc', bundle)).toEqual({
      action: 'allowScreenPopout',
      userId: 'abc',
    });
  });

  it('denies other own pages and malformed pop-outs', () => {
    for (const url of [
      'miscord://app/index.html',
      'miscord://app/index.html?popout=voice&user=u1',
      'miscord://app/index.html?popout=screen',
      'miscord://app/index.html?popout=screen&user=%3Cscript%3E',
      'miscord://app/index.html?popout=screen&user=u1&next=https://evil.example',
      'miscord://app/other.html?popout=screen&user=u1',
    ]) {
      expect(decideWindowOpen(url, bundle).action).toBe('deny');
    }
  });

  it('hands https links to the system browser and denies everything else', () => {
    expect(decideWindowOpen('https://github.com/miscord', bundle)).toEqual({
      action: 'openExternal',
      url: 'https://github.com/miscord',
    });
    for (const url of [
      'http://example.com/',
      'https://user:pw@example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'not a url',
    ]) {
      expect(decideWindowOpen(url, bundle).action).toBe('deny');
    }
  });
});
