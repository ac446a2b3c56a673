// Failures the agent must see: what was being done, what went wrong, and the stable code to quote
// to support. They stay until dismissed.
import { useTranslation } from 'react-i18next';
import { useConsole } from '../../store/store-context.tsx';
import { AlertCircleIcon, CloseIcon } from '../common/icons.tsx';

const knownCodes = ['UNAUTHORIZED', 'HOST_UNREACHABLE', 'BRIDGE_FAILED'] as const;
type KnownCode = (typeof knownCodes)[number];
const isKnown = (code: string): code is KnownCode => (knownCodes as readonly string[]).includes(code);

export function ErrorBanners() {
  const { t } = useTranslation();
  const errors = useConsole((s) => s.errors);
  const dismiss = useConsole((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="error-banners" data-testid="error-banners">
      {errors.map((error) => (
        <div key={error.id} className="error-banner" role="alert" data-code={error.code}>
          <AlertCircleIcon className="error-banner__icon" width={18} height={18} />
          <div className="error-banner__body">
            <p className="error-banner__title">{t(`errors.title.${error.action}`)}</p>
            <p className="error-banner__message">
              {isKnown(error.code) ? t(`errors.known.${error.code}`) : error.message}{' '}
              <span className="error-banner__code">({t('errors.code', { code: error.code })})</span>
            </p>
          </div>
          <button
            type="button"
            className="error-banner__dismiss"
            onClick={() => dismiss(error.id)}
            aria-label={t('errors.dismiss')}
          >
            <CloseIcon width={14} height={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
