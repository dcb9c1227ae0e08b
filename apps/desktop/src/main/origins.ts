/**
 * Where the renderer comes from and which origins count as "our own". The packaged app serves
 * `dist/renderer` over a privileged custom scheme (`miscord://app/`) rather than `file://`, so the page has
 * a real origin of its own; in development the renderer comes from the Vite dev server on loopback.
 */

export const APP_SCHEME = 'miscord';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export type RendererSource =
  | { readonly kind: 'bundle'; readonly url: string; readonly origin: string }
  | { readonly kind: 'devServer'; readonly url: string; readonly origin: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin of a URL as Chromium sees it: `scheme://host[:port]` for http(s) and for our standard custom
 * scheme (Node's URL gives `"null"` for custom schemes, Chromium does not once the scheme is registered
 * as standard). Anything else (file:, data:, blob:, about:, javascript:) has no trusted origin: null.
 */
export function originOf(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  if (url.protocol === `${APP_SCHEME}:` && url.host !== '')
    return `${APP_SCHEME}://${url.host.toLowerCase()}`;
  return null;
}

/** A dev server URL is accepted only on loopback over http; anything else is refused with a reason. */
export function parseDevServerUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `MISCORD_DEV_SERVER_URL is not a URL: ${JSON.stringify(raw)}` };
  }
  if (url.protocol !== 'http:') return { ok: false, error: 'MISCORD_DEV_SERVER_URL must use http:' };
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return { ok: false, error: `MISCORD_DEV_SERVER_URL must be on loopback, not ${url.hostname}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'MISCORD_DEV_SERVER_URL must not carry credentials' };
  }
  return { ok: true, url: url.href };
}

/**
 * The renderer to load: the Vite dev server when `MISCORD_DEV_SERVER_URL` is set and the app is not
 * packaged (a packaged app never loads remote code), otherwise the bundled renderer.
 */
export function resolveRendererSource(env: {
  readonly devServerUrl?: string | undefined;
  readonly isPackaged: boolean;
}): { ok: true; source: RendererSource } | { ok: false; error: string } {
  if (env.devServerUrl === undefined || env.devServerUrl === '') {
    return { ok: true, source: { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN } };
  }
  if (env.isPackaged) return { ok: false, error: 'a packaged app does not load a dev server' };
  const parsed = parseDevServerUrl(env.devServerUrl);
  if (!parsed.ok) return parsed;
  return { ok: true, source: { kind: 'devServer', url: parsed.url, origin: new URL(parsed.url).origin } };
}

/** Whether a URL belongs to the renderer's own origin. */
export function isOwnUrl(raw: string, source: RendererSource): boolean {
  return originOf(raw) === source.origin;
}
