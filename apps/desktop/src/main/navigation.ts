import { isOwnUrl, originOf, type RendererSource } from './origins';

/**
 * Navigation and window-opening policy. The main window never leaves our own origin; new windows are
 * refused except the screen-share pop-out, a page of our own origin with `?popout=screen&user=<id>`.
 * Links to https pages are handed to the system browser instead of opening inside the app.
 */

const USER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isNavigationAllowed(targetUrl: string, source: RendererSource): boolean {
  return isOwnUrl(targetUrl, source);
}

export type WindowOpenDecision =
  | { readonly action: 'deny'; readonly reason: string }
  | { readonly action: 'openExternal'; readonly url: string }
  | { readonly action: 'allowScreenPopout'; readonly userId: string };

export function decideWindowOpen(targetUrl: string, source: RendererSource): WindowOpenDecision {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return { action: 'deny', reason: 'not a URL' };
  }
  if (isOwnUrl(targetUrl, source)) {
    const path = url.pathname;
    const userId = url.searchParams.get('user') ?? '';
    if (
      (path === '/' || path === '/index.html') &&
      url.searchParams.get('popout') === 'screen' &&
      USER_ID.test(userId) &&
      [...url.searchParams.keys()].every((key) => key === 'popout' || key === 'user')
    ) {
      return { action: 'allowScreenPopout', userId };
    }
    return { action: 'deny', reason: `own page ${path}${url.search} is not a pop-out` };
  }
  if (url.protocol === 'https:' && url.username === '' && url.password === '') {
    return { action: 'openExternal', url: url.href };
  }
  return { action: 'deny', reason: `refused to open ${originOf(targetUrl) ?? url.protocol}` };
}
