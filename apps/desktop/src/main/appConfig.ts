import { isGatewayBaseUrl } from '../shared/ipc';

/**
 * The gateway URL the app was started with (`npm start` sets `MISCORD_SERVER_URL`), normalised to an
 * origin URL with a trailing slash, or null when unset or not an http(s) origin.
 */
export function readDefaultServerUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const normalised = `${url.protocol}//${url.host}/`;
  return isGatewayBaseUrl(normalised) && url.username === '' && url.password === '' ? normalised : null;
}
