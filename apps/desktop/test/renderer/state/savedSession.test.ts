import { describe, expect, it } from 'vitest';
import {
  forgetSession,
  loadSession,
  SESSION_KEY,
  saveSession,
} from '../../../src/renderer/state/savedSession';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

const session = {
  serverUrl: 'http://127.0.0.1:8787',
  token: 'tok',
  user: { id: 'u1', displayName: 'Ada' },
  expiresAt: '2030-01-01T00:00:00.000Z',
};

describe('saved session', () => {
  it('round-trips through storage', () => {
    const storage = memoryStorage();
    saveSession(storage, session);
    expect(loadSession(storage, Date.parse('2029-01-01'))).toEqual(session);
    forgetSession(storage);
    expect(loadSession(storage)).toBeNull();
  });

  it('drops expired, malformed and tampered entries', () => {
    const storage = memoryStorage();
    saveSession(storage, session);
    expect(loadSession(storage, Date.parse('2031-01-01'))).toBeNull();
    expect(storage.values.has(SESSION_KEY)).toBe(false);

    for (const raw of [
      '{not json',
      JSON.stringify({ ...session, token: '' }),
      JSON.stringify({ ...session, admin: true }),
      '42',
    ]) {
      storage.setItem(SESSION_KEY, raw);
      expect(loadSession(storage), raw).toBeNull();
      expect(storage.values.has(SESSION_KEY)).toBe(false);
    }
  });
});
