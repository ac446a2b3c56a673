// Turns news into the notifications an agent sees: one per message, one per conversation for a
// burst ("3 new messages"), or one digest for several conversations.
import type { ConsoleNotification } from '../../shared/console-api.ts';
import type { NewsItem } from './new-inbound.ts';
import type { NotificationStrings } from './notification-strings.ts';

/** News grouped by conversation, in the order each conversation first appears. */
export function byConversation(items: readonly NewsItem[]): NewsItem[][] {
  const groups = new Map<string, NewsItem[]>();
  for (const item of items) {
    const group = groups.get(item.conversationId);
    if (group) group.push(item);
    else groups.set(item.conversationId, [item]);
  }
  return [...groups.values()];
}

/** One conversation's news (non-empty): the message itself, or how many there are. */
export function conversationNotification(
  items: readonly NewsItem[],
  strings: NotificationStrings,
): ConsoleNotification {
  const latest = items.at(-1);
  if (!latest) throw new Error('conversationNotification needs at least one item');
  return {
    // The newest message names the customer as they are called now.
    title: latest.title,
    body: items.length === 1 ? latest.line : strings.newMessages(items.length),
    conversationId: latest.conversationId,
  };
}

/** Everything at once: nothing, one conversation's notification, or a digest that opens none. */
export function digestNotification(
  items: readonly NewsItem[],
  strings: NotificationStrings,
): ConsoleNotification | null {
  const groups = byConversation(items);
  const [only] = groups;
  if (!only) return null;
  if (groups.length === 1) return conversationNotification(only, strings);
  return {
    title: strings.digestTitle,
    body: strings.digestBody(items.length, groups.length),
    conversationId: null,
  };
}
