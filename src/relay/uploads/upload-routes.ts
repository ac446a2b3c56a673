// The uploads endpoints, for agents (Authorization: Bearer <agent token>):
//   POST /v1/uploads               raw file body, Content-Type required, X-Filename optional -> 201 upload
//   GET|HEAD /v1/uploads/{id}      the file's bytes (whole or one range)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentStore } from '../agents/agent-store.ts';
import { authenticateAgent } from '../agents/agents.ts';
import { sendError } from '../http/respond.ts';
import { receiveUpload, type ReceiveUploadDeps } from './receive-upload.ts';
import { serveUpload } from './serve-upload.ts';

export const UPLOADS_PATH = '/v1/uploads';

export type UploadRouteDeps = ReceiveUploadDeps & { agents: AgentStore };

/** Whether the relay routes `pathname` here. */
export function isUploadsPath(pathname: string): boolean {
  return pathname === UPLOADS_PATH || pathname.startsWith(`${UPLOADS_PATH}/`);
}

function uploadIdOf(pathname: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(pathname.slice(UPLOADS_PATH.length + 1));
  } catch {
    return null;
  }
  return id === '' || id.includes('/') ? null : id;
}

export async function handleUploadRequest(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: UploadRouteDeps,
): Promise<void> {
  const method = request.method ?? 'GET';
  const collection = url.pathname === UPLOADS_PATH;
  if (collection ? method !== 'POST' : method !== 'GET' && method !== 'HEAD') {
    request.resume();
    const allow = collection ? 'POST' : 'GET, HEAD';
    return sendError(response, 405, 'METHOD_NOT_ALLOWED', `Use ${allow}`, { allow });
  }
  const agent = authenticateAgent(deps.agents, request.headers.authorization)?.agent ?? null;
  if (agent === null) {
    request.resume();
    return sendError(
      response,
      401,
      'UNAUTHORIZED',
      'A valid agent token is required (Authorization: Bearer <token>)',
      { 'www-authenticate': 'Bearer' },
    );
  }
  if (collection) return receiveUpload(request, response, agent, deps);
  const uploadId = uploadIdOf(url.pathname);
  if (uploadId === null) return sendError(response, 404, 'UPLOAD_NOT_FOUND', 'No such upload');
  return serveUpload(request, response, agent, uploadId, deps);
}
