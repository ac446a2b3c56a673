// POST /{version}/{phone-number-id}/media: the business uploads a file to send it later by id.
// Multipart form with `file`, `type` (its MIME type) and `messaging_product=whatsapp`, answered
// {id} (cloud-api.md §6.6). WhatsApp's type and size limits are enforced with 131053, as Meta does.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidParameter, requiredParameter, whatsAppError } from '../graph-errors.ts';
import type { GraphErrorResponse } from '../graph-errors.ts';
import { readBody, sendJson } from '../http.ts';
import type { MediaHost } from '../media/media-host.ts';
import { answerFault } from '../sends/send-faults.ts';
import type { ArmedFaults } from '../sends/send-faults.ts';
import { MAX_UPLOAD_BYTES, uploadProblem } from './media-rules.ts';
import type { UploadLog } from './upload-log.ts';

export interface UploadDeps {
  media: MediaHost;
  uploads: UploadLog;
  faults: ArmedFaults;
  now(): number;
}

// Room for the multipart framing around the largest file.
const FORM_OVERHEAD_BYTES = 64 * 1024;

type ParsedUpload = { bytes: Buffer; mimeType: string; filename: string | null };

async function parseForm(
  contentType: string | undefined,
  body: Buffer,
): Promise<{ ok: true; upload: ParsedUpload } | { ok: false; error: GraphErrorResponse }> {
  let form: FormData;
  try {
    form = await new Request('http://simulator/media', {
      method: 'POST',
      headers: { 'content-type': contentType ?? '' },
      body,
    }).formData();
  } catch {
    return {
      ok: false,
      error: invalidParameter('the body must be multipart/form-data with file, type and messaging_product'),
    };
  }
  if (form.get('messaging_product') !== 'whatsapp')
    return { ok: false, error: requiredParameter('messaging_product') };
  const file = form.get('file');
  if (!(file instanceof File)) return { ok: false, error: requiredParameter('file') };
  const mimeType = form.get('type');
  if (typeof mimeType !== 'string' || mimeType.trim() === '')
    return { ok: false, error: requiredParameter('type') };
  if (file.size === 0) return { ok: false, error: invalidParameter('file is empty') };
  return {
    ok: true,
    upload: {
      bytes: Buffer.from(await file.arrayBuffer()),
      mimeType: mimeType.trim(),
      filename: file.name === '' || file.name === 'blob' ? null : file.name,
    },
  };
}

export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  phoneNumberId: string,
  deps: UploadDeps,
): Promise<void> {
  const answerError = (error: GraphErrorResponse): Promise<void> => sendJson(res, error.status, error.body);
  if (deps.faults.takeRefusalBeforeBody()) {
    req.socket.resetAndDestroy();
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req, MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES);
  } catch {
    return answerError(
      whatsAppError({
        code: 131053,
        details: `The upload is larger than ${MAX_UPLOAD_BYTES} bytes, the most WhatsApp accepts.`,
      }),
    );
  }
  const parsed = await parseForm(req.headers['content-type'], body);
  if (!parsed.ok) return answerError(parsed.error);
  const { upload } = parsed;
  const problem = uploadProblem(upload.mimeType, upload.bytes.length);
  if (problem !== null) return answerError(whatsAppError({ code: 131053, details: problem }));

  const fault = deps.faults.take(null);
  if (fault !== null) {
    await answerFault(req, res, fault);
    return;
  }
  const id = deps.media.add({
    bytes: upload.bytes,
    mimeType: upload.mimeType,
    ...(upload.filename === null ? {} : { filename: upload.filename }),
  });
  deps.uploads.record({
    id,
    phoneNumberId,
    mimeType: upload.mimeType,
    filename: upload.filename,
    size: upload.bytes.length,
    sha256: createHash('sha256').update(upload.bytes).digest('hex'),
    at: deps.now(),
  });
  return sendJson(res, 200, { id });
}
