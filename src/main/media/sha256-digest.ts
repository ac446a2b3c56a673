// A message's announced SHA-256 comes as Meta wrote it: base64 in webhooks (and in the relay's own
// upload records), hex in some Graph answers. An announcement that is not a 32-byte digest in either
// spelling cannot be checked, so it is skipped rather than refusing good bytes for ever.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64_DIGEST = /^[A-Za-z0-9+/_-]{43}=?$/;

export function decodeSha256(announced: string | null): Buffer | null {
  if (announced === null) return null;
  const text = announced.trim();
  if (HEX_DIGEST.test(text)) return Buffer.from(text, 'hex');
  if (BASE64_DIGEST.test(text)) {
    const bytes = Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

export async function sha256OfFile(path: string): Promise<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest();
}
