// Free-text replies. Enter sends, Shift+Enter breaks the line; the draft survives switching
// conversations and a failed send. Outside the 24-hour window free text is locked (templates only).
import { useRef, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { serviceWindow } from '../../format/service-window.ts';
import { useRelayNow } from '../../hooks/use-relay-now.ts';
import { useConsole } from '../../store/store-context.tsx';
import { LockIcon, SendIcon } from '../common/icons.tsx';

export const MAX_TEXT_LENGTH = 4096;
/** The counter appears this close to the limit, so it only speaks when it matters. */
const COUNTER_FROM = MAX_TEXT_LENGTH - 300;

interface Props {
  conversationId: string;
  windowExpiresAt: number | null;
  customerName: string;
}

export function Composer({ conversationId, windowExpiresAt, customerName }: Props) {
  const { t } = useTranslation();
  const draft = useConsole((s) => s.drafts[conversationId] ?? '');
  const setDraft = useConsole((s) => s.setDraft);
  const sendText = useConsole((s) => s.sendText);
  const sending = useConsole((s) => s.sending);
  const open = serviceWindow(windowExpiresAt, useRelayNow(1000)).kind === 'open';
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const length = draft.length;
  const tooLong = length > MAX_TEXT_LENGTH;
  const canSend = open && !sending && !tooLong && draft.trim().length > 0;

  async function submit() {
    if (!canSend) return;
    if (await sendText(conversationId, draft)) inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // While an input method is composing, Enter confirms the composition, not the message.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  const noticeId = `composer-notice-${conversationId}`;
  return (
    <form className={`composer${open ? '' : ' composer--locked'}`} onSubmit={onSubmit}>
      {open ? null : (
        <p className="composer__locked" id={noticeId} role="status">
          <LockIcon width={15} height={15} />
          {t('composer.windowClosed')}
        </p>
      )}
      <div className="composer__row">
        <label className="visually-hidden" htmlFor={`composer-${conversationId}`}>
          {t('composer.label', { name: customerName })}
        </label>
        <textarea
          ref={inputRef}
          id={`composer-${conversationId}`}
          className="composer__input"
          data-testid="composer-input"
          rows={1}
          value={draft}
          disabled={!open}
          aria-describedby={open ? `${noticeId}-hint` : noticeId}
          aria-invalid={tooLong}
          placeholder={open ? t('composer.placeholder') : t('composer.windowClosedPlaceholder')}
          onChange={(event) => setDraft(conversationId, event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="composer__send" data-testid="composer-send" disabled={!canSend}>
          <SendIcon width={15} height={15} />
          <span>{sending ? t('composer.sending') : t('composer.send')}</span>
        </button>
      </div>
      {open ? (
        <div className="composer__footer" id={`${noticeId}-hint`}>
          <span className={tooLong ? 'composer__error' : 'composer__hint'}>
            {tooLong ? t('composer.tooLong', { max: MAX_TEXT_LENGTH }) : t('composer.hint')}
          </span>
          {length >= COUNTER_FROM ? (
            <span className={`composer__counter${tooLong ? ' is-over' : ''}`} data-testid="composer-counter">
              {t('composer.counter', { length, max: MAX_TEXT_LENGTH })}
            </span>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
