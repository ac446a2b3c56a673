// Meta signs every webhook with the app secret: X-Hub-Signature-256 = sha256=<hex HMAC-SHA256 of
// the exact bytes posted>. Relays must hash those raw bytes, never a re-serialised parse.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** The X-Hub-Signature-256 value for `raw`: `sha256=<hex>`. */
export function signBody(appSecret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}
