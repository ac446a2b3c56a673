import { useTranslation } from 'react-i18next';
import { formatShortDuration } from '../../format/duration.ts';
import { formatWindowChip, type ServiceWindow } from '../../format/service-window.ts';
import { ClockIcon } from '../common/icons.tsx';

/** The inbox's small mark of the 24-hour window: time left, amber in the last hour, or closed. */
export function WindowChip({ window }: { window: ServiceWindow }) {
  const { t } = useTranslation();
  const state = window.kind === 'closed' ? 'closed' : window.urgent ? 'urgent' : 'open';
  const label =
    window.kind === 'open'
      ? t('window.chipOpenLabel', { time: formatShortDuration(window.remainingMs, t) })
      : t('window.chipClosedLabel');
  return (
    <span className={`window-chip window-chip--${state}`} data-state={state} title={label}>
      {window.kind === 'open' ? <ClockIcon width={11} height={11} /> : null}
      <span aria-hidden="true">{formatWindowChip(window, t)}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
