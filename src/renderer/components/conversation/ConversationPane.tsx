import { useTranslation } from 'react-i18next';
import { customerLabel } from '../../format/phone.ts';
import { useConsole } from '../../store/store-context.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { ChatIcon } from '../common/icons.tsx';
import { Composer } from '../composer/Composer.tsx';
import { ConversationHeader } from './ConversationHeader.tsx';
import { MessageThread } from './MessageThread.tsx';

/** The right side: the open conversation (header, thread, composer) or a prompt to pick one. */
export function ConversationPane() {
  const { t } = useTranslation();
  const conversation = useConsole((s) => s.conversations.find((c) => c.id === s.selectedId));
  const messages = useConsole((s) => s.messages);
  const messagesFor = useConsole((s) => s.messagesFor);

  if (!conversation) {
    return (
      <section className="conversation-pane conversation-pane--empty" data-testid="conversation-empty">
        <EmptyState
          icon={<ChatIcon />}
          title={t('conversation.emptyTitle')}
          body={t('conversation.emptyBody')}
          hint={t('conversation.emptyHint')}
        />
      </section>
    );
  }

  const name = customerLabel(conversation.customer).title;
  const loaded = messagesFor === conversation.id;
  return (
    <section
      className="conversation-pane"
      data-testid="conversation-view"
      data-conversation-id={conversation.id}
    >
      <ConversationHeader conversation={conversation} />
      {loaded && messages.length > 0 ? (
        <MessageThread
          conversationId={conversation.id}
          messages={messages}
          label={t('conversation.messagesLabel', { name })}
        />
      ) : (
        <div className="message-thread message-thread--placeholder">
          <p>{loaded ? t('conversation.noMessages') : t('conversation.loading')}</p>
        </div>
      )}
      <Composer
        key={conversation.id}
        conversationId={conversation.id}
        windowExpiresAt={conversation.windowExpiresAt}
        customerName={name}
      />
    </section>
  );
}
