// Checks an upload's bytes as they stream in, so a file WhatsApp would refuse is stopped before it is
// kept: the size limit of its kind, and for the types whose rules depend on the content, the content
// itself (a WebP sticker is allowed 500 KB only when animated; OGG audio must be Opus). A wrongly
// labelled JPEG or PNG is caught too: Meta would refuse it later with a far vaguer error.
import { CodedError } from '../../shared/result.ts';
import { STATIC_STICKER_MAX_BYTES, tooLarge, type MediaRule } from './upload-limits.ts';

/** Enough of the file's start for every check below (the OGG Opus header sits at byte 28). */
const HEAD_BYTES = 64;

export interface UploadScreen {
  /** Counts and checks the next chunk; throws MEDIA_TOO_LARGE or MEDIA_CONTENT_MISMATCH. */
  take(chunk: Uint8Array): void;
  /** After the last chunk: checks a file shorter than the head; throws like `take`, or EMPTY_UPLOAD. */
  finish(): { size: number };
}

const ascii = (bytes: Buffer, start: number, end: number): string => bytes.toString('latin1', start, end);

function mismatch(message: string): CodedError {
  return new CodedError('MEDIA_CONTENT_MISMATCH', message);
}

/** The largest size the content allows (may be below the type's), or throws when the content is not of the type. */
function checkHead(mimeType: string, rule: MediaRule, head: Buffer): number {
  switch (mimeType) {
    case 'image/jpeg':
      if (head.length < 3 || head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff)
        throw mismatch('This file is labelled image/jpeg but is not a JPEG image.');
      return rule.maxBytes;
    case 'image/png':
      if (!head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
        throw mismatch('This file is labelled image/png but is not a PNG image.');
      return rule.maxBytes;
    case 'image/webp': {
      if (head.length < 16 || ascii(head, 0, 4) !== 'RIFF' || ascii(head, 8, 12) !== 'WEBP')
        throw mismatch('This file is labelled image/webp but is not a WebP image.');
      // Only the extended format (VP8X) can animate, flagged by bit 1 of its first byte.
      const animated = ascii(head, 12, 16) === 'VP8X' && head.length > 20 && (head[20]! & 0x02) !== 0;
      return animated ? rule.maxBytes : STATIC_STICKER_MAX_BYTES;
    }
    case 'audio/ogg':
      if (ascii(head, 0, 4) !== 'OggS')
        throw mismatch('This file is labelled audio/ogg but is not an OGG file.');
      if (!head.includes('OpusHead', 0, 'latin1'))
        throw mismatch('This OGG audio is not encoded with Opus, the only OGG audio WhatsApp takes.');
      return rule.maxBytes;
    default:
      return rule.maxBytes;
  }
}

export function createUploadScreen(mimeType: string, rule: MediaRule): UploadScreen {
  let size = 0;
  let head: Buffer[] = [];
  let headSize = 0;
  // Known once the head has been checked.
  let contentMax: number | null = null;

  // Only the bytes so far are known, not the whole size: the message names the limit alone.
  const limitExceeded = (): CodedError =>
    contentMax !== null && contentMax < rule.maxBytes
      ? tooLarge(rule, null, 'static stickers', contentMax)
      : tooLarge(rule, null);

  const checkCollectedHead = (): void => {
    contentMax = checkHead(mimeType, rule, Buffer.concat(head, headSize));
    head = [];
    if (size > contentMax) throw limitExceeded();
  };

  return {
    take(chunk) {
      size += chunk.byteLength;
      if (size > rule.maxBytes) throw limitExceeded();
      if (contentMax === null) {
        head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        headSize += chunk.byteLength;
        if (headSize >= HEAD_BYTES) checkCollectedHead();
      } else if (size > contentMax) {
        throw limitExceeded();
      }
    },
    finish() {
      if (size === 0)
        throw new CodedError('EMPTY_UPLOAD', 'The upload has no content: send the file as the body.');
      if (contentMax === null) checkCollectedHead();
      return { size };
    },
  };
}
