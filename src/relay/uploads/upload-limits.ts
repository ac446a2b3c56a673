// What WhatsApp accepts as media, by MIME type: the message kind it is sent as and its largest size
// (Meta's "Supported media types" table, as AWS End User Messaging and VTEX reproduce it). The relay
// refuses anything else before storing a byte, so an agent learns at once rather than from a failed send.
import { CodedError } from '../../shared/result.ts';

export const uploadKinds = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type UploadKind = (typeof uploadKinds)[number];

const KB = 1024;
const MB = 1024 * KB;

/** Stickers are WebP: up to 500 KB when animated, 100 KB when static (decided from the bytes). */
export const ANIMATED_STICKER_MAX_BYTES = 500 * KB;
export const STATIC_STICKER_MAX_BYTES = 100 * KB;

export interface MediaRule {
  kind: UploadKind;
  /** The largest file of this type; for stickers the animated limit (the static one is checked on the bytes). */
  maxBytes: number;
}

const image: MediaRule = { kind: 'image', maxBytes: 5 * MB };
const video: MediaRule = { kind: 'video', maxBytes: 16 * MB };
const audio: MediaRule = { kind: 'audio', maxBytes: 16 * MB };
const document: MediaRule = { kind: 'document', maxBytes: 100 * MB };
const sticker: MediaRule = { kind: 'sticker', maxBytes: ANIMATED_STICKER_MAX_BYTES };

const RULES: ReadonlyMap<string, MediaRule> = new Map([
  ['image/jpeg', image],
  ['image/png', image],
  ['video/mp4', video],
  ['video/3gpp', video],
  ['audio/aac', audio],
  ['audio/amr', audio],
  ['audio/mpeg', audio],
  ['audio/mp4', audio],
  // Opus only; the bytes are checked (upload-screen.ts).
  ['audio/ogg', audio],
  ['image/webp', sticker],
  ['text/plain', document],
  ['application/pdf', document],
  ['application/msword', document],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', document],
  ['application/vnd.ms-excel', document],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', document],
  ['application/vnd.ms-powerpoint', document],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', document],
]);

/** One line an agent can act on: what WhatsApp takes, per kind. */
export const SUPPORTED_MEDIA_SUMMARY =
  'images JPEG or PNG up to 5 MB; videos MP4 or 3GPP up to 16 MB; audio AAC, AMR, MP3, MP4 or OGG (Opus) up to 16 MB; ' +
  'documents PDF, Word, Excel, PowerPoint or plain text up to 100 MB; stickers WebP up to 100 KB (500 KB animated)';

/** "5 MB", "100 KB", "6.2 MB": sizes as an agent reads them. */
export function formatBytes(bytes: number): string {
  const [unit, size] = bytes >= MB ? ['MB', bytes / MB] : bytes >= KB ? ['KB', bytes / KB] : ['bytes', bytes];
  const rounded = Math.round(size * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${unit}`;
}

export interface ContentType {
  /** Lower-case `type/subtype`, without parameters. */
  mimeType: string;
  /** Parameters (names lower-cased), e.g. { codecs: 'opus' }. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A Content-Type header, or null when it is missing or not `type/subtype[; name=value]*`. */
export function parseContentType(header: string | undefined): ContentType | null {
  if (header === undefined) return null;
  const [essence = '', ...parameters] = header.split(';');
  const [type, subtype, extra] = essence.trim().toLowerCase().split('/');
  if (type === undefined || subtype === undefined || extra !== undefined) return null;
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  const params: Record<string, string> = {};
  for (const parameter of parameters) {
    const at = parameter.indexOf('=');
    if (at <= 0) continue;
    const name = parameter.slice(0, at).trim().toLowerCase();
    params[name] = parameter
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { mimeType: `${type}/${subtype}`, params };
}

/** The rule for an upload's Content-Type; throws UNSUPPORTED_MEDIA_TYPE (415) naming what WhatsApp takes. */
export function ruleFor(contentType: ContentType): MediaRule {
  const rule = RULES.get(contentType.mimeType);
  if (rule === undefined) {
    throw new CodedError(
      'UNSUPPORTED_MEDIA_TYPE',
      `WhatsApp cannot send ${contentType.mimeType} files. It takes ${SUPPORTED_MEDIA_SUMMARY}.`,
    );
  }
  const codecs = contentType.params.codecs?.toLowerCase();
  if (contentType.mimeType === 'audio/ogg' && codecs !== undefined && codecs !== 'opus') {
    throw new CodedError(
      'UNSUPPORTED_MEDIA_TYPE',
      `WhatsApp only takes OGG audio encoded with Opus, not ${codecs}.`,
    );
  }
  return rule;
}

const KIND_NOUNS: Record<UploadKind, string> = {
  image: 'images',
  audio: 'audio files',
  video: 'videos',
  document: 'documents',
  sticker: 'animated stickers',
};

/**
 * The MEDIA_TOO_LARGE (413) error for a file over `maxBytes`; `size` when known (else "larger"),
 * `what` names the files the limit is for (default: the kind's plural).
 */
export function tooLarge(
  rule: MediaRule,
  size: number | null,
  what: string = KIND_NOUNS[rule.kind],
  maxBytes: number = rule.maxBytes,
): CodedError {
  const shown = size === null ? null : formatBytes(size);
  // 5 MB and one byte still reads "5 MB": say "over" rather than contradict the limit.
  const actual =
    shown === null
      ? 'This file is too large'
      : `This file is ${shown === formatBytes(maxBytes) ? `over ${shown}` : shown}`;
  return new CodedError(
    'MEDIA_TOO_LARGE',
    `${actual}: WhatsApp takes ${what} up to ${formatBytes(maxBytes)}.`,
  );
}
