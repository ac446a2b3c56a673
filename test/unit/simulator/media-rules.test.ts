// WhatsApp's media types and size limits, and which message type may carry which upload.
import { describe, expect, it } from 'vitest';
import { baseMimeType, messageAccepts, uploadProblem } from '../../../src/simulator/uploads/media-rules.ts';

const MB = 1024 * 1024;

describe('media rules', () => {
  it('accepts the supported types up to their limits, codec parameters included', () => {
    expect(uploadProblem('image/jpeg', 5 * MB)).toBeNull();
    expect(uploadProblem('audio/ogg; codecs=opus', 16 * MB)).toBeNull();
    expect(uploadProblem('application/pdf', 100 * MB)).toBeNull();
    expect(baseMimeType(' Audio/OGG; codecs=opus')).toBe('audio/ogg');
  });

  it('names the limit or the supported types when it refuses', () => {
    expect(uploadProblem('image/png', 5 * MB + 1)).toBe(
      `File of type image/png is ${5 * MB + 1} bytes; the limit for image is ${5 * MB} bytes.`,
    );
    expect(uploadProblem('video/mp4', 16 * MB + 1)).toContain('the limit for video');
    expect(uploadProblem('image/webp', 500 * 1024 + 1)).toContain('the limit for sticker');
    expect(uploadProblem('image/gif', 10)).toMatch(
      /^Param file must be a file with one of the following types: image\/jpeg, .*Received file of type 'image\/gif'\.$/,
    );
  });

  it('lets a message carry uploads of its own kind, and a document any supported file', () => {
    expect(messageAccepts('image', 'image/png')).toBe(true);
    expect(messageAccepts('image', 'image/webp')).toBe(false);
    expect(messageAccepts('sticker', 'image/webp')).toBe(true);
    expect(messageAccepts('audio', 'audio/ogg; codecs=opus')).toBe(true);
    expect(messageAccepts('video', 'audio/mp4')).toBe(false);
    expect(messageAccepts('document', 'image/png')).toBe(true);
    expect(messageAccepts('document', 'application/zip')).toBe(false);
  });
});
