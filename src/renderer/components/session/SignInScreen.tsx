import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertCircleIcon, LockIcon, VentanaMark } from '../common/icons.tsx';
import { useSession } from './session-context.tsx';
import { sessionErrorText, signInInputProblem } from './session-errors.ts';
import './session.css';

/** Shown whenever nobody is signed in: the relay address (IT may have set it) and the agent's token. */
export function SignInScreen() {
  const { t } = useTranslation();
  const policy = useSession((s) => s.policy);
  const busy = useSession((s) => s.busy);
  const refusal = useSession((s) => s.signInError);
  const signIn = useSession((s) => s.signIn);
  const locked = policy?.locked.includes('relayUrl') === true && policy.relayUrl !== null;

  const [typedRelayUrl, setRelayUrl] = useState<string | null>(null);
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { relay: useId(), relayNote: useId(), token: useId(), tokenNote: useId(), error: useId() };

  // Until the agent types, the field follows the policy's address (it may arrive after the first paint).
  const relayUrl = locked ? (policy.relayUrl ?? '') : (typedRelayUrl ?? policy?.relayUrl ?? '');
  const shown = problem ? { sentence: problem, detail: null } : refusal ? sessionErrorText(t, refusal) : null;

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (busy) return;
    const found = signInInputProblem(t, relayUrl, token);
    setProblem(found);
    if (found === null) {
      void signIn(relayUrl.trim(), token.trim()).then((ok) => {
        if (ok) setToken('');
      });
    }
  }

  return (
    <div className="sign-in">
      <div className="sign-in__panel">
        <div className="sign-in__brand">
          <VentanaMark className="sign-in__mark" width="28" height="28" />
          <span className="sign-in__name">{t('app.name')}</span>
        </div>
        <h1 className="sign-in__title">{t('session.signIn.title')}</h1>
        <p className="sign-in__subtitle">{t('session.signIn.subtitle')}</p>

        <form
          className="sign-in__form"
          onSubmit={submit}
          noValidate
          data-testid="sign-in-form"
          aria-busy={busy}
        >
          <div className="sign-in__field">
            <label htmlFor={ids.relay}>{t('session.signIn.relayLabel')}</label>
            <div className={`sign-in__input-wrap${locked ? ' sign-in__input-wrap--locked' : ''}`}>
              <input
                id={ids.relay}
                data-testid="sign-in-relay"
                type="url"
                inputMode="url"
                autoComplete="url"
                spellCheck={false}
                placeholder={t('session.signIn.relayPlaceholder')}
                value={relayUrl}
                readOnly={locked}
                aria-readonly={locked}
                aria-describedby={ids.relayNote}
                onChange={(event) => setRelayUrl(event.target.value)}
              />
              {locked ? <LockIcon className="sign-in__lock" /> : null}
            </div>
            <p id={ids.relayNote} className={`sign-in__note${locked ? ' sign-in__note--locked' : ''}`}>
              {locked ? t('session.signIn.relayLocked') : t('session.signIn.relayHint')}
            </p>
          </div>

          <div className="sign-in__field">
            <label htmlFor={ids.token}>{t('session.signIn.tokenLabel')}</label>
            <div className="sign-in__input-wrap">
              <input
                id={ids.token}
                data-testid="sign-in-token"
                type={showToken ? 'text' : 'password'}
                autoComplete="off"
                spellCheck={false}
                placeholder={t('session.signIn.tokenPlaceholder')}
                value={token}
                aria-describedby={ids.tokenNote}
                aria-invalid={shown !== null && refusal?.code === 'INVALID_TOKEN'}
                onChange={(event) => setToken(event.target.value)}
                autoFocus={relayUrl !== ''}
              />
              <button
                type="button"
                className="sign-in__reveal"
                aria-pressed={showToken}
                onClick={() => setShowToken((value) => !value)}
              >
                {showToken ? t('session.signIn.hideToken') : t('session.signIn.showToken')}
              </button>
            </div>
            <p id={ids.tokenNote} className="sign-in__note">
              {t('session.signIn.tokenHint')}
            </p>
          </div>

          {shown ? (
            <div
              className="sign-in__error"
              role="alert"
              id={ids.error}
              data-testid="sign-in-error"
              data-code={problem ? 'INPUT' : refusal?.code}
            >
              <AlertCircleIcon className="sign-in__error-icon" />
              <div>
                <p className="sign-in__error-title">{t('session.signIn.errorTitle')}</p>
                <p className="sign-in__error-text">{shown.sentence}</p>
                {shown.detail ? (
                  <p className="sign-in__error-detail">
                    {t('session.signIn.detail', { message: shown.detail })}
                  </p>
                ) : null}
              </div>
            </div>
          ) : null}

          <button type="submit" className="sign-in__submit" disabled={busy} data-testid="sign-in-submit">
            {busy ? <span className="sign-in__spinner" aria-hidden="true" /> : null}
            {busy ? t('session.signIn.busy') : t('session.signIn.submit')}
          </button>
        </form>
      </div>
      <p className="sign-in__footer">{t('session.signIn.footer')}</p>
    </div>
  );
}
