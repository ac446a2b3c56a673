// The refusals of the media cache, with the HTTP status each transport answers them with. Codes are
// stable: the renderer shows a placeholder per code (waiting, gone, offline, damaged).
import { CodedError } from '../../shared/result.ts';

export const MEDIA_ERROR_STATUS = {
  /** No such message, no media on it, or the file of an unsent message is not on this computer. */
  MEDIA_NOT_FOUND: 404,
  /** The relay has not downloaded it from Meta yet (relay 409): try again later. */
  MEDIA_PENDING: 409,
  /** The relay gave up before Meta expired the media (relay 410): it will never come. */
  MEDIA_FAILED: 410,
  /** The relay cannot be reached and the file is not cached (or the download broke off). */
  MEDIA_OFFLINE: 503,
  /** The bytes do not match the size or SHA-256 the message announced: nothing was kept. */
  MEDIA_CORRUPT: 502,
  /** The relay refused the agent's token. */
  MEDIA_UNAUTHORIZED: 502,
  /** The relay answered something unexpected. */
  MEDIA_RELAY_ERROR: 502,
} as const;
export type MediaErrorCode = keyof typeof MEDIA_ERROR_STATUS;

export function mediaError(code: MediaErrorCode, message: string): CodedError {
  return new CodedError(code, message);
}

/** The HTTP status for any error a media source throws (500 for the unexpected). */
export function mediaErrorStatus(code: string): number {
  return (MEDIA_ERROR_STATUS as Record<string, number>)[code] ?? 500;
}
