// The relay's HTTP routes. WebSocket upgrades (GET /v1/sync) are handed to the sync server by index.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { OffsetClock } from '../../shared/clock.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import type { ApiRouter } from '../api/api-router.ts';
import { CLOCK_CONTROL_PATH, handleClockControl } from '../control/clock-control.ts';
import { MEDIA_PATH_PREFIX, type MediaService } from '../media/media-service.ts';
import { isUploadsPath, type UploadService } from '../uploads/upload-service.ts';
import { sendError } from './respond.ts';
import { handleWebhookDelivery, handleWebhookVerification, type WebhookDeps } from './webhook-routes.ts';

export type HttpDeps = WebhookDeps & {
  agents: AgentStore;
  /** The relay's clock when the demo/test controls are on (`controlEnabled`), else null. */
  controlClock: OffsetClock | null;
  media: Pick<MediaService, 'handleRequest'>;
  /** The REST API (src/relay/api): /healthz, /readyz and the /v1 routes it declares. */
  api: ApiRouter;
  /** POST /v1/uploads and GET /v1/uploads/{id}. */
  uploads: Pick<UploadService, 'handleRequest'>;
};

function methodNotAllowed(response: ServerResponse, allow: string): void {
  sendError(response, 405, 'METHOD_NOT_ALLOWED', `Use ${allow}`, { allow });
}

async function route(request: IncomingMessage, response: ServerResponse, deps: HttpDeps): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://relay');
  const method = request.method ?? 'GET';
  switch (url.pathname) {
    case '/webhook':
      if (method === 'GET') return handleWebhookVerification(url, response, deps);
      if (method === 'POST') return handleWebhookDelivery(request, response, deps);
      return methodNotAllowed(response, 'GET, POST');
    case CLOCK_CONTROL_PATH:
      return handleClockControl(request, response, deps.controlClock);
    default:
      if (deps.api.handles(url.pathname)) return deps.api.handle(request, response, url);
      if (url.pathname.startsWith(MEDIA_PATH_PREFIX)) return deps.media.handleRequest(request, response, url);
      if (isUploadsPath(url.pathname)) return deps.uploads.handleRequest(request, response, url);
      return sendError(response, 404, 'NOT_FOUND', `Nothing at ${url.pathname}`);
  }
}

export function createRelayHttpServer(deps: HttpDeps): Server {
  return createServer((request, response) => {
    route(request, response, deps).catch((error: unknown) => {
      // Never 200 on failure: Meta redelivers the webhook later, and nothing half-applied was committed.
      deps.logger.error({ err: error, path: request.url?.split('?')[0] }, 'request failed');
      if (!response.headersSent)
        sendError(response, 500, 'INTERNAL', 'The relay could not handle this request');
      else response.destroy();
    });
  });
}
