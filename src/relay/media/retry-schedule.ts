// When a failed media download is tried again: quickly at first (a blip at Meta or on the network),
// then ever more slowly, and never after Meta has forgotten the media id.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Webhook media ids expire 7 days after Meta sends them (Meta's media page). */
export const MEDIA_ID_LIFETIME_MS = 7 * 24 * HOUR;

/** The wait after the 1st, 2nd, ... failed attempt; the last one repeats. */
export const RETRY_DELAYS_MS: readonly number[] = [
  10 * SECOND,
  1 * MINUTE,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  6 * HOUR,
];

/** How long to wait after `failedAttempts` attempts have failed (1 = the first one). */
export function retryDelayMs(failedAttempts: number): number {
  const index = Math.min(Math.max(failedAttempts, 1), RETRY_DELAYS_MS.length) - 1;
  return RETRY_DELAYS_MS[index]!;
}

/**
 * What follows a failed attempt at `failedAt`: another attempt (never later than the expiry, so the
 * last one happens while the id may still work), or giving up once the media id has expired.
 */
export function afterFailure(
  failedAttempts: number,
  failedAt: number,
  expiresAt: number,
): { retryAt: number } | 'give_up' {
  if (failedAt >= expiresAt) return 'give_up';
  return { retryAt: Math.min(failedAt + retryDelayMs(failedAttempts), expiresAt) };
}
