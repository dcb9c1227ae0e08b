import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { secretFileName } from '../config';

/**
 * The token-signing secret when MISCORD_SECRET is unset: generated once and kept in
 * `<dataDir>/secret` (mode 0600) so tokens survive restarts.
 */
export function loadOrCreateSecret(dataDir: string): string {
  const file = secretFileName(dataDir);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
