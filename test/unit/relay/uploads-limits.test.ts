// WhatsApp's media rules as the relay applies them to uploads: which Content-Types are sent as which
// kind, the size limits per kind, and the content checks (animated vs static stickers, Opus in OGG,
// files whose bytes do not match their label).
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../src/shared/result.ts';
import {
  formatBytes,
  parseContentType,
  ruleFor,
  type MediaRule,
} from '../../../src/relay/uploads/upload-limits.ts';
import { createUploadScreen } from '../../../src/relay/uploads/upload-screen.ts';
import { parseFilename } from '../../../src/relay/uploads/receive-upload.ts';
import { silentOpusVoiceNote } from '../../../src/simulator/demo-media/ogg-opus.ts';
import { encodePng } from '../../../src/simulator/demo-media/png.ts';

const KB = 1024;
const MB = 1024 * KB;

/** A WebP file of `size` bytes: extended format, animated or not (bit 1 of the VP8X flags). */
function webp(size: number, animated: boolean): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(size - 8, 4);
  bytes.write('WEBP', 8, 'latin1');
  bytes.write('VP8X', 12, 'latin1');
  bytes.writeUInt32LE(10, 16);
  bytes[20] = animated ? 0x02 : 0x00;
  return bytes;
}

/** A simple (lossless, never animated) WebP. */
function simpleWebp(size: number): Buffer {
  const bytes = webp(size, false);
  bytes.write('VP8L', 12, 'latin1');
  return bytes;
}

const jpeg = (size: number): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4)]);

function rule(contentType: string): MediaRule {
  const parsed = parseContentType(contentType);
  if (parsed === null) throw new Error(`not a content type: ${contentType}`);
  return ruleFor(parsed);
}

/** Streams `bytes` through the screen of `contentType` in chunks; answers the size or the refusal's code and message. */
function screen(contentType: string, bytes: Buffer, chunkSize = 64 * KB): { size: number } | CodedError {
  const parsed = parseContentType(contentType)!;
  const checker = createUploadScreen(parsed.mimeType, ruleFor(parsed));
  try {
    for (let at = 0; at < bytes.length; at += chunkSize) checker.take(bytes.subarray(at, at + chunkSize));
    return checker.finish();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
}

describe('upload Content-Types', () => {
  it('sends each type WhatsApp takes as its kind, with its size limit', () => {
    expect(rule('image/jpeg')).toEqual({ kind: 'image', maxBytes: 5 * MB });
    expect(rule('image/png')).toEqual({ kind: 'image', maxBytes: 5 * MB });
    expect(rule('video/mp4')).toEqual({ kind: 'video', maxBytes: 16 * MB });
    expect(rule('video/3gpp')).toEqual({ kind: 'video', maxBytes: 16 * MB });
    for (const audio of ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'])
      expect(rule(audio)).toEqual({ kind: 'audio', maxBytes: 16 * MB });
    for (const document of [
      'application/pdf',
      'text/plain',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ])
      expect(rule(document)).toEqual({ kind: 'document', maxBytes: 100 * MB });
    expect(rule('image/webp')).toEqual({ kind: 'sticker', maxBytes: 500 * KB });
  });

  it('reads the type whatever its case and parameters', () => {
    expect(parseContentType('Audio/OGG; Codecs="opus"')).toEqual({
      mimeType: 'audio/ogg',
      params: { codecs: 'opus' },
    });
    expect(rule('text/plain; charset=utf-8').kind).toBe('document');
    expect(rule('audio/ogg; codecs=opus').kind).toBe('audio');
  });

  it('finds no type in a missing or malformed header', () => {
    expect(parseContentType(undefined)).toBeNull();
    expect(parseContentType('')).toBeNull();
    expect(parseContentType('jpeg')).toBeNull();
    expect(parseContentType('image/jpeg/extra')).toBeNull();
    expect(parseContentType('image /jpeg')).toBeNull();
  });

  it('refuses types WhatsApp cannot send, naming the ones it can', () => {
    for (const type of ['image/gif', 'video/webm', 'application/zip', 'audio/wav']) {
      const error = (() => {
        try {
          rule(type);
          return null;
        } catch (caught) {
          return caught as CodedError;
        }
      })();
      expect(error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error?.message).toContain(`cannot send ${type}`);
      expect(error?.message).toContain('JPEG or PNG up to 5 MB');
    }
  });

  it('refuses OGG audio declared with a codec other than Opus', () => {
    expect(() => rule('audio/ogg; codecs=vorbis')).toThrow(
      /only takes OGG audio encoded with Opus, not vorbis/,
    );
  });
});

describe('upload sizes and contents', () => {
  it('takes a file exactly at its limit and refuses one byte more, saying the limit', () => {
    expect(screen('image/jpeg', jpeg(5 * MB))).toEqual({ size: 5 * MB });
    const refused = screen('image/jpeg', jpeg(5 * MB + 1));
    expect(refused).toBeInstanceOf(CodedError);
    expect((refused as CodedError).code).toBe('MEDIA_TOO_LARGE');
    expect((refused as CodedError).message).toBe('This file is too large: WhatsApp takes images up to 5 MB.');
  });

  it('stops a large file at the first chunk past the limit', () => {
    const checker = createUploadScreen('video/mp4', rule('video/mp4'));
    const chunk = Buffer.alloc(MB);
    let taken = 0;
    const refusal = (() => {
      for (;;) {
        try {
          checker.take(chunk);
          taken += 1;
        } catch (error) {
          return error as CodedError;
        }
      }
    })();
    expect(taken).toBe(16);
    expect(refusal.code).toBe('MEDIA_TOO_LARGE');
    expect(refusal.message).toBe('This file is too large: WhatsApp takes videos up to 16 MB.');
  });

  it('allows 500 KB for an animated sticker but only 100 KB for a static one', () => {
    expect(screen('image/webp', webp(400 * KB, true))).toEqual({ size: 400 * KB });
    expect(screen('image/webp', webp(100 * KB, false))).toEqual({ size: 100 * KB });
    const staticTooLarge = screen('image/webp', webp(101 * KB, false)) as CodedError;
    expect(staticTooLarge.code).toBe('MEDIA_TOO_LARGE');
    expect(staticTooLarge.message).toBe(
      'This file is too large: WhatsApp takes static stickers up to 100 KB.',
    );
    const simpleTooLarge = screen('image/webp', simpleWebp(200 * KB), 1000) as CodedError;
    expect(simpleTooLarge.message).toContain('static stickers up to 100 KB');
    const animatedTooLarge = screen('image/webp', webp(501 * KB, true)) as CodedError;
    expect(animatedTooLarge.message).toBe(
      'This file is too large: WhatsApp takes animated stickers up to 500 KB.',
    );
  });

  it('decides a sticker is animated even when its header arrives in small pieces', () => {
    expect(screen('image/webp', webp(300 * KB, true), 7)).toEqual({ size: 300 * KB });
  });

  it('takes Opus in OGG and refuses other OGG audio', () => {
    const voice = silentOpusVoiceNote(2);
    expect(screen('audio/ogg', voice)).toEqual({ size: voice.length });
    const vorbis = Buffer.from(voice);
    vorbis.write('VorbHead', vorbis.indexOf('OpusHead'), 'latin1');
    const refused = screen('audio/ogg', vorbis) as CodedError;
    expect(refused.code).toBe('MEDIA_CONTENT_MISMATCH');
    expect(refused.message).toContain('not encoded with Opus');
  });

  it('refuses a file whose bytes are not the image type it is labelled with', () => {
    const png = encodePng(4, 4, () => [200, 10, 10]);
    expect(screen('image/png', png)).toEqual({ size: png.length });
    expect((screen('image/jpeg', png) as CodedError).message).toBe(
      'This file is labelled image/jpeg but is not a JPEG image.',
    );
    expect((screen('image/png', jpeg(2 * KB)) as CodedError).code).toBe('MEDIA_CONTENT_MISMATCH');
    expect((screen('image/webp', png) as CodedError).message).toContain('not a WebP image');
  });

  it('does not judge the content of types WhatsApp checks itself', () => {
    const text = Buffer.from('Hola, adjunto la cotización.');
    expect(screen('text/plain', text)).toEqual({ size: text.length });
  });

  it('refuses an empty file', () => {
    expect((screen('application/pdf', Buffer.alloc(0)) as CodedError).code).toBe('EMPTY_UPLOAD');
  });
});

describe('X-Filename', () => {
  it('decodes percent-encoded UTF-8 and keeps only the last path segment', () => {
    expect(parseFilename(encodeURIComponent('cotización 2026.pdf'))).toBe('cotización 2026.pdf');
    expect(parseFilename('..%2F..%2Fetc%2Fpasswd')).toBe('passwd');
    expect(parseFilename('C:%5CUsers%5Cana%5Cfactura.pdf')).toBe('factura.pdf');
  });

  it('is optional, and an empty or dot name counts as none', () => {
    expect(parseFilename(undefined)).toBeNull();
    expect(parseFilename('')).toBeNull();
    expect(parseFilename('..')).toBeNull();
    expect(parseFilename('%0A')).toBeNull();
  });

  it('refuses broken percent-encoding and overlong names', () => {
    expect(() => parseFilename('%E0%A4%A')).toThrow(/percent-encoded UTF-8/);
    expect(() => parseFilename(`${'a'.repeat(237)}.pdf`)).toThrow(/at most 240 characters/);
  });
});

describe('sizes as agents read them', () => {
  it('rounds to one decimal in the largest unit that fits', () => {
    expect(formatBytes(5 * MB)).toBe('5 MB');
    expect(formatBytes(100 * KB)).toBe('100 KB');
    expect(formatBytes(6.25 * MB)).toBe('6.3 MB');
    expect(formatBytes(512)).toBe('512 bytes');
  });
});
