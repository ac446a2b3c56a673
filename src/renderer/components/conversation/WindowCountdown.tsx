import { useTranslation } from 'react-i18next';
import { formatWindowCountdown, serviceWindow } from '../../format/service-window.ts';
import { useRelayNow } from '../../hooks/use-relay-now.ts';
import { ClockIcon, LockIcon } from '../common/icons.tsx';

/** "Ventana abierta · 3 h 12 min", counted down live on relay time; amber in the last hour. */
export function WindowCountdown({ windowExpiresAt }: { windowExpiresAt: number | null }) {
  const { t } = useTranslation();
  const window = serviceWindow(windowExpiresAt, useRelayNow(1000));
  const state = window.kind === 'closed' ? 'closed' : window.urgent ? 'urgent' : 'open';
  return (
    <span
      className={`window-countdown window-countdown--${state}`}
      data-testid="window-countdown"
      data-state={state}
      role="timer"
    >
      {window.kind === 'open' ? <ClockIcon width={14} height={14} /> : <LockIcon width={14} height={14} />}
      {formatWindowCountdown(window, t)}
    </span>
  );
}
