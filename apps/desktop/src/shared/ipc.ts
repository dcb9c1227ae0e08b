/**
 * The IPC contract between the Electron main process and the sandboxed preload. Channel names are
 * `domain:action`; every payload that crosses the boundary has a type and a validator here, and nowhere else.
 */

export const IpcChannel = {
  /** renderer → main (invoke): the app version, platform and the server URL the app was started with. */
  AppGetInfo: 'app:getInfo',
} as const;

export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];

export const ipcChannels: readonly IpcChannel[] = Object.values(IpcChannel);

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (ipcChannels as readonly string[]).includes(value);
}

export interface AppInfo {
  /** `app.getVersion()`: the version in apps/desktop/package.json. */
  readonly version: string;
  /** `process.platform` of the main process. */
  readonly platform: string;
  /** The gateway URL the app was started with (`MISCORD_SERVER_URL`), or null to ask the user. */
  readonly defaultServerUrl: string | null;
}

/** A validation result that names what was wrong, so a bad payload is reported and never trusted. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

const VERSION_MAX = 64;
const PLATFORM_MAX = 32;
const URL_MAX = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** An http(s) URL with no credentials, path, query or fragment: what a gateway base URL looks like. */
export function isGatewayBaseUrl(value: string): boolean {
  if (value.length > URL_MAX) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === ''
  );
}

export function validateAppInfo(value: unknown): Validation<AppInfo> {
  if (!isRecord(value)) return { ok: false, error: 'app info: expected an object' };
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'defaultServerUrl,platform,version') {
    return {
      ok: false,
      error: `app info: expected keys defaultServerUrl, platform, version; got ${keys || 'none'}`,
    };
  }
  const { version, platform, defaultServerUrl } = value;
  if (!boundedString(version, VERSION_MAX)) {
    return { ok: false, error: `app info: version must be a string of 1–${VERSION_MAX} characters` };
  }
  if (!boundedString(platform, PLATFORM_MAX)) {
    return { ok: false, error: `app info: platform must be a string of 1–${PLATFORM_MAX} characters` };
  }
  if (
    defaultServerUrl !== null &&
    !(typeof defaultServerUrl === 'string' && isGatewayBaseUrl(defaultServerUrl))
  ) {
    return { ok: false, error: 'app info: defaultServerUrl must be null or an http(s) origin URL' };
  }
  return { ok: true, value: { version, platform, defaultServerUrl } };
}
