// The inbox: every conversation, newest first, virtualized so ten thousand rows scroll like ten.
// The list is one focusable listbox: ↑/↓ (and Home/End) open the previous/next conversation.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useRelayNow } from '../../hooks/use-relay-now.ts';
import { useConsole } from '../../store/store-context.tsx';
import { EmptyState } from '../common/EmptyState.tsx';
import { AlertCircleIcon, InboxIcon } from '../common/icons.tsx';
import { ConversationRow, ROW_HEIGHT, conversationRowId } from './ConversationRow.tsx';

export function InboxList() {
  const { t } = useTranslation();
  const conversations = useConsole((s) => s.conversations);
  const loaded = useConsole((s) => s.conversationsLoaded);
  const failed = useConsole((s) => s.conversationsFailed);
  const refresh = useConsole((s) => s.refreshConversations);
  const selectedId = useConsole((s) => s.selectedId);
  const select = useConsole((s) => s.select);
  const relayNow = useRelayNow(30_000);
  const scrollRef = useRef<HTMLDivElement>(null);

  // This app does not use the React Compiler, whose memoization useVirtualizer cannot take part in.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => conversations[index]?.id ?? index,
    overscan: 10,
  });

  const selectedIndex = conversations.findIndex((c) => c.id === selectedId);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const last = conversations.length - 1;
      if (last < 0) return;
      const moves: Record<string, number> = {
        ArrowDown: selectedIndex < 0 ? 0 : Math.min(last, selectedIndex + 1),
        ArrowUp: selectedIndex < 0 ? 0 : Math.max(0, selectedIndex - 1),
        Home: 0,
        End: last,
      };
      const target = moves[event.key];
      if (target === undefined) return;
      event.preventDefault();
      const conversation = conversations[target];
      if (!conversation) return;
      if (target !== selectedIndex) select(conversation.id);
      virtualizer.scrollToIndex(target, { align: 'auto' });
    },
    [conversations, selectedIndex, select, virtualizer],
  );

  if (!loaded) return <p className="inbox-placeholder">{t('inbox.loading')}</p>;
  if (conversations.length === 0 && failed) {
    return (
      <EmptyState
        icon={<AlertCircleIcon />}
        title={t('inbox.loadFailedTitle')}
        body={t('inbox.loadFailedBody')}
        action={{ label: t('inbox.retry'), run: () => void refresh() }}
      />
    );
  }
  if (conversations.length === 0) {
    return <EmptyState icon={<InboxIcon />} title={t('inbox.emptyTitle')} body={t('inbox.emptyBody')} />;
  }

  return (
    <div
      ref={scrollRef}
      className="inbox-list"
      role="listbox"
      tabIndex={0}
      aria-label={t('inbox.listLabel')}
      aria-activedescendant={selectedIndex >= 0 ? conversationRowId(selectedIndex) : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="inbox-list__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const conversation = conversations[item.index];
          if (!conversation) return null;
          return (
            <ConversationRow
              key={item.key}
              conversation={conversation}
              index={item.index}
              selected={conversation.id === selectedId}
              relayNow={relayNow}
              top={item.start}
              onSelect={select}
            />
          );
        })}
      </div>
    </div>
  );
}
