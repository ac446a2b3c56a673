import type { TFunction } from 'i18next';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A remaining time as agents read it: "3 h 12 min", "42 min", "menos de 1 min" (rounded down). */
export function formatDuration(ms: number, t: TFunction): string {
  if (ms < MINUTE_MS) return t('duration.lessThanMinute');
  const hours = Math.floor(ms / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  if (hours === 0) return t('duration.minutes', { minutes });
  if (minutes === 0) return t('duration.hours', { hours });
  return t('duration.hoursMinutes', { hours, minutes });
}

/** The short form for the inbox chip: whole hours above one hour, minutes below. */
export function formatShortDuration(ms: number, t: TFunction): string {
  if (ms < MINUTE_MS) return t('duration.lessThanMinute');
  if (ms < HOUR_MS) return t('duration.minutes', { minutes: Math.floor(ms / MINUTE_MS) });
  return t('duration.hours', { hours: Math.floor(ms / HOUR_MS) });
}
