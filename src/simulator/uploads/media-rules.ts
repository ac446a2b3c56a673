// WhatsApp's supported media types and size limits (Meta's media reference): what
// POST /{phone-number-id}/media accepts and which message type may carry which upload.
import type { MediaSendType } from '../sends/send-schemas.ts';

const MB = 1024 * 1024;

interface MediaRule {
  kind: MediaSendType;
  mimeTypes: readonly string[];
  maxBytes: number;
}

const RULES: readonly MediaRule[] = [
  { kind: 'image', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  // Static stickers may be 100 KB, animated ones 500 KB; the bytes alone do not say which.
  { kind: 'sticker', mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
  { kind: 'video', mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  {
    kind: 'audio',
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    maxBytes: 16 * MB,
  },
  {
    kind: 'document',
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
];

/** The largest upload of any type. */
export const MAX_UPLOAD_BYTES = 100 * MB;

export const SUPPORTED_MIME_TYPES: readonly string[] = RULES.flatMap((rule) => rule.mimeTypes);

/** 'audio/ogg; codecs=opus' → 'audio/ogg'. */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

function ruleOf(mimeType: string): MediaRule | undefined {
  const base = baseMimeType(mimeType);
  return RULES.find((rule) => rule.mimeTypes.includes(base));
}

/** Why Meta would refuse to store this upload, or null. */
export function uploadProblem(mimeType: string, size: number): string | null {
  const rule = ruleOf(mimeType);
  if (rule === undefined) {
    return `Param file must be a file with one of the following types: ${SUPPORTED_MIME_TYPES.join(', ')}. Received file of type '${mimeType}'.`;
  }
  if (size > rule.maxBytes) {
    return `File of type ${baseMimeType(mimeType)} is ${size} bytes; the limit for ${rule.kind} is ${rule.maxBytes} bytes.`;
  }
  return null;
}

/** Whether a `kind` message may carry an upload of `mimeType` (a document may carry any file). */
export function messageAccepts(kind: MediaSendType, mimeType: string): boolean {
  if (kind === 'document') return ruleOf(mimeType) !== undefined;
  return ruleOf(mimeType)?.kind === kind;
}

export function mimeTypesFor(kind: MediaSendType): readonly string[] {
  return kind === 'document'
    ? SUPPORTED_MIME_TYPES
    : (RULES.find((rule) => rule.kind === kind)?.mimeTypes ?? []);
}
