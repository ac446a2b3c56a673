// GET /v1/media/{media-id}: the bytes of an inbound media file, for an agent who may see its message's
// phone number (anyone else gets the same 404 as for an unknown id). Streams from disk, whole or one
// byte range, so a console can show a video while it plays and resume a broken download.
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AgentStore } from '../agents/agent-store.ts';
import { authenticateAgent } from '../agents/agents.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import { sendError } from '../http/respond.ts';
import { sendFile } from '../http/send-file.ts';
import type { MediaFiles } from './media-files.ts';
import type { MediaRecord, MediaTable } from './media-table.ts';

export const MEDIA_PATH_PREFIX = '/v1/media/';

export interface MediaRouteDeps {
  agents: AgentStore;
  table: MediaTable;
  files: MediaFiles;
  logger: Logger;
}

const STATE_PREFERENCE: readonly MediaRecord['state'][] = ['stored', 'pending', 'failed'];

function mediaIdOf(pathname: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(pathname.slice(MEDIA_PATH_PREFIX.length));
  } catch {
    return null;
  }
  return id === '' || id.includes('/') ? null : id;
}

export async function handleMediaRequest(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: MediaRouteDeps,
): Promise<void> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD')
    return sendError(response, 405, 'METHOD_NOT_ALLOWED', 'Use GET', { allow: 'GET, HEAD' });
  const agent = authenticateAgent(deps.agents, request.headers.authorization)?.agent ?? null;
  if (agent === null) {
    return sendError(
      response,
      401,
      'UNAUTHORIZED',
      'A valid agent token is required (Authorization: Bearer <token>)',
      { 'www-authenticate': 'Bearer' },
    );
  }

  const mediaId = mediaIdOf(url.pathname);
  const visible =
    mediaId === null
      ? []
      : deps.table.byMediaId(mediaId).filter((record) => canSeeNumber(agent, record.phoneNumberId));
  const record = STATE_PREFERENCE.map((state) => visible.find((r) => r.state === state)).find(
    (r) => r !== undefined,
  );
  if (record === undefined) return sendError(response, 404, 'MEDIA_NOT_FOUND', 'No such media');
  if (record.state === 'pending') {
    const why = record.lastError === null ? '' : ` (last attempt: ${record.lastError})`;
    return sendError(response, 409, 'MEDIA_PENDING', `The relay has not downloaded this media yet${why}`);
  }
  if (record.state === 'failed' || record.storedPath === null) {
    return sendError(
      response,
      410,
      'MEDIA_FAILED',
      `The relay could not download this media before Meta expired it: ${record.lastError ?? 'unknown error'}`,
    );
  }

  let file: FileHandle;
  try {
    file = await open(deps.files.pathOf(record.storedPath), 'r');
  } catch (error) {
    deps.logger.error({ err: error, mediaId, messageId: record.messageId }, 'stored media file is missing');
    return sendError(response, 500, 'MEDIA_FILE_MISSING', 'The relay cannot read this media file');
  }
  try {
    await sendFile(request, response, file, record);
  } finally {
    await file.close();
  }
}
