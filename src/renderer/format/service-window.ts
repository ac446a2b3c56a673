// The 24-hour customer-service window as the UI shows it: open with time left (urgent in the
// last hour), or closed. Computed from the conversation's expiry and the relay's clock.
import type { TFunction } from 'i18next';
import { formatDuration, formatShortDuration } from './duration.ts';

/** Under this much time left, the window is shown in amber: reply now or only templates remain. */
export const URGENT_WINDOW_MS = 60 * 60 * 1000;

export type ServiceWindow =
  { kind: 'open'; remainingMs: number; urgent: boolean } | { kind: 'closed'; neverOpened: boolean };

export function serviceWindow(windowExpiresAt: number | null, relayNow: number): ServiceWindow {
  if (windowExpiresAt === null) return { kind: 'closed', neverOpened: true };
  const remainingMs = windowExpiresAt - relayNow;
  if (remainingMs <= 0) return { kind: 'closed', neverOpened: false };
  return { kind: 'open', remainingMs, urgent: remainingMs < URGENT_WINDOW_MS };
}

/** "Ventana abierta · 3 h 12 min" / "Ventana cerrada". */
export function formatWindowCountdown(window: ServiceWindow, t: TFunction): string {
  if (window.kind === 'open') return t('window.open', { time: formatDuration(window.remainingMs, t) });
  return window.neverOpened ? t('window.neverOpened') : t('window.closed');
}

/** The inbox chip: "3 h" / "42 min" / "Cerrada". */
export function formatWindowChip(window: ServiceWindow, t: TFunction): string {
  return window.kind === 'open' ? formatShortDuration(window.remainingMs, t) : t('window.chipClosed');
}
