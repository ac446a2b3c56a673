// POST /v1/uploads: hands the relay the bytes of a file the agent sends, and answers the upload id the
// send_media command names. The relay checks WhatsApp's type and size rules; its refusal codes
// (MEDIA_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, MEDIA_CONTENT_MISMATCH, ...) are passed on as they are.
import { z } from 'zod';
import { CodedError } from '../../shared/result.ts';
import { mediaError } from './media-errors.ts';
import { relayReason, type RelayAccess } from './relay-http.ts';

const uploadAnswerSchema = z.object({ uploadId: z.string().min(1) });

export async function uploadToRelay(
  access: RelayAccess,
  file: { bytes: Uint8Array<ArrayBuffer>; mimeType: string; filename: string | null },
  signal: AbortSignal,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${access.relayUrl}/v1/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${access.token}`,
        'content-type': file.mimeType,
        ...(file.filename === null ? {} : { 'x-filename': encodeURIComponent(file.filename) }),
      },
      body: file.bytes,
      signal,
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw mediaError(
      'MEDIA_OFFLINE',
      `The relay at ${access.relayUrl} cannot be reached to upload the file (${cause})`,
    );
  }
  if (response.status === 201) {
    const parsed = uploadAnswerSchema.safeParse(await response.json().catch(() => null));
    if (parsed.success) return parsed.data.uploadId;
    throw mediaError('MEDIA_RELAY_ERROR', 'The relay accepted the upload but answered without an upload id');
  }
  const reason = await relayReason(response);
  if (response.status === 401 || response.status === 403)
    throw mediaError(
      'MEDIA_UNAUTHORIZED',
      `The relay refused this console's token${reason ? `: ${reason.message}` : ''}`,
    );
  if (reason !== null && response.status < 500) throw new CodedError(reason.code, reason.message);
  throw mediaError(
    'MEDIA_RELAY_ERROR',
    `The relay answered HTTP ${response.status} to the upload${reason ? `: ${reason.message}` : ''}`,
  );
}
