// Meta's media download, as the relay does it (cloud-api.md §6): GET /{version}/{media-id} with the
// access token answers a short-lived URL, and GET <url> with the same Bearer token answers the bytes.
// Failures are CodedErrors whose message is safe to show (never the token, never the signed URL).
import { z } from 'zod';
import { CodedError } from '../../shared/result.ts';

export interface MediaLocation {
  url: string;
  mimeType: string | null;
  sha256: string | null;
  fileSize: number | null;
}

export interface MediaSource {
  /** Asks the Graph API where the bytes of `mediaId` are. */
  locate(mediaId: string, signal: AbortSignal): Promise<MediaLocation>;
  /** The bytes at a URL `locate` answered. */
  fetchBytes(url: string, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
}

export interface MediaSourceOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  /** Limit for the media-URL lookup (a Graph call like any other). */
  lookupTimeoutMs: number;
  /** Limit for the bytes, which may be up to 100 MB. */
  downloadTimeoutMs: number;
}

const mediaUrlAnswerSchema = z.looseObject({
  url: z.url({ protocol: /^https?$/ }),
  mime_type: z.string().min(1).optional(),
  sha256: z.string().min(1).optional(),
  // A number in Meta's docs, a string in some proxies: accept both.
  file_size: z
    .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)])
    .optional(),
});

const graphErrorMessageSchema = z.looseObject({
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }),
});

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `connection failed (${cause.code})` : 'connection failed';
}

/** "HTTP 404 (100: Unsupported get request)" from a Graph error answer, or just "HTTP 404". */
function describeHttpFailure(status: number, text: string): string {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the status says enough.
  }
  const parsed = graphErrorMessageSchema.safeParse(json);
  if (!parsed.success) return `HTTP ${status}`;
  const { code, message } = parsed.data.error;
  const detail = [code, message].filter((part) => part !== undefined).join(': ');
  return detail === '' ? `HTTP ${status}` : `HTTP ${status} (${detail.slice(0, 200)})`;
}

export function createMediaSource(options: MediaSourceOptions): MediaSource {
  const base = options.baseUrl.replace(/\/+$/, '');
  const authorization = `Bearer ${options.accessToken}`;

  async function get(url: string, signal: AbortSignal, timeoutMs: number, what: string): Promise<Response> {
    const code = what === 'media URL' ? 'MEDIA_LOOKUP_FAILED' : 'MEDIA_DOWNLOAD_FAILED';
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization },
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new CodedError(code, `Fetching the ${what}: ${describeFetchFailure(error)}`);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new CodedError(code, `Fetching the ${what}: ${describeHttpFailure(response.status, text)}`);
    }
    return response;
  }

  return {
    async locate(mediaId, signal) {
      const url = `${base}/${options.version}/${encodeURIComponent(mediaId)}`;
      const response = await get(url, signal, options.lookupTimeoutMs, 'media URL');
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        throw new CodedError('MEDIA_LOOKUP_FAILED', 'Fetching the media URL: the answer is not JSON');
      }
      const parsed = mediaUrlAnswerSchema.safeParse(json);
      if (!parsed.success) {
        throw new CodedError(
          'MEDIA_LOOKUP_FAILED',
          `Fetching the media URL: unexpected answer (${z.prettifyError(parsed.error).slice(0, 200)})`,
        );
      }
      const answer = parsed.data;
      return {
        url: answer.url,
        mimeType: answer.mime_type ?? null,
        sha256: answer.sha256 ?? null,
        fileSize: answer.file_size ?? null,
      };
    },

    async fetchBytes(url, signal) {
      const response = await get(url, signal, options.downloadTimeoutMs, 'media bytes');
      if (response.body === null)
        throw new CodedError('MEDIA_DOWNLOAD_FAILED', 'Fetching the media bytes: the answer has no body');
      return response.body;
    },
  };
}
