// How a cached media file is answered, whichever transport carries it (the web host's HTTP route or
// Electron's ventana-media: protocol): status, headers and the byte span to send.
//
// Media comes from customers: only images, video and audio WhatsApp sends are shown inline; every
// other type (documents, and anything that could run script, such as HTML or SVG) is a download with
// its file name, and the answer forbids script in any case (CSP sandbox, nosniff).
import type { MediaSource } from '../ports.ts';
import { parseByteRange } from '../../shared/byte-range.ts';
import { essence } from './mime-type.ts';

type CachedMedia = Awaited<ReturnType<MediaSource['file']>>;

const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'video/mp4',
  'video/3gpp',
  'video/webm',
  'audio/aac',
  'audio/amr',
  'audio/mpeg',
  'audio/mp4',
  'audio/ogg',
  'audio/opus',
  'audio/webm',
]);

export type MediaAnswer =
  /** Send bytes start..end (inclusive); `end < start` for an empty file. */
  | { status: 200 | 206; headers: Record<string, string>; start: number; end: number }
  | { status: 416; headers: Record<string, string> };

function contentDisposition(file: CachedMedia, inline: boolean): string {
  const kind = inline ? 'inline' : 'attachment';
  const name = file.filename ?? (inline ? null : 'archivo');
  return name === null ? kind : `${kind}; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function mediaAnswer(
  file: CachedMedia,
  request: { range: string | null | undefined; ifRange: string | null | undefined },
): MediaAnswer {
  const inline = INLINE_TYPES.has(essence(file.mimeType));
  const common: Record<string, string> = {
    'accept-ranges': 'bytes',
    // Not kept by the browser: signing out with a wipe must leave no copy behind.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  };
  // The answer carries no validators, so an If-Range can never match: the whole file is the safe answer.
  const range = parseByteRange(request.ifRange ? undefined : request.range, file.size);
  if (range.kind === 'unsatisfiable') {
    return {
      status: 416,
      headers: {
        ...common,
        'content-range': `bytes */${file.size}`,
        'content-type': 'application/json; charset=utf-8',
      },
    };
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, file.size - 1];
  return {
    status: range.kind === 'part' ? 206 : 200,
    start,
    end,
    headers: {
      ...common,
      'content-type': file.mimeType,
      'content-length': String(end - start + 1),
      'content-disposition': contentDisposition(file, inline),
      ...(range.kind === 'part' ? { 'content-range': `bytes ${start}-${end}/${file.size}` } : {}),
    },
  };
}
