import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../shared/console-api.ts';
import { messageBody } from '../../format/message-body.ts';
import { ticksFor } from '../../format/message-ticks.ts';
import { formatClockTime } from '../../format/relative-time.ts';
import { MessageTicks } from './MessageTicks.tsx';

export const MessageBubble = memo(function MessageBubble({ message }: { message: MessageView }) {
  const { t, i18n } = useTranslation();
  const body = messageBody(message, t);
  const ticks = ticksFor(message);
  const status = message.pending ? 'pending' : message.status;
  return (
    <div className={`message message--${message.direction}`}>
      <div
        className={`message-bubble message-bubble--${message.direction} message-bubble--${status}`}
        data-testid="message-bubble"
        data-status={message.status}
        data-direction={message.direction}
        data-message-id={message.id}
      >
        {body.typeLabel ? <span className="message-bubble__type">{body.typeLabel}</span> : null}
        {body.text !== null ? <span className="message-bubble__text">{body.text}</span> : null}
        <span className="message-bubble__meta">
          <time dateTime={new Date(message.timestamp).toISOString()}>
            {formatClockTime(message.timestamp, { locale: i18n.language })}
          </time>
          {ticks ? <MessageTicks ticks={ticks} /> : null}
        </span>
      </div>
      {message.refusal ? (
        // The relay refused it before Meta saw it: its reason, not Meta's.
        <p className="message-note message-note--danger" role="note">
          {t('message.refusedReason', { reason: message.refusal.message, code: message.refusal.code })}
        </p>
      ) : message.direction === 'out' && message.status === 'failed' ? (
        <p className="message-note message-note--danger" role="note">
          {t('message.failedReason', {
            reason:
              message.error?.details ??
              message.error?.message ??
              message.error?.title ??
              t('sync.unknownReason'),
            code: message.error?.code ?? '—',
          })}
        </p>
      ) : null}
      {message.direction === 'out' && message.status === 'unknown' && !message.pending ? (
        <p className="message-note message-note--warning" role="note">
          {t('message.unknownExplanation')}
        </p>
      ) : null}
    </div>
  );
});
