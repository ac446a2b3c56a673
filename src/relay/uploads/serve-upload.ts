// GET /v1/uploads/{upload-id}: the bytes of a file an agent uploaded to send, so consoles can show what
// was sent as they show what was received (GET /v1/media/{id}), with the same byte ranges. Who may see
// it: its uploader, and whoever sees a number one of its messages went out on (an invisible upload
// gets the same 404 as an unknown one).
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Agent } from '../../shared/domain.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import { sendError } from '../http/respond.ts';
import { sendFile } from '../http/send-file.ts';
import type { MediaFiles } from '../media/media-files.ts';
import type { UploadRecord, UploadTable } from './upload-table.ts';

export interface ServeUploadDeps {
  table: UploadTable;
  files: MediaFiles;
  logger: Logger;
}

function mayView(agent: Agent, record: UploadRecord, table: UploadTable): boolean {
  if (agent.id === record.agentId || agent.role !== 'agent') return true;
  return table.usedOnNumbers(record.uploadId).some((number) => canSeeNumber(agent, number));
}

export async function serveUpload(
  request: IncomingMessage,
  response: ServerResponse,
  agent: Agent,
  uploadId: string,
  deps: ServeUploadDeps,
): Promise<void> {
  const record = deps.table.get(uploadId);
  if (record === null || !mayView(agent, record, deps.table))
    return sendError(response, 404, 'UPLOAD_NOT_FOUND', 'No such upload');
  let file: FileHandle;
  try {
    file = await open(deps.files.pathOf(record.storedName), 'r');
  } catch (error) {
    deps.logger.error({ err: error, uploadId }, 'stored upload file is missing');
    return sendError(response, 500, 'UPLOAD_FILE_MISSING', 'The relay cannot read this upload');
  }
  try {
    await sendFile(request, response, file, record);
  } finally {
    await file.close();
  }
}
