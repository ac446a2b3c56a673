// Times as an inbox shows them: "ahora", "hace 5 min", "14:32", "ayer", "lun", "12 mar", "12/03/25".
// Calendar days are those of `timeZone` (the machine's own unless a test pins one).
import type { TFunction } from 'i18next';

export interface TimeOptions {
  locale: string;
  timeZone?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since the epoch of the calendar date `ms` falls on in the time zone. */
function calendarDay(ms: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  })
    .formatToParts(ms)
    .reduce<Record<string, number>>((acc, part) => ({ ...acc, [part.type]: Number(part.value) }), {});
  return Math.round(Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1) / DAY_MS);
}

/** Whole calendar days between two instants (0 = same day, 1 = the day before). */
export function daysBetween(earlier: number, later: number, timeZone?: string): number {
  return calendarDay(later, timeZone) - calendarDay(earlier, timeZone);
}

/** "14:32" in the locale's 24/12-hour convention. */
export function formatClockTime(ms: number, options: TimeOptions): string {
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}

/** The inbox's time of the last message, relative to `now` (relay time). */
export function formatRelativeTime(
  timestamp: number,
  now: number,
  t: TFunction,
  options: TimeOptions,
): string {
  const elapsed = now - timestamp;
  // A few seconds in the future is clock noise between Meta, relay and this machine: call it now.
  if (elapsed < 60_000) return t('time.now');
  if (elapsed < 60 * 60_000) return t('time.minutesAgo', { minutes: Math.floor(elapsed / 60_000) });
  const days = daysBetween(timestamp, now, options.timeZone);
  if (days <= 0) return formatClockTime(timestamp, options);
  if (days === 1) return t('time.yesterday');
  const { locale, timeZone } = options;
  if (days < 7) return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short' }).format(timestamp);
  if (days < 300)
    return new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' }).format(timestamp);
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'short' }).format(timestamp);
}

/** The separator above each day of a thread: "Hoy", "Ayer", "lunes, 17 de noviembre de 2026". */
export function formatDayHeading(timestamp: number, now: number, t: TFunction, options: TimeOptions): string {
  const days = daysBetween(timestamp, now, options.timeZone);
  if (days === 0) return t('time.today');
  if (days === 1) return t('time.yesterdayTitle');
  return new Intl.DateTimeFormat(options.locale, { timeZone: options.timeZone, dateStyle: 'full' }).format(
    timestamp,
  );
}
