// Streams a stored file to a console: whole, or one byte range (206/416), so a console can show a
// video while it plays and resume a broken download. Used for inbound media and for uploads.
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseByteRange } from '../../shared/byte-range.ts';
import { sendError } from './respond.ts';

export interface FileDescription {
  mimeType: string | null;
  /** The original name, offered for "save as"; null when unknown. */
  filename: string | null;
}

/** `inline; filename*=UTF-8''...`: the original name for "save as", safely encoded. */
function contentDisposition(filename: string | null): Record<string, string> {
  if (filename === null || filename === '') return {};
  return { 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(filename)}` };
}

export async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: FileHandle,
  description: FileDescription,
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
    'content-type': description.mimeType ?? 'application/octet-stream',
    'content-length': String(end - start + 1),
    ...(range.kind === 'part' ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    ...contentDisposition(description.filename),
  });
  if (request.method === 'HEAD' || size === 0) {
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
