// GET <media url>: the bytes, only with the same Bearer token as the Graph calls (Meta's URLs do
// not work without it), only before the URL expires, unless a download fault answers first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidAccessToken, unsupportedRequest } from '../graph-errors.ts';
import { bearerMatches, sendJson } from '../http.ts';
import type { MediaHost } from './media-host.ts';

export function createMediaDownloadHandler(deps: {
  accessToken: string;
  media: MediaHost;
}): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  return async (req, res, url) => {
    if (req.method !== 'GET') {
      const error = unsupportedRequest(req.method ?? 'GET', url.searchParams.get('mid') ?? '');
      return sendJson(res, error.status, error.body);
    }
    if (!bearerMatches(req.headers.authorization, deps.accessToken)) {
      const error = invalidAccessToken();
      return sendJson(res, error.status, error.body);
    }
    const answer = deps.media.download(url.searchParams);
    if (!answer.ok) return sendJson(res, answer.error.status, answer.error.body);
    await new Promise<void>((resolve) => {
      res.writeHead(200, { 'content-type': answer.mimeType, 'content-length': answer.bytes.length });
      res.end(answer.bytes, () => resolve());
      res.once('close', () => resolve());
    });
  };
}
