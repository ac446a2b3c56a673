// The open thread, oldest at the top, grouped by day. It stays pinned to the newest message while
// the agent is at the bottom, jumps there when a conversation opens or the agent sends, and leaves
// the scroll alone while the agent reads older messages.
import { Fragment, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../shared/console-api.ts';
import { daysBetween, formatDayHeading } from '../../format/relative-time.ts';
import { useRelayNow } from '../../hooks/use-relay-now.ts';
import { MessageBubble } from './MessageBubble.tsx';

/** Within this many pixels of the end counts as "at the bottom". */
const PINNED_SLACK_PX = 64;

export function MessageThread({
  conversationId,
  messages,
  label,
}: {
  conversationId: string;
  messages: MessageView[];
  label: string;
}) {
  const { t, i18n } = useTranslation();
  const relayNow = useRelayNow(60_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const shown = useRef<{ conversationId: string; lastId: string | undefined } | null>(null);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const last = messages.at(-1);
    const previous = shown.current;
    const opened = previous?.conversationId !== conversationId;
    const sentByAgent =
      !opened && last !== undefined && last.id !== previous.lastId && last.direction === 'out';
    if (opened || sentByAgent || pinned.current) {
      element.scrollTop = element.scrollHeight;
      pinned.current = true;
    }
    shown.current = { conversationId, lastId: last?.id };
  }, [conversationId, messages]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (element)
      pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < PINNED_SLACK_PX;
  };

  return (
    <div
      ref={scrollRef}
      className="message-thread"
      onScroll={onScroll}
      role="log"
      aria-label={label}
      tabIndex={0}
    >
      <div className="message-thread__column">
        {messages.map((message, index) => {
          const previous = messages[index - 1];
          const newDay = previous === undefined || daysBetween(previous.timestamp, message.timestamp) !== 0;
          return (
            <Fragment key={message.id}>
              {newDay ? (
                <div className="day-divider" role="separator">
                  <span>{formatDayHeading(message.timestamp, relayNow, t, { locale: i18n.language })}</span>
                </div>
              ) : null}
              <MessageBubble message={message} />
            </Fragment>
          );
        })}
      </div>
    </div>
  );
}
