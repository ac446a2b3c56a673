// What the media cache asks of the relay over HTTP, and how the relay's refusals read here.
import { z } from 'zod';
import { mediaError } from './media-errors.ts';
import type { CodedError } from '../../shared/result.ts';

export interface RelayAccess {
  /** http(s)://host:port of the relay, without a trailing slash. */
  relayUrl: string;
  /** The agent's token: it stays in main, the page never sees it. */
  token: string;
}

const relayErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The relay's own sentence for a refusal, when its body carries one. */
export async function relayReason(response: Response): Promise<{ code: string; message: string } | null> {
  try {
    const parsed = relayErrorSchema.safeParse(await response.json());
    return parsed.success ? parsed.data.error : null;
  } catch {
    return null;
  }
}

/** A refused media GET as the cache's own error. */
export async function downloadRefusal(response: Response): Promise<CodedError> {
  const reason = await relayReason(response);
  const said = reason === null ? '' : `: ${reason.message}`;
  switch (response.status) {
    case 404:
      return mediaError('MEDIA_NOT_FOUND', `The relay does not hold this media${said}`);
    case 409:
      return mediaError('MEDIA_PENDING', `The relay has not downloaded this media from WhatsApp yet${said}`);
    case 410:
      return mediaError('MEDIA_FAILED', `This media could not be downloaded from WhatsApp${said}`);
    case 401:
    case 403:
      return mediaError('MEDIA_UNAUTHORIZED', `The relay refused this console's token${said}`);
    default:
      return mediaError('MEDIA_RELAY_ERROR', `The relay answered HTTP ${response.status}${said}`);
  }
}

export function relayUnreachable(relayUrl: string, error: unknown): CodedError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return mediaError(
    'MEDIA_OFFLINE',
    `The relay at ${relayUrl} cannot be reached (${cause}) and this media is not on this computer yet`,
  );
}
