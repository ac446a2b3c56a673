// GET /media/<encoded message id>: a message's media for the page's <img>, <video>, <audio> and
// download links, served from the console's media cache (fetched from the relay on first use). The
// relay token never reaches the page: the page proves itself with the media cookie (see
// access-token.ts) or, for tools and tests, the launch token as a bearer header.
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { WEB_MEDIA_PREFIX } from '../../shared/console-api.ts';
import { toErrorInfo } from '../../shared/result.ts';
import { mediaAnswer } from '../media/media-answer.ts';
import { mediaErrorStatus } from '../media/media-errors.ts';
import type { MediaSource } from '../ports.ts';
import { bearerToken, cookieValue, mediaCookieName, mediaCookieValue, tokenMatches } from './access-token.ts';
import { sendError } from './http-io.ts';

export interface MediaRouteContext {
  media: MediaSource | undefined;
  token: string;
  port: number;
  pathname: string;
}

function authorized(req: IncomingMessage, context: MediaRouteContext): boolean {
  const cookie = cookieValue(req.headers.cookie, mediaCookieName(context.port));
  return (
    tokenMatches(mediaCookieValue(context.token), cookie) ||
    tokenMatches(context.token, bearerToken(req.headers.authorization))
  );
}

function messageIdOf(pathname: string): string | null {
  const encoded = pathname.slice(WEB_MEDIA_PREFIX.length);
  if (encoded === '' || encoded.includes('/')) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

export async function handleMediaRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: MediaRouteContext,
): Promise<void> {
  if (!authorized(req, context)) {
    sendError(res, 401, {
      code: 'UNAUTHORIZED',
      message: 'Open the console from the address the web host printed: this request carries no media cookie',
    });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendError(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Media is read with GET' });
    return;
  }
  const messageId = messageIdOf(context.pathname);
  if (messageId === null) {
    sendError(res, 404, {
      code: 'MEDIA_NOT_FOUND',
      message: `Media paths look like ${WEB_MEDIA_PREFIX}<message id>`,
    });
    return;
  }
  if (context.media === undefined) {
    sendError(res, 503, { code: 'MEDIA_UNAVAILABLE', message: 'This console serves no media' });
    return;
  }

  let file: Awaited<ReturnType<MediaSource['file']>>;
  try {
    file = await context.media.file(messageId);
  } catch (error) {
    const info = toErrorInfo(error);
    sendError(res, mediaErrorStatus(info.code), info);
    return;
  }
  const ifRange = req.headers['if-range'];
  const answer = mediaAnswer(file, {
    range: req.headers.range,
    ifRange: typeof ifRange === 'string' ? ifRange : undefined,
  });
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (answer.status === 416) {
    sendError(res, 416, { code: 'RANGE_NOT_SATISFIABLE', message: `The file has ${file.size} bytes` });
    return;
  }
  res.statusCode = answer.status;
  if (req.method === 'HEAD' || answer.end < answer.start) {
    res.end();
    return;
  }
  // Opened before answering: a prune that removes the file meanwhile cannot cut the answer short.
  const handle = await open(file.path, 'r');
  try {
    await pipeline(handle.createReadStream({ start: answer.start, end: answer.end, autoClose: false }), res);
  } catch (error) {
    // The page went away mid-file (closed the viewer, seeked elsewhere): nothing to report.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  } finally {
    await handle.close();
  }
}
