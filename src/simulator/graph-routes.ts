// The Graph endpoints the relay calls, answered the way graph.facebook.com answers them:
//   POST /{version}/{phone-number-id}/messages       sends of every type, and mark-read
//   POST /{version}/{phone-number-id}/media          uploads (multipart)
//   GET  /{version}/{waba-id}/message_templates      the account's templates, paged
//   GET  /{version}/{media-id}                       where to download a media
// Every call needs the bearer token (190 otherwise) and the simulator's Graph version.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidAccessToken, unknownVersion, unsupportedRequest } from './graph-errors.ts';
import type { GraphErrorResponse } from './graph-errors.ts';
import { bearerMatches, sendJson } from './http.ts';
import type { MediaHost } from './media/media-host.ts';
import { handleMessages } from './sends/messages-route.ts';
import type { MessagesDeps } from './sends/messages-route.ts';
import type { ArmedFaults } from './sends/send-faults.ts';
import { listTemplates } from './templates/template-listing.ts';
import { handleUpload } from './uploads/upload-route.ts';

export type { AcceptedSend } from './sends/messages-route.ts';

export interface GraphDeps extends MessagesDeps {
  accessToken: string;
  graphVersion: string;
  wabaId: string;
  isPhoneNumber(id: string): boolean;
  media: MediaHost;
  uploadFaults: ArmedFaults;
  /** The simulator's own URL: `paging.next` links point at it. */
  baseUrl(): string;
  /** The largest page of templates the listing answers. */
  templatePageSize(): number;
}

export function createGraphHandler(
  deps: GraphDeps,
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const answerError = (res: ServerResponse, error: GraphErrorResponse): Promise<void> =>
    sendJson(res, error.status, error.body);

  return async (req, res, url) => {
    if (!bearerMatches(req.headers.authorization, deps.accessToken))
      return answerError(res, invalidAccessToken());
    const [version = '', objectId = '', edge, ...rest] = url.pathname
      .split('/')
      .filter((part) => part !== '');
    if (version !== deps.graphVersion) return answerError(res, unknownVersion(version, deps.graphVersion));
    const method = req.method ?? 'GET';
    const route = `${method} ${edge ?? ''}`;

    if (rest.length === 0 && route === 'GET ') {
      const info = deps.media.info(objectId);
      if (info !== undefined) return info.ok ? sendJson(res, 200, info.answer) : answerError(res, info.error);
    }
    if (rest.length === 0 && route === 'GET message_templates' && objectId === deps.wabaId) {
      const endpoint = `${deps.baseUrl()}/${version}/${objectId}/message_templates`;
      const answer = listTemplates(deps.templates, {
        endpoint,
        query: url.searchParams,
        pageSize: deps.templatePageSize(),
      });
      return answer.ok ? sendJson(res, 200, answer.listing) : answerError(res, answer.error);
    }
    if (rest.length === 0 && deps.isPhoneNumber(objectId)) {
      if (route === 'POST messages') return handleMessages(req, res, objectId, deps);
      if (route === 'POST media') {
        return handleUpload(req, res, objectId, {
          media: deps.media,
          uploads: deps.uploads,
          faults: deps.uploadFaults,
          now: () => deps.now(),
        });
      }
    }
    return answerError(res, unsupportedRequest(method, objectId));
  };
}
