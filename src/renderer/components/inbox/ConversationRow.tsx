import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationListItem } from '../../../shared/console-api.ts';
import { customerLabel } from '../../format/phone.ts';
import { formatRelativeTime } from '../../format/relative-time.ts';
import { serviceWindow } from '../../format/service-window.ts';
import { Avatar } from '../common/Avatar.tsx';
import { WindowChip } from './WindowChip.tsx';

export const ROW_HEIGHT = 68;

export const conversationRowId = (index: number) => `conversation-option-${index}`;

interface Props {
  conversation: ConversationListItem;
  index: number;
  selected: boolean;
  relayNow: number;
  /** Position in the virtual list (px from the top). */
  top: number;
  onSelect: (conversationId: string) => void;
}

export const ConversationRow = memo(function ConversationRow({
  conversation,
  index,
  selected,
  relayNow,
  top,
  onSelect,
}: Props) {
  const { t, i18n } = useTranslation();
  const label = customerLabel(conversation.customer);
  const unread = conversation.unreadCount;
  const preview = conversation.lastMessagePreview.trim() || t('inbox.noPreview');
  return (
    <div
      id={conversationRowId(index)}
      role="option"
      aria-selected={selected}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      className={`conversation-row${selected ? ' is-selected' : ''}${unread > 0 ? ' is-unread' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onSelect(conversation.id)}
    >
      <Avatar name={conversation.customer.name} colorKey={conversation.id} />
      <div className="conversation-row__body">
        <div className="conversation-row__line">
          <span
            className="conversation-row__name"
            title={label.subtitle ? `${label.title} · ${label.subtitle}` : label.title}
          >
            {label.title}
          </span>
          <time
            className="conversation-row__time"
            dateTime={new Date(conversation.lastMessageAt).toISOString()}
          >
            {formatRelativeTime(conversation.lastMessageAt, relayNow, t, { locale: i18n.language })}
          </time>
        </div>
        <div className="conversation-row__line">
          <span className="conversation-row__preview">{preview}</span>
          <WindowChip window={serviceWindow(conversation.windowExpiresAt, relayNow)} />
          {unread > 0 ? (
            <span className="unread-badge" aria-label={t('inbox.unread', { count: unread })}>
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null}
        </div>
      </div>
    </div>
  );
});
