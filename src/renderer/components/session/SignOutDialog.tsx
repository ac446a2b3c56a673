import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertCircleIcon } from '../common/icons.tsx';
import { useSession } from './session-context.tsx';
import { sessionErrorText } from './session-errors.ts';
import './session.css';

/** Asks before signing out, and whether this computer's copy (messages, media) goes too. */
export function SignOutDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const busy = useSession((s) => s.busy);
  const failure = useSession((s) => s.signOutError);
  const signOut = useSession((s) => s.signOut);
  const clearError = useSession((s) => s.clearSignOutError);
  const [wipe, setWipe] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), body: useId(), wipeHint: useId() };

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => clearError();
  }, [clearError]);

  const shown = failure ? sessionErrorText(t, failure) : null;

  return (
    <dialog
      ref={dialog}
      className="sign-out"
      aria-labelledby={ids.title}
      aria-describedby={ids.body}
      data-testid="sign-out-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id={ids.title} className="sign-out__title">
        {t('session.signOut.title')}
      </h2>
      <p id={ids.body} className="sign-out__body">
        {t('session.signOut.body')}
      </p>
      <label className="sign-out__wipe">
        <input
          type="checkbox"
          checked={wipe}
          disabled={busy}
          data-testid="sign-out-wipe"
          aria-describedby={ids.wipeHint}
          onChange={(event) => setWipe(event.target.checked)}
        />
        <span>
          <span className="sign-out__wipe-label">{t('session.signOut.wipe')}</span>
          <span id={ids.wipeHint} className="sign-out__wipe-hint">
            {t('session.signOut.wipeHint')}
          </span>
        </span>
      </label>
      {shown ? (
        <div className="sign-in__error" role="alert">
          <AlertCircleIcon className="sign-in__error-icon" />
          <div>
            <p className="sign-in__error-title">{t('session.signOut.failed')}</p>
            <p className="sign-in__error-text">{shown.sentence}</p>
            {shown.detail ? (
              <p className="sign-in__error-detail">{t('session.signIn.detail', { message: shown.detail })}</p>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="sign-out__actions">
        <button type="button" className="sign-out__cancel" disabled={busy} onClick={onClose} autoFocus>
          {t('session.signOut.cancel')}
        </button>
        <button
          type="button"
          className={`sign-out__confirm${wipe ? ' sign-out__confirm--danger' : ''}`}
          disabled={busy}
          data-testid="sign-out-confirm"
          onClick={() => void signOut(wipe)}
        >
          {busy
            ? t('session.signOut.busy')
            : wipe
              ? t('session.signOut.confirmWipe')
              : t('session.signOut.confirm')}
        </button>
      </div>
    </dialog>
  );
}
