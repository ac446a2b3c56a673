// POST /v1/uploads: a file an agent wants to send, as the raw request body. The type and size rules of
// WhatsApp are checked while the bytes stream in (before anything is kept): a refused file leaves no
// trace. An accepted one is made durable under a new upload id, then answered.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { Agent } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import { sendError, sendJson } from '../http/respond.ts';
import type { MediaFiles } from '../media/media-files.ts';
import { parseContentType, ruleFor, tooLarge, type UploadKind } from './upload-limits.ts';
import { createUploadScreen, type UploadScreen } from './upload-screen.ts';
import type { UploadTable } from './upload-table.ts';

export interface ReceiveUploadDeps {
  table: UploadTable;
  files: MediaFiles;
  clock: Clock;
  logger: Logger;
}

/** The answer to a successful upload. */
export interface UploadAnswer {
  uploadId: string;
  mimeType: string;
  size: number;
  kind: UploadKind;
  filename: string | null;
}

/** HTTP status per refusal code; anything else is an internal error. */
const REFUSAL_STATUS: Readonly<Record<string, number>> = {
  CONTENT_TYPE_REQUIRED: 415,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MEDIA_CONTENT_MISMATCH: 415,
  MEDIA_TOO_LARGE: 413,
  EMPTY_UPLOAD: 400,
  INVALID_FILENAME: 400,
};

const MAX_FILENAME_LENGTH = 240;

/**
 * The optional `X-Filename` header: percent-encoded UTF-8 (as `encodeURIComponent` writes it), since
 * HTTP headers carry no other charset. Only the last path segment is kept; null when absent.
 */
export function parseFilename(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw new CodedError('INVALID_FILENAME', 'Send X-Filename once.');
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    throw new CodedError(
      'INVALID_FILENAME',
      'X-Filename must be percent-encoded UTF-8 (as encodeURIComponent writes it).',
    );
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const name = (decoded.split(/[/\\]/).at(-1) ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name.length > MAX_FILENAME_LENGTH)
    throw new CodedError(
      'INVALID_FILENAME',
      `X-Filename may have at most ${MAX_FILENAME_LENGTH} characters.`,
    );
  return name === '' || name === '.' || name === '..' ? null : name;
}

/** The request's bytes, each chunk checked by `screen` before it is written; the end checked too. */
async function* screened(request: IncomingMessage, screen: UploadScreen): AsyncGenerator<Uint8Array> {
  // Not destroyed when the check stops early: the rest is drained so the client reads the refusal.
  for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    screen.take(chunk);
    yield chunk;
  }
  screen.finish();
}

/** The Content-Length the client declared, if any: a file too large by it is refused before a byte is read. */
function declaredLength(request: IncomingMessage): number | null {
  const header = request.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
}

export async function receiveUpload(
  request: IncomingMessage,
  response: ServerResponse,
  agent: Agent,
  deps: ReceiveUploadDeps,
): Promise<void> {
  let answer: UploadAnswer;
  try {
    answer = await receive(request, agent, deps);
  } catch (error) {
    // The client went away mid-file: the temp file is gone already and nobody is left to answer.
    if (request.destroyed && !request.complete) return;
    const status = error instanceof CodedError ? REFUSAL_STATUS[error.code] : undefined;
    if (status === undefined || !(error instanceof CodedError)) throw error;
    request.resume();
    return sendError(response, status, error.code, error.message);
  }
  deps.logger.info(
    { uploadId: answer.uploadId, agentId: agent.id, kind: answer.kind, bytes: answer.size },
    'upload stored',
  );
  sendJson(response, 201, answer);
}

async function receive(
  request: IncomingMessage,
  agent: Agent,
  deps: ReceiveUploadDeps,
): Promise<UploadAnswer> {
  const contentType = parseContentType(request.headers['content-type']);
  if (contentType === null) {
    throw new CodedError(
      'CONTENT_TYPE_REQUIRED',
      "Set Content-Type to the file's MIME type (for example image/jpeg or application/pdf).",
    );
  }
  const rule = ruleFor(contentType);
  const filename = parseFilename(request.headers['x-filename']);
  const declared = declaredLength(request);
  if (declared !== null && declared > rule.maxBytes) throw tooLarge(rule, declared);

  const screen = createUploadScreen(contentType.mimeType, rule);
  // Made on first use, so a relay that never sent a file has no uploads folder.
  await mkdir(deps.files.dir, { recursive: true });
  // Nothing else cuts an upload short: a client that goes away ends the request stream itself.
  const file = await deps.files.receive(
    screened(request, screen),
    rule.maxBytes,
    new AbortController().signal,
  );
  const uploadId = `upl_${randomUUID()}`;
  let storedName: string;
  try {
    storedName = await deps.files.publish(file, uploadId);
  } catch (error) {
    await deps.files.discard(file);
    throw error;
  }
  // A crash between the rename and this insert leaves a file without a row: removed at the next start.
  deps.table.insert({
    uploadId,
    agentId: agent.id,
    kind: rule.kind,
    mimeType: contentType.mimeType,
    size: file.size,
    sha256: file.sha256.toString('base64'),
    filename,
    storedName,
    createdAt: deps.clock.now(),
  });
  return { uploadId, mimeType: contentType.mimeType, size: file.size, kind: rule.kind, filename };
}
