// The web host's per-launch secret: whoever holds it may drive this console, so it is random,
// long, never logged, and compared in constant time.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes both sides the same length whatever was sent. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

// The media cookie. <img src> and <video src> cannot send a header, so the page's media requests
// carry a cookie instead, set on its first authenticated API call. It is HttpOnly (no script reads
// it), SameSite=Strict (no other site's page makes the browser send it), scoped to the media path,
// and its value only opens media: it is derived from the launch token, never the token itself,
// because browsers share cookies between every port of 127.0.0.1.

/** Named after the port, so two web hosts on this machine never overwrite each other's cookie. */
export function mediaCookieName(port: number): string {
  return `ventana_media_${port}`;
}

export function mediaCookieValue(token: string): string {
  return createHmac('sha256', token).update('ventana web host media cookie').digest('base64url');
}

export function mediaCookieHeader(port: number, token: string, path: string): string {
  return `${mediaCookieName(port)}=${mediaCookieValue(token)}; Path=${path}; HttpOnly; SameSite=Strict`;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
