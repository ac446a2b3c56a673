// Answers `ventana-media://message/<encoded message id>` requests as fetch Responses: what Electron's
// protocol.handle expects (src/main/shell/media-protocol.ts registers it). Plain Node, so it is tested
// without Electron. Errors are JSON in the web host's shape, with the media codes' statuses.
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { MEDIA_SCHEME } from '../../shared/console-api.ts';
import { toErrorInfo, type ErrorInfo } from '../../shared/result.ts';
import type { MediaSource } from '../ports.ts';
import { mediaAnswer } from './media-answer.ts';
import { mediaErrorStatus } from './media-errors.ts';

/** The one host of the scheme's URLs: `ventana-media://message/<id>`. */
export const MEDIA_URL_HOST = 'message';

function errorResponse(status: number, error: ErrorInfo, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ ok: false, error }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** The message id a media URL names, or null when the URL is not one of ours. */
export function messageIdOfMediaUrl(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== MEDIA_URL_HOST) return null;
  const encoded = parsed.pathname.slice(1);
  if (encoded === '' || encoded.includes('/')) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

export async function answerMediaFetch(source: MediaSource | null, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorResponse(
      405,
      { code: 'METHOD_NOT_ALLOWED', message: 'Media is read with GET' },
      { allow: 'GET, HEAD' },
    );
  }
  const messageId = messageIdOfMediaUrl(request.url);
  if (messageId === null)
    return errorResponse(404, {
      code: 'MEDIA_NOT_FOUND',
      message: `Media URLs look like ${MEDIA_SCHEME}://${MEDIA_URL_HOST}/<message id>`,
    });
  if (source === null)
    return errorResponse(503, {
      code: 'MEDIA_UNAVAILABLE',
      message: 'The console is not signed in: no media to show',
    });

  let file: Awaited<ReturnType<MediaSource['file']>>;
  try {
    file = await source.file(messageId);
  } catch (error) {
    const info = toErrorInfo(error);
    return errorResponse(mediaErrorStatus(info.code), info);
  }
  const answer = mediaAnswer(file, {
    range: request.headers.get('range'),
    ifRange: request.headers.get('if-range'),
  });
  if (answer.status === 416) {
    return new Response(
      JSON.stringify({
        ok: false,
        error: { code: 'RANGE_NOT_SATISFIABLE', message: `The file has ${file.size} bytes` },
      }),
      { status: 416, headers: answer.headers },
    );
  }
  if (request.method === 'HEAD' || answer.end < answer.start)
    return new Response(null, { status: answer.status, headers: answer.headers });
  // Opened before answering: a prune that removes the file meanwhile cannot cut the answer short.
  const handle = await open(file.path, 'r');
  const stream = handle.createReadStream({ start: answer.start, end: answer.end, autoClose: true });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    status: answer.status,
    headers: answer.headers,
  });
}
