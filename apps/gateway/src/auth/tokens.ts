import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** Stable user id. */
  readonly userId: string;
  readonly displayName: string;
  /** Epoch ms. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

const VERSION = 'v1';

/**
 * Signed session tokens: `v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`. The signature covers
 * the version and the claims; verification is constant-time.
 */
export class TokenSigner {
  constructor(
    private readonly secret: string,
    readonly ttlMs: number = 30 * 24 * 3600_000,
  ) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(`${VERSION}.${body}`).digest();
  }

  issue(displayName: string, now = Date.now(), userId = newUserId()): { token: string; claims: TokenClaims } {
    const claims: TokenClaims = { userId, displayName, issuedAt: now, expiresAt: now + this.ttlMs };
    const body = Buffer.from(
      JSON.stringify({ uid: claims.userId, name: displayName, iat: now, exp: claims.expiresAt }),
    ).toString('base64url');
    return { token: `${VERSION}.${body}.${this.mac(body).toString('base64url')}`, claims };
  }

  verify(token: string, now = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const body = parts[1] as string;
    const signature = Buffer.from(parts[2] as string, 'base64url');
    const expected = this.mac(body);
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return { ok: false, reason: 'bad-signature' };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const { uid, name, iat, exp } = (raw ?? {}) as Record<string, unknown>;
    if (
      typeof uid !== 'string' ||
      typeof name !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (exp <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { userId: uid, displayName: name, issuedAt: iat, expiresAt: exp } };
  }
}

export function newUserId(): string {
  return `u_${randomBytes(9).toString('base64url')}`;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
