// Clicking a native notification asks the page to open its conversation, on the event channel.
import type { ConsoleEvent } from '../../shared/console-api.ts';

export function openConversationRequest(conversationId: string): ConsoleEvent {
  return { type: 'conversation.open', conversationId };
}
