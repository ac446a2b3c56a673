// Puts an upload's bytes on Meta's side before a message can name them: POST /{version}/{phone-number-id}/media
// (multipart: file, type, messaging_product=whatsapp) answers a media id (cloud-api.md §6). The id is
// kept per (upload, number), so a retried or repeated send does not upload twice; Meta forgets
// uploaded media after 30 days, so an older id is replaced by a fresh upload.
//
// Unlike a message, an upload may safely be repeated (the worst case is an unused copy at Meta), so
// every transient failure (timeouts included) is `retryable`; only answers that cannot change are not.
import { openAsBlob } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import type { WhatsAppError } from '../../shared/domain.ts';
import { parseGraphError } from '../graph/graph-client.ts';
import type { MediaFiles } from '../media/media-files.ts';
import type { UploadRecord, UploadTable } from './upload-table.ts';

export type MediaUploadResult =
  { ok: true; mediaId: string } | { ok: false; retryable: boolean; error: WhatsAppError };

export interface MediaUploader {
  /** Meta's media id for `uploadId` on business number `phoneNumberId`, uploading the bytes if needed. */
  upload(phoneNumberId: string, uploadId: string): Promise<MediaUploadResult>;
}

export interface MediaUploaderOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  /** The Graph API limit; a large file gets one more second per MB on top. */
  timeoutMs: number;
}

export interface MediaUploaderDeps {
  table: UploadTable;
  files: MediaFiles;
  clock: Clock;
  logger: Logger;
}

const DAY = 24 * 60 * 60 * 1000;
/** Meta keeps uploaded media 30 days; an id is reused only while it surely still works. */
export const GRAPH_MEDIA_REUSE_MS = 29 * DAY;
const MS_PER_MB = 1_000;

/**
 * Graph error codes that say "not now" rather than "never": rate limits (4, 80007, 130429), Meta's
 * temporary failures (1, 2, 131000, 131016, 135000).
 */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 135000]);

const uploadAnswerSchema = z.looseObject({ id: z.string().min(1) });

const relayError = (title: string, details?: string): WhatsAppError =>
  details === undefined ? { code: 0, title } : { code: 0, title, details };

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `connection failed (${cause.code})` : 'connection failed';
}

/** Meta's answer to the upload as a result. */
function resultOf(status: number, text: string): MediaUploadResult {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the status decides.
  }
  const error = parseGraphError(json);
  if (error !== null) {
    const retryable = status >= 500 || status === 429 || RETRYABLE_CODES.has(error.code);
    return { ok: false, retryable, error };
  }
  if (status >= 500 || status === 429)
    return { ok: false, retryable: true, error: relayError(`HTTP ${status} from the Graph media upload`) };
  if (status < 200 || status >= 300) {
    return {
      ok: false,
      retryable: false,
      error: relayError(`HTTP ${status} from the Graph media upload`, text.slice(0, 500)),
    };
  }
  const answer = uploadAnswerSchema.safeParse(json);
  return answer.success
    ? { ok: true, mediaId: answer.data.id }
    : {
        ok: false,
        retryable: false,
        error: relayError('The Graph media upload answered without a media id'),
      };
}

export function createMediaUploader(options: MediaUploaderOptions, deps: MediaUploaderDeps): MediaUploader {
  const { table, files, clock } = deps;
  const logger = deps.logger;
  const base = options.baseUrl.replace(/\/+$/, '');
  // Two sends of one upload on one number at once share a single upload.
  const inFlight = new Map<string, Promise<MediaUploadResult>>();

  async function post(phoneNumberId: string, record: UploadRecord): Promise<MediaUploadResult> {
    let file: Blob;
    try {
      file = await openAsBlob(files.pathOf(record.storedName), { type: record.mimeType });
    } catch (error) {
      logger.error({ err: error, uploadId: record.uploadId }, 'stored upload file is missing');
      return { ok: false, retryable: false, error: relayError('The relay can no longer read this upload') };
    }
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', record.mimeType);
    form.append('file', file, record.filename ?? record.storedName);
    const url = `${base}/${options.version}/${encodeURIComponent(phoneNumberId)}/media`;
    const timeoutMs = options.timeoutMs + Math.ceil(record.size / (1024 * 1024)) * MS_PER_MB;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.accessToken}` },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return resultOf(response.status, await response.text());
    } catch (error) {
      const reason = describeFetchFailure(error);
      return { ok: false, retryable: true, error: relayError(`Uploading the media to WhatsApp: ${reason}`) };
    }
  }

  async function upload(phoneNumberId: string, uploadId: string): Promise<MediaUploadResult> {
    const record = table.get(uploadId);
    if (record === null)
      return { ok: false, retryable: false, error: relayError('The relay no longer holds this upload') };
    const known = table.graphMedia(uploadId, phoneNumberId);
    if (known !== null && clock.now() - known.uploadedAt < GRAPH_MEDIA_REUSE_MS)
      return { ok: true, mediaId: known.mediaId };

    const result = await post(phoneNumberId, record);
    const context = { uploadId, phoneNumberId, bytes: record.size };
    if (result.ok) {
      // Unless the upload was removed meanwhile (only unused uploads are): then there is nothing to cache.
      if (table.get(uploadId) !== null)
        table.saveGraphMedia(uploadId, phoneNumberId, { mediaId: result.mediaId, uploadedAt: clock.now() });
      logger.info({ ...context, mediaId: result.mediaId }, 'media uploaded to WhatsApp');
    } else {
      logger.warn(
        { ...context, code: result.error.code, retryable: result.retryable },
        `media upload failed: ${result.error.title}`,
      );
    }
    return result;
  }

  return {
    upload(phoneNumberId, uploadId) {
      const key = `${uploadId}\n${phoneNumberId}`;
      const running = inFlight.get(key);
      if (running !== undefined) return running;
      const promise = upload(phoneNumberId, uploadId).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
  };
}
