import { User } from '@miscord/protocol';
import { Type } from 'typebox';
import { Value } from 'typebox/value';

/** What the app remembers between runs (localStorage): the server and the signed session on it. */
export const SavedSession = Type.Object(
  {
    serverUrl: Type.String({ minLength: 1, maxLength: 2048 }),
    token: Type.String({ minLength: 1, maxLength: 2048 }),
    user: User,
    expiresAt: Type.String(),
  },
  { additionalProperties: false },
);
export interface SavedSession {
  readonly serverUrl: string;
  readonly token: string;
  readonly user: { readonly id: string; readonly displayName: string };
  readonly expiresAt: string;
}

export const SESSION_KEY = 'miscord.session.v1';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The remembered session, or null when there is none, it is malformed or it has expired. */
export function loadSession(storage: KeyValueStorage, now: number = Date.now()): SavedSession | null {
  const raw = storage.getItem(SESSION_KEY);
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    storage.removeItem(SESSION_KEY);
    return null;
  }
  if (!Value.Check(SavedSession, value)) {
    storage.removeItem(SESSION_KEY);
    return null;
  }
  const expiresAt = Date.parse(value.expiresAt);
  if (Number.isFinite(expiresAt) && expiresAt <= now) {
    storage.removeItem(SESSION_KEY);
    return null;
  }
  return value;
}

export function saveSession(storage: KeyValueStorage, session: SavedSession): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function forgetSession(storage: KeyValueStorage): void {
  storage.removeItem(SESSION_KEY);
}

/** The last server URL typed, kept after sign-out so the form is pre-filled. */
export const LAST_SERVER_KEY = 'miscord.lastServerUrl';
