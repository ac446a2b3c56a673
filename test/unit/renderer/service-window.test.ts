// The 24-hour window as agents see it, counted on the relay's clock (not this machine's).
import { describe, expect, it } from 'vitest';
import {
  formatWindowChip,
  formatWindowCountdown,
  serviceWindow,
} from '../../../src/renderer/format/service-window.ts';
import { relayNow } from '../../../src/renderer/format/relay-time.ts';
import { createI18n } from '../../../src/renderer/i18n/index.ts';
import { ManualClock } from '../../../src/shared/clock.ts';
import { WINDOW_MS, windowExpiry } from '../../../src/shared/domain.ts';

const { t } = createI18n('es');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const relayStart = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('service window countdown', () => {
  it('counts down on relay time even when this machine runs 7 minutes late', () => {
    const lastInbound = relayStart - (WINDOW_MS - (3 * HOUR + 12 * MINUTE + 30_000));
    const desktop = new ManualClock(relayStart - 7 * MINUTE);
    const now = relayNow(desktop, 7 * MINUTE);
    expect(now).toBe(relayStart);
    expect(formatWindowCountdown(serviceWindow(windowExpiry(lastInbound), now), t)).toBe(
      'Ventana abierta · 3 h 12 min',
    );
    // Without the offset the same desktop would promise 7 more minutes than the relay allows.
    expect(formatWindowCountdown(serviceWindow(windowExpiry(lastInbound), desktop.now()), t)).toBe(
      'Ventana abierta · 3 h 19 min',
    );
  });

  it('turns urgent under one hour and reads whole minutes', () => {
    const expiresAt = relayStart + HOUR;
    expect(serviceWindow(expiresAt, relayStart)).toEqual({ kind: 'open', remainingMs: HOUR, urgent: false });
    const late = serviceWindow(expiresAt, relayStart + 18 * MINUTE + 1);
    expect(late).toMatchObject({ kind: 'open', urgent: true });
    expect(formatWindowCountdown(late, t)).toBe('Ventana abierta · 41 min');
    expect(formatWindowCountdown(serviceWindow(expiresAt, expiresAt - 59_000), t)).toBe(
      'Ventana abierta · menos de 1 min',
    );
    expect(formatWindowCountdown(serviceWindow(relayStart + 2 * HOUR, relayStart), t)).toBe(
      'Ventana abierta · 2 h',
    );
  });

  it('is closed from the exact expiry on, and when the customer never wrote', () => {
    const expiresAt = relayStart + HOUR;
    expect(serviceWindow(expiresAt, expiresAt)).toEqual({ kind: 'closed', neverOpened: false });
    expect(formatWindowCountdown(serviceWindow(expiresAt, expiresAt + 1), t)).toBe('Ventana cerrada');
    expect(serviceWindow(null, relayStart)).toEqual({ kind: 'closed', neverOpened: true });
    expect(formatWindowCountdown(serviceWindow(null, relayStart), t)).toBe(
      'Sin ventana: el cliente aún no ha escrito',
    );
  });

  it('gives the inbox chip a short form', () => {
    expect(formatWindowChip(serviceWindow(relayStart + 23 * HOUR + 59 * MINUTE, relayStart), t)).toBe('23 h');
    expect(formatWindowChip(serviceWindow(relayStart + 42 * MINUTE + 10_000, relayStart), t)).toBe('42 min');
    expect(formatWindowChip(serviceWindow(relayStart - 1, relayStart), t)).toBe('Cerrada');
  });

  it('speaks the agent’s language', () => {
    const window = serviceWindow(relayStart + 3 * HOUR + 12 * MINUTE, relayStart);
    expect(formatWindowCountdown(window, createI18n('en').t)).toBe('Window open · 3 h 12 min');
    expect(formatWindowCountdown(window, createI18n('pt-BR').t)).toBe('Janela aberta · 3 h 12 min');
  });
});
