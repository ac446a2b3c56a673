// Meta signs every webhook: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, keyed with
// the app secret. The HMAC runs over the bytes exactly as received: re-serialized JSON (or a decoded
// string with Meta's \uXXXX escapes undone) would not match.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

export function checkWebhookSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): SignatureCheck {
  if (header === undefined || header === '') return 'missing';
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (match?.[1] === undefined) return 'malformed';
  const received = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // Both are 32 bytes here, so timingSafeEqual cannot throw on a length mismatch.
  return timingSafeEqual(received, expected) ? 'valid' : 'mismatch';
}
