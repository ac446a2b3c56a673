import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSha256, mismatchedSha256 } from '../../../src/relay/media/sha256.ts';

const bytes = Buffer.from('a small picture of a cat');
const digest = createHash('sha256').update(bytes).digest();
const otherDigest = createHash('sha256').update('another file').digest();

describe("checking Meta's media sha256", () => {
  it('reads the hex spelling of the media-URL answer', () => {
    expect(decodeSha256(digest.toString('hex'))).toEqual(digest);
    expect(decodeSha256(digest.toString('hex').toUpperCase())).toEqual(digest);
  });

  it('reads the base64 spelling of webhooks, padded or not, and base64url', () => {
    expect(decodeSha256(digest.toString('base64'))).toEqual(digest);
    expect(decodeSha256(digest.toString('base64').replace(/=$/, ''))).toEqual(digest);
    expect(decodeSha256(digest.toString('base64url'))).toEqual(digest);
  });

  it('does not read placeholders and truncated values as digests', () => {
    for (const value of ['IMAGE_HASH', 'a1b2c3d4e5f6...', '4654+8g=', digest.toString('hex').slice(2), '']) {
      expect(decodeSha256(value), value).toBeNull();
    }
  });

  it('names the announcements that disagree with the downloaded bytes', () => {
    expect(mismatchedSha256([digest.toString('base64'), digest.toString('hex')], digest)).toEqual([]);
    expect(mismatchedSha256([otherDigest.toString('base64'), digest.toString('hex')], digest)).toEqual([
      otherDigest.toString('base64'),
    ]);
  });

  it('skips missing and unreadable announcements instead of failing a good download', () => {
    expect(mismatchedSha256([null, 'IMAGE_HASH'], digest)).toEqual([]);
  });
});
