import { useTranslation } from 'react-i18next';
import { EmptyState } from '../common/EmptyState.tsx';
import { AlertTriangleIcon, LockIcon } from '../common/icons.tsx';

/** No way to reach the console: opened without the web host's token, or without the preload. */
export function MissingBridge({ reason }: { reason: 'token' | 'preload' }) {
  const { t } = useTranslation();
  return (
    <div className="missing-bridge" role="alert">
      {reason === 'token' ? (
        <EmptyState icon={<LockIcon />} title={t('errors.noTokenTitle')} body={t('errors.noTokenBody')} />
      ) : (
        <EmptyState
          icon={<AlertTriangleIcon />}
          title={t('errors.noPreloadTitle')}
          body={t('errors.noPreloadBody')}
        />
      )}
    </div>
  );
}
