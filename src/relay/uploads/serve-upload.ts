// GET /v1/uploads/{upload-id}: the bytes of a file an agent uploaded to send, so consoles can show what
// was sent as they show what was received (GET /v1/media/{id}), with the same byte ranges. Who may see
// it: its uploader, and whoever sees a number one of its messages went out on (an invisible upload
// gets the same 404 as an unknown one).
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { Agent } from '../../shared/domain.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import { sendError } from '../http/respond.ts';
import { parseByteRange } from '../media/byte-range.ts';
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

/** `inline; filename*=UTF-8''...`: the original name for "save as", safely encoded. */
function contentDisposition(filename: string | null): Record<string, string> {
  if (filename === null) return {};
  return { 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(filename)}` };
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

async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: FileHandle,
  record: UploadRecord,
): Promise<void> {
  const { size } = await file.stat();
  // Without validators an If-Range can never match: the whole file is the safe answer.
  const rangeHeader = request.headers['if-range'] === undefined ? request.headers.range : undefined;
  const range = parseByteRange(rangeHeader, size);
  const common = {
    'accept-ranges': 'bytes',
    'cache-control': 'private',
    'x-content-type-options': 'nosniff',
  };
  if (range.kind === 'unsatisfiable') {
    return sendError(response, 416, 'RANGE_NOT_SATISFIABLE', `The file has ${size} bytes`, {
      ...common,
      'content-range': `bytes */${size}`,
    });
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1];
  response.writeHead(range.kind === 'part' ? 206 : 200, {
    ...common,
    'content-type': record.mimeType,
    'content-length': String(end - start + 1),
    ...(range.kind === 'part' ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    ...contentDisposition(record.filename),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  try {
    await pipeline(file.createReadStream({ start, end, autoClose: false }), response);
  } catch (error) {
    // The console went away mid-file (closed the viewer, lost the network): nothing to report.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}
