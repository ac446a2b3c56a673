// Agent tokens: shown once at creation, stored only as a SHA-256 hash. A token carries 256 random
// bits, so a plain hash (no salt, no slow KDF) is enough and lets the relay look it up directly.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'vnt_';

export function generateAgentToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or null when absent or malformed. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization?.trim() ?? '');
  return match?.[1] ?? null;
}
