import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../shared/console-api.ts';
import { formatClockTime } from '../../format/relative-time.ts';
import { useConsole } from '../../store/store-context.tsx';

/** "Conectado" / "Sincronizando n de m" / "Sin conexión desde hh:mm" / "Error: motivo". */
export function SyncStatusLine() {
  const { t, i18n } = useTranslation();
  const sync = useConsole((s) => s.sync);
  const state: SyncStatus['state'] = sync?.state ?? 'connecting';

  let text: string;
  switch (state) {
    case 'connecting':
      text = t('sync.connecting');
      break;
    case 'catching_up':
      text = t('sync.catchingUp', {
        done: (sync?.cursor ?? 0).toLocaleString(i18n.language),
        total: (sync?.headSeq ?? 0).toLocaleString(i18n.language),
      });
      break;
    case 'connected':
      text = t('sync.connected');
      break;
    case 'offline':
      text =
        sync?.offlineSince != null
          ? t('sync.offline', { time: formatClockTime(sync.offlineSince, { locale: i18n.language }) })
          : t('sync.offlineUnknown');
      break;
    case 'error':
      text = t('sync.error', { reason: sync?.error ?? t('sync.unknownReason') });
      break;
  }
  const detail = state === 'offline' && sync?.error ? sync.error : null;

  return (
    <div
      className={`sync-status sync-status--${state}`}
      data-testid="sync-status"
      data-state={state}
      role="status"
      title={detail ?? text}
    >
      <span className="sync-status__dot" aria-hidden="true" />
      <span className="sync-status__text">{text}</span>
      {detail ? <span className="sync-status__detail">· {detail}</span> : null}
    </div>
  );
}
