// The short-lived download URL Meta answers for a media id (lookaside.fbsbx.com in production):
// it names the media, carries its expiry, and is signed so that a relay cannot forge or extend one.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';

function signature(secret: Buffer, mediaId: string, expiresAtSeconds: number): string {
  return createHmac('sha256', secret).update(`${mediaId}:${expiresAtSeconds}`).digest('base64url');
}

export function signMediaUrl(baseUrl: string, secret: Buffer, mediaId: string, expiresAtMs: number): string {
  const ext = Math.floor(expiresAtMs / 1000);
  const query = new URLSearchParams({
    mid: mediaId,
    ext: String(ext),
    hash: signature(secret, mediaId, ext),
  });
  return `${baseUrl}${MEDIA_DOWNLOAD_PATH}?${query.toString()}`;
}

export type MediaUrlCheck = { ok: true; mediaId: string } | { ok: false; problem: 'forged' | 'expired' };

export function checkMediaUrl(query: URLSearchParams, secret: Buffer, nowMs: number): MediaUrlCheck {
  const mediaId = query.get('mid') ?? '';
  const ext = Number(query.get('ext'));
  const given = Buffer.from(query.get('hash') ?? '');
  const expected = Buffer.from(signature(secret, mediaId, ext));
  if (!Number.isInteger(ext) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: 'forged' };
  }
  return nowMs >= ext * 1000 ? { ok: false, problem: 'expired' } : { ok: true, mediaId };
}
