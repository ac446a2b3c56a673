// The relay's HTTP routes. WebSocket upgrades (GET /v1/sync) are handed to the sync server by index.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authenticateAgent } from '../agents/agents.ts';
import { sendError, sendJson } from './respond.ts';
import { handleWebhookDelivery, handleWebhookVerification, type WebhookDeps } from './webhook-routes.ts';

export type HttpDeps = WebhookDeps;

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
    case '/v1/me': {
      if (method !== 'GET') return methodNotAllowed(response, 'GET');
      const agent = authenticateAgent(deps.store, request.headers.authorization);
      if (agent === null) {
        return sendError(
          response,
          401,
          'UNAUTHORIZED',
          'A valid agent token is required (Authorization: Bearer <token>)',
          {
            'www-authenticate': 'Bearer',
          },
        );
      }
      return sendJson(response, 200, { agent, serverTime: deps.clock.now() });
    }
    case '/healthz':
      if (method !== 'GET') return methodNotAllowed(response, 'GET');
      return sendJson(response, 200, { status: 'ok' });
    default:
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
