import { describe, expect, it } from 'vitest';
import { MEDIA_ID_LIFETIME_MS, afterFailure, retryDelayMs } from '../../../src/relay/media/retry-schedule.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('media retry schedule', () => {
  it('waits 10 s, 1 min, 5 min, 30 min, 2 h, then every 6 h', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs);
    expect(waits).toEqual([
      10 * SECOND,
      MINUTE,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      6 * HOUR,
      6 * HOUR,
      6 * HOUR,
    ]);
  });

  it('retries after a failure well before the media id expires', () => {
    const failedAt = 1_000_000;
    expect(afterFailure(1, failedAt, failedAt + MEDIA_ID_LIFETIME_MS)).toEqual({
      retryAt: failedAt + 10 * SECOND,
    });
    expect(afterFailure(3, failedAt, failedAt + MEDIA_ID_LIFETIME_MS)).toEqual({
      retryAt: failedAt + 5 * MINUTE,
    });
  });

  it('makes the last attempt at the expiry rather than past it', () => {
    const expiresAt = 10 * HOUR;
    expect(afterFailure(9, expiresAt - HOUR, expiresAt)).toEqual({ retryAt: expiresAt });
  });

  it('gives up once the media id has expired', () => {
    const expiresAt = 10 * HOUR;
    expect(afterFailure(12, expiresAt, expiresAt)).toBe('give_up');
    expect(afterFailure(1, expiresAt + 1, expiresAt)).toBe('give_up');
  });

  it('keeps a media id alive for 7 days, as Meta does for webhook media', () => {
    expect(MEDIA_ID_LIFETIME_MS).toBe(7 * 24 * HOUR);
  });

  it('walks a whole week of failures to a last attempt at the expiry, then gives up', () => {
    // Walk the schedule from the first failure to the give-up: every attempt is counted.
    const expiresAt = MEDIA_ID_LIFETIME_MS;
    let now = 0;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = afterFailure(attempts, now, expiresAt);
      if (next === 'give_up') break;
      expect(next.retryAt).toBeGreaterThan(now);
      now = next.retryAt;
    }
    expect(now).toBe(expiresAt);
    // Attempts at 0, 10 s, 1 min 10 s, 6 min 10 s, 36 min 10 s and 2 h 36 min 10 s; then 27 more,
    // 6 h apart, up to 164 h 36 min 10 s; then the last one at the expiry (168 h).
    expect(attempts).toBe(6 + 27 + 1);
  });
});
