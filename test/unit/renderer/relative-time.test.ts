// Times in the inbox and the thread's day headings, relative to relay time, in UTC for the test.
import { describe, expect, it } from 'vitest';
import {
  formatClockTime,
  formatDayHeading,
  formatRelativeTime,
} from '../../../src/renderer/format/relative-time.ts';
import { createI18n } from '../../../src/renderer/i18n/index.ts';

const now = Date.UTC(2026, 10, 21, 12, 0, 0); // Saturday 21 November 2026, 12:00 UTC
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const es = { t: createI18n('es').t, options: { locale: 'es', timeZone: 'UTC' } };

const relative = (ago: number, lang = es) => formatRelativeTime(now - ago, now, lang.t, lang.options);

describe('relative times in the inbox', () => {
  it('says "ahora" under a minute, and for small clock skew into the future', () => {
    expect(relative(59_000)).toBe('ahora');
    expect(relative(-5_000)).toBe('ahora');
  });

  it('counts minutes within the hour', () => {
    expect(relative(MINUTE)).toBe('hace 1 min');
    expect(relative(59 * MINUTE + 59_000)).toBe('hace 59 min');
  });

  it('shows the clock time earlier today, "ayer" for yesterday, then weekday and date', () => {
    expect(relative(3 * HOUR + 25 * MINUTE)).toBe('08:35');
    expect(relative(12 * HOUR + 1)).toBe('ayer'); // 23:59 the day before
    expect(relative(DAY + 11 * HOUR)).toBe('ayer');
    expect(relative(4 * DAY)).toBe('mar');
    expect(relative(40 * DAY)).toBe('12 oct');
    expect(relative(400 * DAY)).toBe('17/10/25');
  });

  it('uses calendar days of the given time zone', () => {
    const buenosAires = { t: es.t, options: { locale: 'es', timeZone: 'America/Argentina/Buenos_Aires' } };
    // 10:00 UTC is 07:00 in Buenos Aires, the same day as its 09:00 (12:00 UTC).
    expect(relative(2 * HOUR, buenosAires)).toBe('07:00');
    // 02:00 UTC is 23:00 the day before in Buenos Aires.
    expect(relative(10 * HOUR, buenosAires)).toBe('ayer');
  });

  it('speaks English and Brazilian Portuguese', () => {
    const en = { t: createI18n('en').t, options: { locale: 'en', timeZone: 'UTC' } };
    const pt = { t: createI18n('pt-BR').t, options: { locale: 'pt-BR', timeZone: 'UTC' } };
    expect(relative(5 * MINUTE, en)).toBe('5 min ago');
    expect(relative(DAY, en)).toBe('yesterday');
    expect(relative(5 * MINUTE, pt)).toBe('há 5 min');
    expect(relative(DAY, pt)).toBe('ontem');
  });
});

describe('day headings and clock times in the thread', () => {
  it('names today and yesterday, and spells out older days', () => {
    expect(formatDayHeading(now - HOUR, now, es.t, es.options)).toBe('Hoy');
    expect(formatDayHeading(now - DAY, now, es.t, es.options)).toBe('Ayer');
    expect(formatDayHeading(now - 4 * DAY, now, es.t, es.options)).toBe('martes, 17 de noviembre de 2026');
  });

  it('prints message times as hours and minutes', () => {
    expect(formatClockTime(now + 7 * MINUTE, es.options)).toBe('12:07');
  });
});
