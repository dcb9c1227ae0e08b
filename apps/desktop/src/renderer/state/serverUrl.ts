/**
 * The gateway URL. Served by the gateway over http(s) (the web client), the default is the page's own
 * origin; in the desktop app (miscord:// or file://) it comes from the app (MISCORD_SERVER_URL) or the user.
 */
export function defaultServerUrl(location: {
  readonly protocol: string;
  readonly origin: string;
}): string | null {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : null;
}

/** Normalises what the user typed to an origin (`host:port` → `http://host:port`), or says what is wrong. */
export function parseServerUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, error: 'Enter the server address.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, error: 'That is not a valid address.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: 'The server address must start with http:// or https://.' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'The server address must not contain a user name or password.' };
  }
  return { ok: true, url: url.origin };
}
