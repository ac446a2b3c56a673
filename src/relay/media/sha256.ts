// Meta announces a media file's SHA-256 in two spellings: base64 in webhooks, hex in the media-URL
// answer (and placeholders in some examples). A value that is not a 32-byte digest in either
// spelling cannot be checked, so it is skipped rather than failing a good download for ever.

const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64_DIGEST = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The 32 bytes a SHA-256 announcement names, or null when it is not a readable digest. */
export function decodeSha256(announced: string): Buffer | null {
  const text = announced.trim();
  if (HEX_DIGEST.test(text)) return Buffer.from(text, 'hex');
  if (BASE64_DIGEST.test(text)) {
    const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

/** The announcements (null = none) that name a different digest than `digest`. */
export function mismatchedSha256(announced: readonly (string | null)[], digest: Buffer): string[] {
  return announced.filter((value): value is string => {
    if (value === null) return false;
    const expected = decodeSha256(value);
    return expected !== null && !expected.equals(digest);
  });
}
